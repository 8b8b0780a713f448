import { expect } from 'vitest';
import { DbssApiError } from '../../../src/api/errors.js';
import { DEFAULT_PROFILE } from '../../../src/emulator/api-profile.js';
import type { HostileAnswers } from '../../../src/emulator/hostile-answers.js';
import { ListLag } from '../../../src/emulator/list-lag.js';
import { Prng } from '../../../src/emulator/prng.js';
import { emptyState } from '../../../src/emulator/project-state.js';
import type { ServiceContext } from '../../../src/emulator/service-context.js';
import type { InstanceState } from '../../../src/emulator/types.js';
import { ApiFailure } from '../../../src/emulator/wire-errors.js';
import type { EmulatedKind, KindHandlerContext } from '../../../src/kinds/emulated-kind.js';
import type { DesiredKind, Json, Kind, KindApi, KindCall, KindPlan, KindTarget, KindValues, LiveKind } from '../../../src/kinds/kind.js';
import { KIND_OPS } from '../../../src/kinds/kind.js';

/**
 * A hand-written KindApi that calls a kind's emulator route handlers directly (no socket): the
 * client side builds its calls from its own paths, the harness finds the emulator route whose
 * own path template matches the concrete path, so a path written wrongly on either side finds no
 * route. Answers go through JSON as on the wire. Until the engine's emulator plumbing serves
 * kinds, the convergence tests of a kind run through this.
 */

/** The instance every harness serves. */
export const TARGET: KindTarget = { projectId: 'p'.repeat(32), instanceId: 'i'.repeat(32) };

/** One call as sent: `METHOD operation`. */
export type SentCall = string;

/** A harness: the api, the emulator state of the kind, and what was sent. */
export interface Harness {
  /** The KindApi the kind writes through. */
  readonly api: KindApi;
  /** Every call sent, in order (`POST CreateAuditScopeRule`), with the answer status. */
  readonly sent: { readonly operation: string; readonly status: number; readonly body?: Json }[];
  /** The kind's emulator state on the instance. */
  readonly state: () => unknown;
  /** The emulator's clock (ms). */
  readonly clock: { t: number };
  /** Operations whose next answer is lost after the handler ran (the write happened). */
  readonly loseNext: Set<string>;
}

function fill(path: string, call: KindCall, target: KindTarget): string {
  return path
    .replace('{project_id}', target.projectId)
    .replace('{instance_id}', target.instanceId)
    .replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(call.params?.[name] ?? `{${name}}`));
}

function matchRoute(template: string, path: string): Record<string, string> | undefined {
  const names: string[] = [];
  const re = new RegExp(`^${template.replace(/\{(\w+)\}/g, (_, n: string) => (names.push(n), '([^/]+)'))}$`);
  const m = re.exec(path);
  return m ? Object.fromEntries(names.map((n, i) => [n, decodeURIComponent(m[i + 1]!)])) : undefined;
}

/** A harness serving `kind` with `options` (unnamed options take their first value), list lag `lagMs`. */
export function harness(kind: EmulatedKind, options: { readonly [o: string]: string } = {}, settings: { pageSize?: number; lagMs?: number } = {}): Harness {
  const clock = { t: 1_000_000 };
  const listLag = new ListLag();
  listLag.configure(settings.lagMs);
  const service: ServiceContext = {
    state: emptyState(),
    ids: new Prng(7),
    now: () => clock.t,
    summaryTaskDurationMs: 0,
    profile: DEFAULT_PROFILE,
    listLag,
    hostile: {} as HostileAnswers,
    lied: new Set(),
  };
  const full = Object.fromEntries(Object.entries(kind.options).map(([name, values]) => [name, options[name] ?? values[0]]));
  const instance = { id: TARGET.instanceId, name: 'audit-1', status: 'ACTIVE', created: '2026-01-01T00:00:00Z', specification: 'audit.basic', rules: [] } as unknown as InstanceState;
  const kindState = kind.initial(service, full);
  const sent: Harness['sent'][number][] = [];
  const loseNext = new Set<string>();

  function dispatch(target: KindTarget, call: KindCall): { status: number; body: unknown } {
    const path = fill(call.path, call, target);
    for (const route of kind.routes) {
      const params = route.method === call.method ? matchRoute(route.path, path) : undefined;
      if (!params) continue;
      expect(route.operation).toBe(call.operation);
      const ctx: KindHandlerContext = { service, instance, state: kindState, options: full };
      const req = { params, query: new URLSearchParams(call.query?.map(([k, v]): [string, string] => [k, v]) ?? []), body: Buffer.from(call.body === undefined ? '' : JSON.stringify(call.body)) };
      try {
        const answer = route.handle(ctx, req);
        const body = answer.body === undefined ? undefined : (JSON.parse(JSON.stringify(answer.body)) as Json);
        sent.push({ operation: call.operation, status: answer.status, ...(call.body === undefined ? {} : { body: call.body }) });
        return { status: answer.status, body };
      } catch (err) {
        if (!(err instanceof ApiFailure)) throw err;
        sent.push({ operation: call.operation, status: err.status, ...(call.body === undefined ? {} : { body: call.body }) });
        return { status: err.status, body: { error_code: err.errorCode, error_msg: err.message } };
      }
    }
    throw new Error(`no emulator route for ${call.method} ${path}`);
  }

  const failure = (call: KindCall, status: number, body: unknown, kindOf: 'http' | 'business'): DbssApiError => {
    const b = (body ?? {}) as Record<string, unknown>;
    return new DbssApiError({
      operation: call.operation,
      method: call.method,
      path: call.path,
      pathTemplate: call.path,
      kind: kindOf,
      status,
      ...(typeof b.error_code === 'string' ? { errorCode: b.error_code } : {}),
      ...(typeof b.error_msg === 'string' ? { detail: b.error_msg } : {}),
    });
  };

  const api: KindApi = {
    pageSize: settings.pageSize ?? 100,
    read: (target, call) => {
      const { status, body } = dispatch(target, call);
      if (status !== 200) return Promise.reject(failure(call, status, body, 'http'));
      return Promise.resolve(body);
    },
    write: async (target, call, wasApplied) => {
      const { status, body } = dispatch(target, call);
      if (loseNext.delete(call.operation)) {
        // the answer never arrived: like the client, ask before any resend of a create
        if (wasApplied && !(await wasApplied())) return api.write(target, call, wasApplied);
        if (wasApplied) return;
        throw new DbssApiError({ operation: call.operation, method: call.method, path: call.path, pathTemplate: call.path, kind: 'network', errorCode: 'ECONNRESET', mayHaveApplied: true });
      }
      if (status !== 200) throw failure(call, status, body, 'http');
      if ((body as { status?: unknown } | undefined)?.status !== 'SUCCESS') throw failure(call, status, body, 'business');
    },
    settle: async (read, settled) => {
      let answer = await read();
      for (let i = 0; i < 4 && !settled(answer); i++) {
        clock.t += 1000;
        answer = await read();
      }
      return answer;
    },
  };
  return { api, sent, state: () => kindState, clock, loseNext };
}

/** KindValues of one YAML mapping, every value located at line 1 of `policy.yaml`. */
export const valuesOf = (values: { readonly [k: string]: Json }): KindValues => ({ values, at: (path) => ({ file: 'policy.yaml', line: 1 + path.length, col: 1 }) });

/** The declared state of one entry's values. */
export function desiredOf(kind: Kind, values: { readonly [k: string]: Json }, prune = false): DesiredKind {
  const d = kind.desired([valuesOf(values)], prune);
  if (!d) throw new Error('nothing declared');
  return d;
}

/** What one apply did: the plan, and the plan after it (read afresh). */
export interface Cycle {
  /** The plan applied. */
  readonly plan: KindPlan;
  /** The next plan. */
  readonly next: KindPlan;
  /** The live state after apply. */
  readonly live: LiveKind;
}

/**
 * The engine's cycle for one kind on one instance, as src/kinds/kind.ts describes it: read,
 * plan, write each change in op order (deletes after the rest), read back after every write and
 * ask `shows` (a write whose answer was lost is decided by that read-back), then plan again.
 */
export async function applyOnce(kind: Kind, h: { readonly api: KindApi }, desired: DesiredKind, target: KindTarget = TARGET): Promise<Cycle> {
  const plan = kind.plan(desired, await kind.read(h.api, target));
  expect(plan.problems).toEqual([]);
  for (const op of KIND_OPS) {
    for (const change of plan.changes.filter((c) => c.op === op)) {
      try {
        await kind.write(h.api, target, change);
      } catch (err) {
        if (!(err instanceof DbssApiError && err.mayHaveApplied)) throw err;
      }
      const back = await h.api.settle(
        () => kind.read(h.api, target),
        (live) => kind.shows(change, live),
      );
      expect(kind.shows(change, back), `${change.op} ${change.subject} shown by the read-back`).toBe(true);
    }
  }
  const live = await kind.read(h.api, target);
  return { plan, next: kind.plan(desired, live), live };
}
