import { DbssApiError } from '../../../src/api/errors.js';
import { Prng } from '../../../src/emulator/prng.js';
import type { ServiceContext } from '../../../src/emulator/service-context.js';
import type { InstanceState } from '../../../src/emulator/types.js';
import { ApiFailure } from '../../../src/emulator/wire-errors.js';
import type { EmulatedKind, KindHandlerContext } from '../../../src/kinds/emulated-kind.js';
import type { KindApi, KindCall, KindTarget } from '../../../src/kinds/kind.js';

/** The target every direct call is about. */
export const TARGET: KindTarget = { projectId: 'p'.repeat(32), instanceId: 'i'.repeat(32) };

/** One call as it reached the handlers. */
export interface LoggedCall {
  /** Operation name. */
  readonly operation: string;
  /** JSON body sent. */
  readonly body: unknown;
}

/** A KindApi that calls an emulated kind's route handlers directly (until the emulator serves kinds over a socket). */
export interface DirectApi {
  /** The API. */
  readonly api: KindApi;
  /** Every call made, in order. */
  readonly log: LoggedCall[];
  /** The kind's emulator state on the instance. */
  readonly state: unknown;
}

/**
 * Routes by method and path template (the client's template must equal the emulator's, or the
 * call is a 404), answers errors as the client would raise them (DbssApiError http/business).
 */
export function directApi(kind: EmulatedKind, options: { readonly [option: string]: string }, pageSize: number, seed = 7): DirectApi {
  const resolved: Record<string, string> = {};
  for (const [name, values] of Object.entries(kind.options)) resolved[name] = options[name] ?? values[0];
  const service = { ids: new Prng(seed) } as unknown as ServiceContext;
  const state = kind.initial(service, resolved);
  const instance = { id: TARGET.instanceId, name: 'inst', status: 'ACTIVE' } as InstanceState;
  const ctx: KindHandlerContext = { service, instance, state, options: resolved };
  const log: LoggedCall[] = [];
  const call = (target: KindTarget, c: KindCall): unknown => {
    log.push({ operation: c.operation, body: c.body });
    const route = kind.routes.find((r) => r.method === c.method && r.path === c.path);
    const fail = (kindOf: 'http' | 'business', status: number, errorCode?: string, detail?: string): never => {
      throw new DbssApiError({ operation: c.operation, method: c.method, path: c.path, pathTemplate: c.path, kind: kindOf, status, ...(errorCode ? { errorCode } : {}), ...(detail ? { detail } : {}) });
    };
    if (!route) return fail('http', 404, 'APIG.0101', 'no route');
    const req = {
      params: { project_id: target.projectId, instance_id: target.instanceId, ...(c.params ?? {}) },
      query: new URLSearchParams(),
      body: Buffer.from(c.body === undefined ? '' : JSON.stringify(c.body)),
    };
    try {
      const res = route.handle(ctx, req);
      if (res.status !== 200) return fail('http', res.status);
      return JSON.parse(JSON.stringify(res.body ?? null));
    } catch (err) {
      if (err instanceof ApiFailure) return fail('http', err.status, err.errorCode, err.message);
      throw err;
    }
  };
  const api: KindApi = {
    pageSize,
    read: async (target, c) => call(target, c),
    write: async (target, c) => {
      const answer = call(target, c) as { status?: unknown } | null;
      if (String(answer?.status).toUpperCase() !== 'SUCCESS') {
        throw new DbssApiError({ operation: c.operation, method: c.method, path: c.path, pathTemplate: c.path, kind: 'business', status: 200, detail: `status ${String(answer?.status)}` });
      }
    },
    settle: async (read) => read(),
  };
  return { api, log, state };
}
