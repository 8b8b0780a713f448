import { expect } from 'vitest';
import { DbssApiError } from '../../../src/api/errors.js';
import { Prng } from '../../../src/emulator/prng.js';
import type { ServiceContext } from '../../../src/emulator/service-context.js';
import type { InstanceState } from '../../../src/emulator/types.js';
import { ApiFailure } from '../../../src/emulator/wire-errors.js';
import { EMULATED_ALARM } from '../../../src/kinds/alarm/emulator.js';
import { ALARM_KIND as kind } from '../../../src/kinds/alarm/index.js';
import type { DesiredKind, Json, KindApi, KindCall, KindChangeDraft, KindTarget, KindValues, LiveKind } from '../../../src/kinds/kind.js';

/** The target of direct calls. */
export const TARGET: KindTarget = { projectId: 'a'.repeat(32), instanceId: 'b'.repeat(32) };

/** A topic URN of the target's project. */
export const TOPIC = `urn:smn:cn-north-4:${'a'.repeat(32)}:dbss-alarms`;
/** Another one. */
export const OTHER_TOPIC = `urn:smn:cn-north-4:${'a'.repeat(32)}:dbss-alarms_2`;
/** A live topic no policy could declare: quotes, a newline, unicode. */
export const HOSTILE_TOPIC = `urn:smn:cn-north-4:${'a'.repeat(32)}:"evil"\n主题 🚀 <b>&amp;</b>`;

/** A place's values at a fake file, one line per path element. */
export function place(values: { readonly [key: string]: Json }, file = 'policy.yaml', ruleSet?: string): KindValues {
  return {
    values,
    at: (path) => ({ file, line: 1 + path.length, col: 1 }),
    ...(ruleSet ? { ruleSet: { name: ruleSet, appliedAt: { file: 'entry.yaml', line: 9, col: 3 } } } : {}),
  };
}

/** The desired alarm setting of one place's `alarms` values. */
export function desiredOf(alarms: { readonly [field: string]: Json }): DesiredKind {
  const d = kind.desired([place({ alarms })], false);
  if (d === undefined) throw new Error('nothing declared');
  return d;
}

/** A live state of settings (no observations). */
export const liveOf = (settings: { readonly [field: string]: Json }, observations: string[] = []): LiveKind => ({ objects: [], settings, observations });

/** The error the client raises for a call that failed. */
function failure(c: KindCall, k: 'http' | 'business', status: number, detail: string, errorCode?: string): never {
  throw new DbssApiError({ operation: c.operation, method: c.method, path: c.path, pathTemplate: c.path, kind: k, status, detail, ...(errorCode ? { errorCode } : {}) });
}

/** A KindApi that calls the emulator part's route handlers directly, and the emulator state it works on. */
export function directApi(options: { readonly [option: string]: string } = {}): { api: KindApi; state: Record<string, unknown>; calls: { operation: string; body: unknown }[] } {
  const resolved: Record<string, string> = {};
  for (const [name, values] of Object.entries(EMULATED_ALARM.options)) resolved[name] = options[name] ?? values[0];
  const service = { ids: new Prng(3) } as unknown as ServiceContext;
  const state = EMULATED_ALARM.initial(service, resolved) as Record<string, unknown>;
  const instance = { id: TARGET.instanceId, name: 'inst', status: 'ACTIVE' } as InstanceState;
  const calls: { operation: string; body: unknown }[] = [];
  const call = (target: KindTarget, c: KindCall): unknown => {
    calls.push({ operation: c.operation, body: c.body });
    const route = EMULATED_ALARM.routes.find((r) => r.method === c.method && r.path === c.path);
    const fail = (k: 'http' | 'business', status: number, detail: string, errorCode?: string): never => failure(c, k, status, detail, errorCode);
    if (!route) return fail('http', 404, 'no route');
    const req = { params: { project_id: target.projectId, instance_id: target.instanceId }, query: new URLSearchParams(), body: Buffer.from(c.body === undefined ? '' : JSON.stringify(c.body)) };
    try {
      return JSON.parse(JSON.stringify(route.handle({ service, instance, state, options: resolved }, req).body ?? null));
    } catch (err) {
      if (err instanceof ApiFailure) return fail('http', err.status, err.message, err.errorCode);
      throw err;
    }
  };
  const api: KindApi = {
    pageSize: 100,
    read: async (t, c) => call(t, c),
    write: async (t, c) => {
      const answer = call(t, c) as { status?: unknown } | null;
      if (String(answer?.status).toUpperCase() !== 'SUCCESS') failure(c, 'business', 200, `status ${JSON.stringify(answer?.status)}`);
    },
    settle: async (read) => read(),
  };
  return { api, state, calls };
}

/** One reconcile as the engine runs it: read, plan, write each change, read back and ask `shows`. */
export async function reconcileOnce(api: KindApi, desired: DesiredKind, target: KindTarget = TARGET): Promise<{ sent: KindChangeDraft[]; notes: readonly string[] }> {
  const plan = kind.plan(desired, await kind.read(api, target));
  expect(plan.problems).toEqual([]);
  for (const change of plan.changes) {
    await kind.write(api, target, change);
    expect(kind.shows(change, await kind.read(api, target)), `${change.op} ${change.subject} shown by the read-back`).toBe(true);
  }
  return { sent: [...plan.changes], notes: plan.notes };
}

/** Reconciles, then checks that a second plan is empty; returns the live state after. */
export async function converge(api: KindApi, desired: DesiredKind, target: KindTarget = TARGET): Promise<{ sent: KindChangeDraft[]; notes: readonly string[]; live: LiveKind }> {
  const done = await reconcileOnce(api, desired, target);
  const live = await kind.read(api, target);
  const again = kind.plan(desired, live);
  expect(again.changes, 'second plan').toEqual([]);
  expect(again.problems).toEqual([]);
  return { ...done, live };
}

/** Every reading: each named profile, and each option's other values on their own. */
export const READINGS: [string, Record<string, string>][] = [
  ['default', {}],
  ...Object.entries(EMULATED_ALARM.profiles).map(([name, options]): [string, Record<string, string>] => [`profile ${name}`, { ...options }]),
  ...Object.entries(EMULATED_ALARM.options).flatMap(([option, choices]) => choices.slice(1).map((v): [string, Record<string, string>] => [`${option}=${v}`, { [option]: v }])),
];
