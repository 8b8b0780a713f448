import pLimit from 'p-limit';
import type { ApiCall } from '../api/api-call.js';
import { JSON_TYPE } from '../api/api-call.js';
import { createCallRunner } from '../api/call-runner.js';
import type { ClientOptions } from '../api/client-options.js';
import { resolveClientOptions } from '../api/client-options.js';
import { systemClock } from '../api/clock.js';
import { resolveEndpoint } from '../api/endpoint.js';
import { DbssApiError } from '../api/errors.js';
import { createTransport } from '../api/http.js';
import { RequestRateLimiter } from '../api/rate-limiter.js';
import { CallStats } from '../api/stats.js';

/**
 * Raw JSON reads for the probe. The probe's job is to see what a region answers before any
 * interpretation, so it cannot use the client's wire ⇄ domain mapping (which is exactly what
 * it checks). It still goes through the client's machinery for everything that is not
 * interpretation: signing, the rate budget, concurrency, retries and typed errors.
 */

/** A raw answer: the JSON object (undefined for an empty body), or the API error. */
export type RawAnswer = { readonly ok: true; readonly body: Record<string, unknown> | undefined } | { readonly ok: false; readonly error: DbssApiError };

/** Raw calls against one endpoint. */
export interface RawApi {
  /** GET a JSON object; API errors throw (DbssApiError). */
  get(pathTemplate: string, pathParams: Record<string, string>, projectId: string, query?: readonly (readonly [string, string])[]): Promise<Record<string, unknown>>;
  /** Sends one call and returns the answer or the API error, never throwing an API error. */
  attempt(method: ApiCall['method'], pathTemplate: string, pathParams: Record<string, string>, projectId: string): Promise<RawAnswer>;
  /** Closes pooled connections. */
  close(): Promise<void>;
}

/** A raw reader with the same options (endpoint, credentials, budget) as a client. */
export function createRawApi(options: ClientOptions): RawApi {
  const o = resolveClientOptions(options);
  const endpoint = resolveEndpoint(o.region, o.endpoint);
  const transport = createTransport(endpoint, { timeoutMs: o.timeoutMs, maxBodyBytes: o.maxBodyBytes, connections: o.concurrency });
  const run = createCallRunner({
    endpoint,
    credentials: o.credentials,
    transport,
    limiter: new RequestRateLimiter(o.rateLimit),
    concurrency: pLimit(o.concurrency),
    stats: new CallStats(),
    emit: (event) => o.onEvent?.(event),
    maxAttempts: o.maxAttempts,
    timeoutMs: o.timeoutMs,
    backoff: o.backoff,
    clock: systemClock,
  });
  const call = (method: ApiCall['method'], pathTemplate: string, pathParams: Record<string, string>, projectId: string, query?: ApiCall['query']): ApiCall => ({
    operation: `probe ${method} ${pathTemplate}`,
    method,
    pathTemplate,
    pathParams,
    contentType: JSON_TYPE,
    projectId,
    // A write the probe sends (the delete of a deleted rule) is judged as leniently as the client
    // allows any write: empty or status-less is taken as answered, a status other than SUCCESS
    // is an API error the probe observes.
    expect: method === 'GET' ? 'json' : 'write-empty-or-status',
    ...(query ? { query } : {}),
  });
  return {
    async get(pathTemplate, pathParams, projectId, query) {
      const body = await run(call('GET', pathTemplate, pathParams, projectId, query), (answer) => answer);
      return body ?? {};
    },
    async attempt(method, pathTemplate, pathParams, projectId) {
      try {
        return { ok: true, body: await run(call(method, pathTemplate, pathParams, projectId), (answer) => answer) };
      } catch (err) {
        if (err instanceof DbssApiError) return { ok: false, error: err };
        throw err;
      }
    },
    close: () => transport.close(),
  };
}
