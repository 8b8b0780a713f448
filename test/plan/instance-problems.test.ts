import { describe, expect, it } from 'vitest';
import type { RuleSummary } from '../../src/api/types.js';
import type { LiveInstance } from '../../src/live/types.js';
import { instanceProblems } from '../../src/plan/instance-problems.js';
import { at, instance, live, rule } from './builders.js';

/** A live instance with exactly these rules (no system rules added) and details for the given ids. */
function liveWith(rules: RuleSummary[], opts: { details?: string[]; unreadDetails?: string[]; status?: string } = {}): LiveInstance {
  const d = instance('inst');
  const base = live(d);
  const details = Object.fromEntries((opts.details ?? []).map((id) => [id, { ...base.details[id], id, ...ruleSpecOf(id) }]));
  return { ...base, status: opts.status ?? 'ACTIVE', rules, details, ...(opts.unreadDetails ? { unreadDetails: opts.unreadDetails } : {}) };
}
const ruleSpecOf = (id: string) => {
  const { source: _s, exceptionIps: _e, ...spec } = rule(id);
  return spec;
};
const custom = (id: string, name: string): RuleSummary => ({ id, name, ruleType: 'CUSTOMIZE', status: 'ON' });
const system = (id: string, name: string): RuleSummary => ({ id, name, ruleType: 'SYSTEM', status: 'ON' });
const untyped = (id: string, name: string): RuleSummary => ({ id, name, ruleType: 'UNKNOWN', status: 'ON' });
const sysRule = (name: string) => ({ name, status: 'ON' as const, source: at(3) });

describe('instanceProblems: live states that cannot be planned without guessing', () => {
  it('stops an instance that is not ACTIVE, whatever it declares, and accepts ACTIVE in any case', () => {
    const d = instance('inst', { riskRules: [rule('r')] });
    expect(instanceProblems(d, liveWith([], { status: 'FROZEN' }))).toEqual(['instance inst is FROZEN, not ACTIVE']);
    expect(instanceProblems(instance('inst'), liveWith([], { status: 'active' }))).toEqual([]);
  });

  it('refuses a custom rule carrying the name of a SYSTEM rule of the instance', () => {
    const d = instance('inst', { riskRules: [rule('Site_rule')] });
    expect(instanceProblems(d, liveWith([system('s1', 'Site_rule')]))).toEqual([
      'custom rule Site_rule has the name of a system rule on the instance; declare it under system_rules',
    ]);
  });

  it('refuses a custom rule named like a known system rule that is listed without rule_type', () => {
    const d = instance('inst', { riskRules: [rule('Slow_SQL_detection')] });
    expect(instanceProblems(d, liveWith([untyped('u1', 'Slow_SQL_detection')]))).toEqual([
      'custom rule Slow_SQL_detection has the name of a system rule on the instance; declare it under system_rules',
    ]);
  });

  it('plans a custom rule named like a known system rule when the instance lists no rule of that name', () => {
    const d = instance('inst', { riskRules: [rule('Slow_SQL_detection')] });
    expect(instanceProblems(d, liveWith([untyped('u1', 'other'), custom('c1', 'x')]))).toEqual([]);
  });

  it('does not manage a declared rule listed without rule_type under another name, naming every id', () => {
    const d = instance('inst', { riskRules: [rule('maybe')] });
    expect(instanceProblems(d, liveWith([untyped('u1', 'maybe'), untyped('u2', 'maybe')]))).toEqual([
      'rule maybe (id u1, u2) is listed without rule_type, and the list\'s customize_total does not confirm it is custom (absent, or counting otherwise): cannot tell whether it is custom, so it is not managed',
    ]);
  });

  it('never manages a rule listed with an unknown rule_type as custom; it answers a system_rules entry of its name (issue 18 item 4)', () => {
    const builtIn = (id: string, name: string): RuleSummary => ({ id, name, ruleType: 'OTHER', status: 'ON' });
    expect(instanceProblems(instance('inst', { riskRules: [rule('Sensitive_export')] }), liveWith([builtIn('b1', 'Sensitive_export')]))).toEqual([
      'rule Sensitive_export (id b1) is listed with a rule_type that is neither SYSTEM nor CUSTOMIZE: it is not custom, so it is not managed (declare it under system_rules to switch it)',
    ]);
    const asSystem = instance('inst', { systemRules: [{ name: 'Sensitive_export', status: 'OFF', source: { file: 'p.yaml', line: 4, col: 5 } }] });
    expect(instanceProblems(asSystem, liveWith([builtIn('b1', 'Sensitive_export')]))).toEqual([]);
  });

  it('names every id of a custom rule listed three times', () => {
    const d = instance('inst', { riskRules: [rule('r'), rule('single')] });
    const rules = [custom('id-1', 'r'), custom('id-s', 'single'), custom('id-2', 'r'), custom('id-3', 'r')];
    expect(instanceProblems(d, liveWith(rules, { details: ['id-1', 'id-2', 'id-3', 'id-s'] }))).toEqual([
      '3 live custom rules are named r (ids id-1, id-2, id-3); cannot tell which one the policy means',
    ]);
  });

  it('asks for the detail of a declared rule unless a scoped read left it unread on purpose', () => {
    const d = instance('inst', { riskRules: [rule('r')] });
    expect(instanceProblems(d, liveWith([custom('id-r', 'r')]))).toEqual(['the detail of custom rule r (id id-r) was not read']);
    expect(instanceProblems(d, liveWith([custom('id-r', 'r')], { unreadDetails: ['id-other'] }))).toEqual([
      'the detail of custom rule r (id id-r) was not read',
    ]);
    expect(instanceProblems(d, liveWith([custom('id-r', 'r')], { unreadDetails: ['id-r'] }))).toEqual([]);
    expect(instanceProblems(d, liveWith([custom('id-r', 'r')], { details: ['id-r'] }))).toEqual([]);
  });

  it('ignores namesakes among undeclared rules', () => {
    const d = instance('inst', { riskRules: [rule('r')] });
    const rules = [custom('id-r', 'r'), custom('x1', 'x'), custom('x2', 'x'), system('s1', 'S'), system('s2', 'S')];
    expect(instanceProblems(d, liveWith(rules, { details: ['id-r'] }))).toEqual([]);
  });

  it('reports a declared system rule the instance does not list, with the live names and a close match', () => {
    const rules = [system('s2', 'Slow_SQL_detection'), untyped('u1', 'Database_drag_detection'), system('s1', 'Batch_data_deletion_detection'), custom('c', 'Slow_SQL_detection')];
    const d = instance('inst', { systemRules: [sysRule('Slow_SQL_detecton')] });
    expect(instanceProblems(d, liveWith(rules))).toEqual([
      'no system rule Slow_SQL_detecton on instance inst; it has: Batch_data_deletion_detection, Database_drag_detection, Slow_SQL_detection (did you mean "Slow_SQL_detection"?)',
    ]);
    const far = instance('inst', { systemRules: [sysRule('Something_else')] });
    expect(instanceProblems(far, liveWith(rules))).toEqual([
      'no system rule Something_else on instance inst; it has: Batch_data_deletion_detection, Database_drag_detection, Slow_SQL_detection',
    ]);
    expect(instanceProblems(far, liveWith([custom('c', 'Something_else')]))).toEqual(['no system rule Something_else on instance inst; it lists no system rules']);
  });

  it('takes a rule listed without rule_type as the system rule of its name, unless a SYSTEM rule has the name', () => {
    const d = instance('inst', { systemRules: [sysRule('Database_drag_detection')] });
    expect(instanceProblems(d, liveWith([untyped('u1', 'Database_drag_detection')]))).toEqual([]);
    expect(instanceProblems(d, liveWith([untyped('u1', 'Database_drag_detection'), untyped('u2', 'Database_drag_detection')]))).toEqual([
      '2 live system rules are named Database_drag_detection',
    ]);
    expect(instanceProblems(d, liveWith([system('s1', 'Database_drag_detection'), untyped('u1', 'Database_drag_detection')]))).toEqual([]);
    expect(instanceProblems(d, liveWith([system('s1', 'Database_drag_detection'), system('s2', 'Database_drag_detection')]))).toEqual([
      '2 live system rules are named Database_drag_detection',
    ]);
  });
});
