import { expect } from 'vitest';
import { KIND_OPS, type DesiredKind, type Json, type Kind, type KindApi, type KindChangeDraft, type KindTarget, type LiveKind } from '../../../src/kinds/kind.js';
import { TARGET } from './direct-api.js';

/** A whitelist entry as a test declares it. */
export interface EntryDecl {
  readonly sql: string;
  readonly databases?: readonly string[];
  readonly description?: string;
  readonly enabled?: boolean;
}

/** The desired state of YAML values (one place, no rule set). */
export function desiredOf(kind: Kind, values: { readonly [key: string]: Json }, prune: boolean): DesiredKind {
  const d = kind.desired([{ values, at: (path) => ({ file: 'policy.yaml', line: 1 + path.length, col: 1 }) }], prune);
  if (d === undefined) throw new Error('nothing declared');
  return d;
}

/**
 * One reconcile as the engine runs it: read, plan, then per op in KIND_OPS order every change
 * of the op in one writeBatch, then a read-back that must show each. Returns the changes sent.
 */
export async function reconcileOnce(kind: Kind, api: KindApi, desired: DesiredKind, target: KindTarget = TARGET): Promise<KindChangeDraft[]> {
  const plan = kind.plan(desired, await kind.read(api, target));
  expect(plan.problems).toEqual([]);
  for (const op of KIND_OPS) {
    const group = plan.changes.filter((c) => c.op === op);
    if (group.length === 0) continue;
    await kind.writeBatch!(api, target, op, group);
    const back = await kind.read(api, target);
    for (const change of group) expect(kind.shows(change, back), `${change.op} ${change.subject} shown by the read-back`).toBe(true);
  }
  return [...plan.changes];
}

/** Reconciles, then checks that a second plan is empty; returns the changes sent and the live state after. */
export async function converge(kind: Kind, api: KindApi, desired: DesiredKind, target: KindTarget = TARGET): Promise<{ sent: KindChangeDraft[]; live: LiveKind }> {
  const sent = await reconcileOnce(kind, api, desired, target);
  const live = await kind.read(api, target);
  const again = kind.plan(desired, live);
  expect(again.changes, 'second plan').toEqual([]);
  expect(again.problems).toEqual([]);
  return { sent, live };
}

/** The live entries as key → spec. */
export const specs = (live: LiveKind): Record<string, Json> => Object.fromEntries(live.objects.map((o) => [o.key, o.spec]));
