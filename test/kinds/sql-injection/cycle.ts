import { expect } from 'vitest';
import type { Switch } from '../../../src/domain.js';
import { KIND_OPS, type DesiredKind, type Json, type Kind, type KindApi, type KindChangeDraft, type KindTarget, type LiveKind } from '../../../src/kinds/kind.js';
import { TARGET } from './direct-api.js';

/** A custom rule as a test declares it. */
export interface RuleDecl {
  readonly name: string;
  readonly regex: string;
  readonly risk_level: 'HIGH' | 'MEDIUM' | 'LOW' | 'NO_RISK';
  readonly status?: Switch;
}

/** The desired state of YAML values (one place, no rule set). */
export function desiredOf(kind: Kind, values: { readonly [key: string]: Json }, prune: boolean): DesiredKind {
  const d = kind.desired([{ values, at: (path) => ({ file: 'policy.yaml', line: 1 + path.length, col: 1 }) }], prune);
  if (d === undefined) throw new Error('nothing declared');
  return d;
}

/**
 * One reconcile as the engine runs it: read, plan, then per op in KIND_OPS order write each
 * change and read back, asking `shows`. Returns the changes sent.
 */
export async function reconcileOnce(kind: Kind, api: KindApi, desired: DesiredKind, target: KindTarget = TARGET): Promise<KindChangeDraft[]> {
  const plan = kind.plan(desired, await kind.read(api, target));
  expect(plan.problems).toEqual([]);
  for (const op of KIND_OPS) {
    for (const change of plan.changes.filter((c) => c.op === op)) {
      await kind.write(api, target, change);
      const back = await kind.read(api, target);
      expect(kind.shows(change, back), `${change.op} ${change.subject} shown by the read-back`).toBe(true);
    }
  }
  return [...plan.changes];
}

/** Reconciles, then checks that a second plan is empty; returns the live state after. */
export async function converge(kind: Kind, api: KindApi, desired: DesiredKind, target: KindTarget = TARGET): Promise<{ sent: KindChangeDraft[]; live: LiveKind }> {
  const sent = await reconcileOnce(kind, api, desired, target);
  const live = await kind.read(api, target);
  const again = kind.plan(desired, live);
  expect(again.changes, 'second plan').toEqual([]);
  expect(again.problems).toEqual([]);
  return { sent, live };
}

/** The custom rules of a live state in priority order (by rank when listed, else list order). */
export function customsInOrder(live: LiveKind): string[] {
  const customs = live.objects.filter((o) => !o.builtIn);
  return customs.every((o) => o.rank !== undefined) ? [...customs].sort((a, b) => a.rank! - b.rank!).map((o) => o.key) : customs.map((o) => o.key);
}
