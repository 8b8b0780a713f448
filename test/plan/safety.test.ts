import { describe, expect, it } from 'vitest';
import { computePlan } from '../../src/plan/compute-plan.js';
import type { PlanOptions } from '../../src/plan/compute-plan.js';
import { desired, instance, live, liveState, P1, REGION, rule } from './builders.js';

const KEY = `${REGION}/${P1}/prod-audit`;

/** An instance with `total` live custom rules r0..; the first `deleted` are undeclared (pruned), the next `updated` changed. */
function refusals(total: number, deleted: number, updated: number, options: Partial<PlanOptions> = {}, exceptionIps: string[] = []) {
  const names = Array.from({ length: total }, (_, i) => `r${i}`);
  const declared = names.slice(deleted).map((n, i) => rule(n, { riskLevel: i < updated ? 'LOW' : 'HIGH', exceptionIps }));
  const d = instance('prod-audit', { prune: true, riskRules: declared });
  const plan = computePlan(desired([d]), liveState([live(d, names.map((n) => ({ id: `id-${n}`, name: n })))]), {
    toolVersion: 't',
    ...options,
  });
  return plan;
}

describe('safety refusals', () => {
  it('refuses an instance losing more than 30% of its rules, with the numbers', () => {
    const plan = refusals(10, 4, 0);
    expect(plan.refusals).toEqual([{ target: KEY, message: 'prod-audit: 4 of 10 rules deleted (40% > 30%)' }]);
    expect(plan.changes.filter((c) => c.kind === 'delete')).toHaveLength(4);
  });

  it('allows exactly 30%', () => {
    expect(refusals(10, 3, 0).refusals).toEqual([]);
  });

  it('counts updates, and deletes and updates together', () => {
    expect(refusals(10, 0, 4).refusals[0]?.message).toBe('prod-audit: 4 of 10 rules updated (40% > 30%)');
    expect(refusals(12, 2, 2).refusals[0]?.message).toBe('prod-audit: 4 of 12 rules deleted or updated (2 deleted, 2 updated; 33.3% > 30%)');
  });

  it('leaves small instances alone', () => {
    expect(refusals(9, 9, 0).refusals).toEqual([]);
  });

  it('takes configured thresholds, defaulting the missing one', () => {
    expect(refusals(10, 4, 0, { safety: { maxChangeRatio: 0.5 } }).refusals).toEqual([]);
    expect(refusals(4, 2, 0, { safety: { minRules: 4 } }).refusals[0]?.message).toBe('prod-audit: 2 of 4 rules deleted (50% > 30%)');
  });

  it('does not count re-sends of write-only fields', () => {
    const plan = refusals(10, 0, 0, { reassertWriteOnly: true }, ['10.0.0.5']);
    expect(plan.changes.filter((c) => c.kind === 'update')).toHaveLength(10);
    expect(plan.refusals).toEqual([]);
  });
});

describe('safety refusals: edges', () => {
  it('never refuses an instance without custom rules, even when every size is checked', () => {
    const d = instance('prod-audit', { prune: true });
    const plan = computePlan(desired([d]), liveState([live(d)]), { toolVersion: 't', safety: { minRules: 0 } });
    expect(plan.refusals).toEqual([]);
  });

  it('counts an update that changes a readable field besides re-sending write-only ones', () => {
    const plan = refusals(10, 0, 4, { reassertWriteOnly: true }, ['10.0.0.5']);
    expect(plan.changes.filter((c) => c.kind === 'update')).toHaveLength(10);
    expect(plan.refusals).toEqual([{ target: KEY, message: 'prod-audit: 4 of 10 rules updated (40% > 30%)' }]);
  });

  it('does not refuse a large instance without changes', () => {
    expect(refusals(10, 0, 0).refusals).toEqual([]);
    expect(refusals(10, 0, 0).changes).toEqual([]);
  });

  it('counts each instance\'s own changes and names it by its live name', () => {
    const names = Array.from({ length: 10 }, (_, i) => `r${i}`);
    const customs = names.map((n) => ({ id: `id-${n}`, name: n }));
    const heavy = instance('heavy', { prune: true, riskRules: names.slice(5).map((n) => rule(n)) });
    const light = instance('light', { prune: true, riskRules: names.slice(1).map((n) => rule(n)) });
    const plan = computePlan(desired([heavy, light]), liveState([live(heavy, customs, { name: 'heavy-live' }), live(light, customs)]), { toolVersion: 't' });
    expect(plan.changes.filter((c) => c.kind === 'delete')).toHaveLength(6);
    expect(plan.refusals).toEqual([{ target: `${REGION}/${P1}/heavy`, message: 'heavy-live: 5 of 10 rules deleted (50% > 30%)' }]);
  });
});
