import { describe, expect, it } from 'vitest';
import type { RuleSummary } from '../../src/api/types.js';
import type { LiveInstance } from '../../src/live/types.js';
import { computePlan } from '../../src/plan/compute-plan.js';
import { UNREAD_RISK_LEVEL_NOTE, planInstance } from '../../src/plan/plan-instance.js';
import type { Change } from '../../src/plan/types.js';
import { at, desired, instance, live, liveState, P1, REGION, rule } from './builders.js';

const KEY = `${REGION}/${P1}/prod-audit`;
const opts = { reassertWriteOnly: false };
const ids = (changes: readonly Change[]): string[] => changes.map((c) => c.id.slice(KEY.length));
const withRules = (l: LiveInstance, rules: RuleSummary[]): LiveInstance => ({ ...l, rules });

describe('planInstance: what it leaves alone and says', () => {
  it('notes a rule listed without rule_type that no system_rules entry claims, and switches one that is claimed', () => {
    const d = instance('prod-audit', { systemRules: [{ name: 'Odd_builtin', status: 'OFF', source: at(3) }] });
    const base = live(d);
    const rules: RuleSummary[] = [
      ...base.rules,
      { id: 'u1', name: 'Odd_builtin', ruleType: 'UNKNOWN', status: 'ON', rank: 9 },
      { id: 'u2', name: 'mystery', ruleType: 'UNKNOWN', status: 'ON', rank: 10 },
    ];
    const p = planInstance(d, withRules(base, rules), opts);
    expect(p.notes).toEqual([{ target: KEY, rule: 'mystery', message: 'listed without rule_type (id u2) and cannot be told from a system rule; not managed' }]);
    expect(p.changes).toEqual([
      { id: `${KEY}#switch:OFF`, target: KEY, kind: 'switch', status: 'OFF', rules: [{ id: 'u1', name: 'Odd_builtin', system: true, source: at(3) }], review: { weakening: true, reasons: ['Odd_builtin turned OFF'] } },
    ]);
  });

  it('deletes every undeclared custom rule of a name listed twice (prune), each change id naming its rule id', () => {
    const d = instance('prod-audit', { prune: true, riskRules: [rule('keep')] });
    const l = live(d, [{ id: 'id-k', name: 'keep' }, { id: 'id-x1', name: 'x' }, { id: 'id-old', name: 'old' }, { id: 'id-x2', name: 'x' }]);
    const deletes = planInstance(d, l, opts).changes.filter((c) => c.kind === 'delete');
    expect(deletes.map((c) => [c.id.slice(KEY.length), c.kind === 'delete' && c.ruleId])).toEqual([
      ['#delete:x (id id-x1)', 'id-x1'],
      ['#delete:old', 'id-old'],
      ['#delete:x (id id-x2)', 'id-x2'],
    ]);
    const kept = planInstance({ ...d, prune: false }, l, opts);
    expect(kept.changes.filter((c) => c.kind === 'delete')).toEqual([]);
    expect(kept.notes.map((n) => n.rule)).toEqual(['x', 'old']);
  });

  it('prefers the SYSTEM-typed rule of a name over one listed without rule_type', () => {
    const d = instance('prod-audit', { systemRules: [{ name: 'Slow_SQL_detection', status: 'ON', source: at(3) }] });
    const base = live(d);
    const rules: RuleSummary[] = [{ id: 'u9', name: 'Slow_SQL_detection', ruleType: 'UNKNOWN', status: 'OFF', rank: 20 }, ...base.rules];
    expect(planInstance(d, withRules(base, rules), opts)).toEqual({ changes: [], notes: [] });
  });

  it('plans neither update nor switch for a declared rule whose detail a scoped read skipped', () => {
    const d = instance('prod-audit', { riskRules: [rule('a', { status: 'OFF', riskLevel: 'LOW' })] });
    const l = live(d, [{ id: 'id-a', name: 'a' }], { withoutDetail: ['a'] });
    expect(planInstance(d, { ...l, unreadDetails: ['id-a'] }, opts)).toEqual({ changes: [], notes: [] });
  });

  it('reads an unreturned risk level as the declared one and notes it, still updating other fields', () => {
    const d = instance('prod-audit', { riskRules: [rule('a', { riskLevel: 'LOW' }), rule('b', { riskLevel: 'LOW', actions: ['DELETE'] })] });
    const l = live(d, [{ id: 'id-a', name: 'a' }, { id: 'id-b', name: 'b' }]);
    const details = Object.fromEntries(Object.entries(l.details).map(([id, x]) => { const { riskLevel: _r, ...rest } = x; return [id, rest]; }));
    const p = planInstance(d, { ...l, details }, opts);
    expect(p.notes).toEqual([
      { target: KEY, rule: 'a', message: UNREAD_RISK_LEVEL_NOTE },
      { target: KEY, rule: 'b', message: UNREAD_RISK_LEVEL_NOTE },
    ]);
    expect(ids(p.changes)).toEqual(['#update:b']);
    expect(p.changes[0]).toMatchObject({ fields: [{ field: 'actions', before: ['SELECT'], after: ['DELETE'] }], before: { riskLevel: 'LOW' } });
    expect(UNREAD_RISK_LEVEL_NOTE).toBe('risk_level is not returned by the API for this rule; it is not verified (an update sends it)');
  });

  it('notes declared rules listed without rank and leaves them out of the reorder', () => {
    const d = instance('prod-audit', { riskRules: [rule('c'), rule('b'), rule('a'), rule('x')] });
    const l = live(d, ['a', 'b', 'c', 'x'].map((n) => ({ id: `id-${n}`, name: n })));
    const rules = l.rules.map((r) => (r.name === 'b' || r.name === 'x' ? { id: r.id, name: r.name, ruleType: r.ruleType, status: r.status } : r));
    const p = planInstance(d, withRules(l, rules), opts);
    expect(p.notes).toEqual([{ target: KEY, message: 'listed without rank, so not ordered: b, x' }]);
    // Ranked: a (5) then c (7); one of them moves, and the shown ranks 5, 7 have a gap: no exact calls.
    expect(p.changes).toEqual([
      { id: `${KEY}#reorder`, target: KEY, kind: 'reorder', order: ['c', 'b', 'a', 'x'], moves: ['a'], review: { weakening: false, reasons: [] } },
    ]);
  });

  it('leaves the rank calls to apply when the numbering has gaps, and gives them when it has none', () => {
    const d = instance('prod-audit', { riskRules: [rule('b'), rule('a')] });
    const l = live(d, ['a', 'b'].map((n) => ({ id: `id-${n}`, name: n })));
    const rules = l.rules.map((r) => (r.ruleType === 'CUSTOMIZE' ? { ...r, rank: r.rank! * 10 } : r));
    expect(planInstance(d, withRules(l, rules), opts).changes).toEqual([
      { id: `${KEY}#reorder`, target: KEY, kind: 'reorder', order: ['b', 'a'], moves: ['a'], review: { weakening: false, reasons: [] } },
    ]);
    expect(planInstance(d, l, opts).changes).toEqual([
      { id: `${KEY}#reorder`, target: KEY, kind: 'reorder', order: ['b', 'a'], moves: ['a'], rankCalls: [{ id: 'id-a', newRank: 6 }], review: { weakening: false, reasons: [] } },
    ]);
  });

  it('predicts moves after creates from the ranked rules, creates appended in declaration order', () => {
    const d = instance('prod-audit', { riskRules: [rule('n2'), rule('b'), rule('n1'), rule('a')] });
    const l = live(d, ['a', 'b'].map((n) => ({ id: `id-${n}`, name: n })));
    const p = planInstance(d, l, opts);
    expect(ids(p.changes)).toEqual(['#create:n2', '#create:n1', '#reorder']);
    // Predicted list: sys1..4, a, b, n2, n1 (desired positions 3, 1, 0, 2): n2, n1 stay; b and a move.
    expect(p.changes[2]).toEqual({ id: `${KEY}#reorder`, target: KEY, kind: 'reorder', order: ['n2', 'b', 'n1', 'a'], moves: ['b', 'a'], review: { weakening: false, reasons: [] } });
  });

  it('places each create apart in the prediction', () => {
    const d = instance('prod-audit', { riskRules: [rule('n1'), rule('a'), rule('b'), rule('n2')] });
    // Predicted: a, b, n1, n2 (desired positions 1, 2, 0, 3): a, b, n2 stay, n1 moves.
    const live2 = live(d, [{ id: 'id-a', name: 'a' }, { id: 'id-b', name: 'b' }]);
    expect(planInstance(d, live2, opts).changes[2]).toMatchObject({ kind: 'reorder', moves: ['n1'] });
  });

  it('predicts moves after creates without the unranked custom rules', () => {
    const d = instance('prod-audit', { riskRules: [rule('new'), rule('b'), rule('a')] });
    const l = live(d, ['a', 'b'].map((n) => ({ id: `id-${n}`, name: n })));
    const rules = l.rules.map((r) => (r.name === 'a' ? { id: r.id, name: r.name, ruleType: r.ruleType, status: r.status } : r.ruleType === 'SYSTEM' ? { id: r.id, name: r.name, ruleType: r.ruleType, status: r.status } : r));
    const p = planInstance(d, withRules(l, rules), opts);
    // Predicted: b, new (a is unranked, so not placed): new stays, b moves below it.
    expect(p.changes[1]).toMatchObject({ kind: 'reorder', order: ['new', 'b', 'a'], moves: ['b'] });
  });

  it('computes the same through computePlan', () => {
    const d = instance('prod-audit', { riskRules: [rule('b'), rule('a')] });
    const l = live(d, ['a', 'b'].map((n) => ({ id: `id-${n}`, name: n })));
    expect(computePlan(desired([d]), liveState([l]), { toolVersion: 't' }).changes).toEqual(planInstance(d, l, opts).changes);
  });
});
