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
  /** Query pairs sent. */
  readonly query: readonly (readonly [string, string])[];
  /** JSON body sent. */
  readonly body: unknown;
}

/** A KindApi over an emulated kind's route handlers, with its log and state. */
export interface DirectApi {
  /** The API. */
  readonly api: KindApi;
  /** Every call made, in order. */
  readonly log: LoggedCall[];
  /** The kind's emulator state on the instance. */
  readonly state: unknown;
  /** Makes the next call of an operation apply and then lose its answer (a reset after the write). */
  readonly loseNextAnswer: (operation: string) => void;
}

/**
 * A hand-written KindApi that calls the kind's emulator routes directly: routed by method and
 * path template (a client template that differs from the emulator's is a 404), errors raised as
 * the client raises them. A lost answer is retried like the client does: `wasApplied` is asked
 * before any resend.
 */
export function directApi(kind: EmulatedKind, options: { readonly [option: string]: string }, pageSize: number): DirectApi {
  const resolved: Record<string, string> = {};
  for (const [name, values] of Object.entries(kind.options)) resolved[name] = options[name] ?? values[0];
  let clock = 1_700_000_000_000;
  const service = { ids: new Prng(7), now: () => clock++ } as unknown as ServiceContext;
  const instance = { id: TARGET.instanceId, name: 'inst', status: 'ACTIVE' } as InstanceState;
  const ctx: KindHandlerContext = { service, instance, state: kind.initial(service, resolved), options: resolved };
  const log: LoggedCall[] = [];
  const lose = new Set<string>();
  const fail = (c: KindCall, kindOf: 'http' | 'business' | 'network', status: number | undefined, errorCode?: string, detail?: string): never => {
    throw new DbssApiError({ operation: c.operation, method: c.method, path: c.path, pathTemplate: c.path, kind: kindOf, ...(status ? { status } : {}), ...(errorCode ? { errorCode } : {}), ...(detail ? { detail } : {}) });
  };
  const call = (target: KindTarget, c: KindCall): unknown => {
    log.push({ operation: c.operation, query: c.query ?? [], body: c.body });
    const route = kind.routes.find((r) => r.method === c.method && r.path === c.path);
    if (!route) return fail(c, 'http', 404, 'APIG.0101', 'no route');
    const req = {
      params: { project_id: target.projectId, instance_id: target.instanceId, ...(c.params ?? {}) },
      query: new URLSearchParams((c.query ?? []).map(([k, v]): [string, string] => [k, v])),
      body: Buffer.from(c.body === undefined ? '' : JSON.stringify(c.body)),
    };
    try {
      const res = route.handle(ctx, req);
      if (lose.delete(c.operation)) return fail(c, 'network', undefined, undefined, 'socket hang up');
      if (res.status !== 200) return fail(c, 'http', res.status);
      return JSON.parse(JSON.stringify(res.body ?? null));
    } catch (err) {
      if (err instanceof ApiFailure) return fail(c, 'http', err.status, err.errorCode, err.message);
      throw err;
    }
  };
  const api: KindApi = {
    pageSize,
    read: async (target, c) => call(target, c),
    write: async (target, c, wasApplied) => {
      let answer: { status?: unknown } | null;
      try {
        answer = call(target, c) as { status?: unknown } | null;
      } catch (err) {
        if (!(err instanceof DbssApiError) || err.kind !== 'network') throw err;
        if (wasApplied && (await wasApplied())) return;
        answer = call(target, c) as { status?: unknown } | null;
      }
      if (String(answer?.status).toUpperCase() !== 'SUCCESS') fail(c, 'business', 200, undefined, `status ${String(answer?.status)}`);
    },
    settle: async (read) => read(),
  };
  return { api, log, state: ctx.state, loseNextAnswer: (op) => void lose.add(op) };
}
