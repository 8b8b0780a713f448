import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Authenticator } from './auth/authenticator.js';
import { parseAuthorization } from './auth/signature.js';
import type { FaultInjector, FaultKind } from './faults.js';
import { delay, readBody, sendJson } from './http-exchange.js';
import type { LatencySettings } from './options.js';
import { hexId } from './prng.js';
import type { Prng } from './prng.js';
import type { RequestLog } from './request-log.js';
import { matchRoute } from './routes.js';
import type { ServiceContext } from './service-context.js';
import type { StateSaver } from './state-saver.js';
import type { Throttle } from './throttle.js';
import { APIG, ApiFailure, DBSS, errorBody, gatewayFailure } from './wire-errors.js';
import type { ErrorStyle } from './wire-errors.js';

/** What the request pipeline needs from the running emulator. */
export interface PipelineParts {
  /** The current service context (the model can be replaced at runtime). */
  readonly service: () => ServiceContext;
  /** Authentication; undefined in open mode. */
  readonly authenticator: Authenticator | undefined;
  /** Throttling. */
  readonly throttle: Throttle;
  /** Fault injection. */
  readonly faults: FaultInjector;
  /** Current latency settings. */
  readonly latency: () => LatencySettings | undefined;
  /** While a test holds requests (Emulator.pause), the promise to wait for. */
  readonly gate: () => Promise<void> | undefined;
  /** Stream for latency jitter. */
  readonly jitter: Prng;
  /** Stream for X-Request-Id values. */
  readonly requestIds: Prng;
  /** Request log and counters. */
  readonly log: RequestLog;
  /** Persists the model after writes. */
  readonly saver: StateSaver;
  /** Largest accepted body, bytes. */
  readonly maxBodyBytes: number;
}

const MAX_URI = 32 * 1024;

/** In open mode callers are still told apart for throttling: by AK, token or "anonymous". */
function openPrincipal(req: IncomingMessage): string {
  const header = req.headers.authorization;
  const ak = parseAuthorization(typeof header === 'string' ? header : undefined)?.accessKey;
  if (ak) return `ak:${ak}`;
  return typeof req.headers['x-auth-token'] === 'string' ? 'token' : 'anonymous';
}

function injectedFailure(kind: Exclude<FaultKind, 'reset' | 'lost-response' | 'failed'>, throttle: Throttle): ApiFailure {
  if (kind === '500') return new ApiFailure(500, DBSS.internal, 'Internal error (injected fault)');
  if (kind === '502') return gatewayFailure(502, APIG.backendOrSize, 'Backend unavailable (injected fault)');
  if (kind === '504') return gatewayFailure(504, APIG.backendOrSize, 'Backend timeout (injected fault)');
  return throttle.failure();
}

/**
 * The gateway and backend in order: request id → size limits → route (404) → authentication
 * (401) → throttling (429) → latency → injected fault → the operation (synchronous, so the
 * model changes atomically) → answer, log and persist.
 */
export function createRequestListener(parts: PipelineParts): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    handle(parts, req, res).catch(() => res.destroy());
  };
}

async function handle(parts: PipelineParts, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const started = performance.now();
  const time = new Date(parts.service().now()).toISOString();
  const requestId = hexId(parts.requestIds);
  const method = req.method ?? 'GET';
  const rawUrl = req.url ?? '/';
  const path = rawUrl.split('?')[0] ?? '/';
  let operation = 'unknown';
  let style: ErrorStyle = 'flat';
  let fault: FaultKind | undefined;
  let caller: string | undefined;
  res.setHeader('X-Request-Id', requestId);

  const record = (status: number, errorCode?: string) =>
    parts.log.record({
      time,
      method,
      path,
      status,
      latencyMs: Math.round((performance.now() - started) * 100) / 100,
      operation,
      requestId,
      ...(errorCode ? { errorCode } : {}),
      ...(fault ? { fault } : {}),
      ...(caller !== undefined ? { caller } : {}),
    });
  const drop = () => {
    req.socket.destroy();
    record(0);
  };

  try {
    const tooLongUri = rawUrl.length > MAX_URI;
    const { body, tooLarge } = await readBody(req, parts.maxBodyBytes);
    if (tooLongUri) throw gatewayFailure(414, APIG.backendOrSize, 'Request-URI too large (more than 32 KB)');
    if (tooLarge) throw gatewayFailure(413, APIG.backendOrSize, `Request entity too large (more than ${parts.maxBodyBytes} bytes)`);
    const match = matchRoute(method, path);
    if (!match) throw gatewayFailure(404, APIG.notFound, 'The API does not exist or has not been published in the environment');
    operation = match.route.operation;
    style = match.route.errors;
    const principal = parts.authenticator
      ? parts.authenticator.authenticate({ method, rawUrl, headers: req.headers, body })
      : openPrincipal(req);
    caller = parts.authenticator?.callerOf(principal);
    const throttled = parts.throttle.take(principal);
    if (throttled) throw throttled;
    const held = parts.gate();
    if (held) await held;
    fault = parts.faults.pick(operation);
    const latency = parts.latency();
    if (latency) await delay(latency.fixedMs + (latency.jitterMs ? parts.jitter.next() * latency.jitterMs : 0));
    if (fault === 'reset') return drop();
    if (fault === 'failed') {
      if (!match.route.write) throw new ApiFailure(400, DBSS.dbOperation, 'Database operation failed (injected fault)');
      const body = operation === 'SetRiskRuleRank' ? { result: 'failed' } : { status: 'FAILED' };
      sendJson(res, 200, body);
      return record(200);
    }
    if (fault && fault !== 'lost-response') throw injectedFailure(fault, parts.throttle);

    const query = new URLSearchParams(rawUrl.slice(path.length + 1));
    const service = parts.service(); // taken after the latency: the model may have been replaced
    const result = match.route.handle(service, { params: match.params, query, body });
    if (match.route.write) {
      service.state.idRngState = service.ids.state;
      parts.saver.changed();
    }
    if (fault === 'lost-response') return drop();
    sendJson(res, result.status, result.body);
    record(result.status);
  } catch (err) {
    if (fault === 'lost-response' || req.socket.destroyed) return drop();
    // Anything but an ApiFailure is an emulator bug: answer 500 and name it, so tests notice.
    const failure = err instanceof ApiFailure ? err : new ApiFailure(500, DBSS.internal, `Internal error: ${String(err)}`);
    const close = failure.status === 413 || failure.status === 414;
    sendJson(res, failure.status, errorBody(failure, style, requestId), close);
    record(failure.status, failure.errorCode);
  }
}
