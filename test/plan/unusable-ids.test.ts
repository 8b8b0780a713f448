import { describe, expect, it } from 'vitest';
import { computePlan } from '../../src/plan/compute-plan.js';
import type { Change } from '../../src/plan/types.js';
import { desired, instance, live, liveState, P1, REGION, rule } from './builders.js';

/** Issue 18 item 1, in the planner: a rule whose id cannot be sent is reported and left alone. */

const opts = { toolVersion: '0.1.0' };
const KEY = `${REGION}/${P1}/prod-audit`;
const kinds = (changes: readonly Change[]): string[] => changes.map((c) => `${c.kind}:${'rule' in c ? c.rule : ''}`);
const sent = (changes: readonly Change[]): string => JSON.stringify(changes);

describe('unusable ids in the plan', () => {
  it('plans no create, update, switch, rank or delete for such a rule, and everything else as usual', () => {
    const d = instance('prod-audit', {
      prune: true,
      systemRules: [{ name: 'Slow_SQL_detection', status: 'OFF', source: { file: 'p.yaml', line: 3, col: 5 } }],
      riskRules: [rule('b', { riskLevel: 'LOW' }), rule('keep', { status: 'OFF', riskLevel: 'LOW' }), rule('a')],
    });
    const l = live(d, [
      { id: 'id-a', name: 'a' },
      { id: 'k1,sys1-Database', name: 'keep' },
      { id: 'id-b', name: 'b' },
      { id: 'gone\u0000', name: 'undeclared' },
      { id: 'id-old', name: 'old' },
    ], { withoutDetail: ['keep'] });
    const slow = l.rules.findIndex((r) => r.name === 'Slow_SQL_detection');
    const rules = l.rules.map((r, i) => (i === slow ? { ...r, id: 'sys 2' } : r));
    const plan = computePlan(desired([d]), liveState([{ ...l, rules }]), opts);
    expect(plan.errors).toEqual([]);
    expect(kinds(plan.changes)).toEqual(['update:b', 'reorder:', 'delete:old']);
    expect(plan.changes.find((c) => c.kind === 'reorder')).toMatchObject({ order: ['b', 'a'] });
    expect(sent(plan.changes)).not.toMatch(/k1,|sys 2|gone/);
    expect(plan.notes.filter((n) => n.message.startsWith('unusable'))).toEqual([
      { target: KEY, rule: 'Slow_SQL_detection', message: 'unusable rule id "sys 2": it contains whitespace; the rule is left alone (no create, update, switch, rank or delete)' },
      { target: KEY, rule: 'keep', message: 'unusable rule id "k1,sys1-Database": it contains the batch separator ","; the rule is left alone (no create, update, switch, rank or delete)' },
      { target: KEY, rule: 'undeclared', message: 'unusable rule id "gone\\u0000": it contains a control or invisible character; the rule is left alone (no create, update, switch, rank or delete)' },
    ]);
  });
});
