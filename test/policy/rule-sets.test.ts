import { describe, expect, it } from 'vitest';
import type { DesiredInstance } from '../../src/policy/types.js';
import { header, lines, P1, validateTexts } from './policy-fixtures.js';

/**
 * Rule sets: `rule_sets:` documents, `use` / `exclude` / `overrides` on instance entries, the
 * expansion order, the provenance of every rule, and every validation error with its locations.
 */

/** A rule-set library (no region, no project_id), line numbers noted for the assertions. */
const SETS = `version: 1
rule_sets:
  baseline:
    description: every instance
    system_rules:
      Database_drag_detection: ON
      Slow_SQL_detection: ON
    risk_rules:
      - name: drop-table
        risk_level: HIGH
        actions: [DROP_TABLE]
      - name: bulk-delete
        risk_level: HIGH
        actions: [DELETE]
        affect_rows: { symbol: GREATER, value: 1000 }
  pci-extra:
    risk_rules:
      - name: card-read
        risk_level: HIGH
        actions: [SELECT]
`;

const instances = (...entries: string[]): string => `${header()}instances:\n${entries.join('')}`;
const check = (files: Record<string, string>): string[] => lines(validateTexts(files).diagnostics);
/** The instances of a tree that has no error (a set left unused is only a warning). */
const built = (files: Record<string, string>): readonly DesiredInstance[] => {
  const r = validateTexts(files);
  expect(lines(r.diagnostics.filter((d) => d.severity === 'error'))).toEqual([]);
  return r.desired.instances;
};

describe('rule sets: expansion', () => {
  it('pulls the used sets in, in use order, before the entry\'s own rules (list order is priority)', () => {
    const p = instances('  - name: prod\n    use: [pci-extra, baseline]\n    risk_rules:\n      - { name: own, risk_level: LOW }\n');
    const [prod] = built({ 'sets.yaml': SETS, 'p.yaml': p });
    expect(prod?.riskRules.map((r) => r.name)).toEqual(['card-read', 'drop-table', 'bulk-delete', 'own']);
    expect(prod?.systemRules.map((s) => `${s.name}=${s.status}`)).toEqual(['Database_drag_detection=ON', 'Slow_SQL_detection=ON']);
    // Defaults of set rules are filled in like those of the entry's own rules.
    expect(prod?.riskRules[1]).toMatchObject({ status: 'ON', affectRows: { symbol: 'GREATER_EQUAL', value: 0 }, clientIps: [] });
  });

  it('records where each rule is defined and where its set was applied', () => {
    const p = instances('  - name: prod\n    use: [baseline]\n    risk_rules:\n      - { name: own, risk_level: LOW }\n');
    const [prod] = built({ 'sets.yaml': SETS, 'p.yaml': p });
    const used = { file: 'p.yaml', line: 6, col: 11 };
    expect(prod?.riskRules.map((r) => ({ name: r.name, source: r.source, origin: r.origin }))).toEqual([
      { name: 'drop-table', source: { file: 'sets.yaml', line: 9, col: 9 }, origin: { ruleSet: 'baseline', appliedAt: used } },
      { name: 'bulk-delete', source: { file: 'sets.yaml', line: 12, col: 9 }, origin: { ruleSet: 'baseline', appliedAt: used } },
      { name: 'own', source: { file: 'p.yaml', line: 8, col: 9 }, origin: undefined },
    ]);
    expect(prod?.systemRules[1]).toEqual({
      name: 'Slow_SQL_detection',
      status: 'ON',
      source: { file: 'sets.yaml', line: 7, col: 7 },
      origin: { ruleSet: 'baseline', appliedAt: used },
    });
  });

  it('drops excluded rules (risk or system) for this entry only', () => {
    const p = instances(
      '  - name: a\n    use: [baseline]\n    exclude: [bulk-delete, Slow_SQL_detection]\n',
      '  - name: b\n    use: [baseline]\n',
    );
    const [a, b] = built({ 'sets.yaml': SETS, 'p.yaml': p });
    expect(a?.riskRules.map((r) => r.name)).toEqual(['drop-table']);
    expect(a?.systemRules.map((s) => s.name)).toEqual(['Database_drag_detection']);
    expect(b?.riskRules.map((r) => r.name)).toEqual(['drop-table', 'bulk-delete']);
  });

  it('overrides the given fields of a set rule (whole values), keeping the rest and the priority', () => {
    const p = instances(
      '  - name: a\n    use: [baseline]\n    overrides:\n' +
        '      bulk-delete: { risk_level: LOW, client_ips: [10.0.0.0/8] }\n' +
        '      Slow_SQL_detection: { status: OFF }\n',
    );
    const [a] = built({ 'sets.yaml': SETS, 'p.yaml': p });
    expect(a?.riskRules.map((r) => r.name)).toEqual(['drop-table', 'bulk-delete']);
    expect(a?.riskRules[1]).toMatchObject({
      riskLevel: 'LOW',
      clientIps: ['10.0.0.0/8'],
      actions: ['DELETE'],
      affectRows: { symbol: 'GREATER', value: 1000 },
      source: { file: 'sets.yaml', line: 12, col: 9 },
      origin: { ruleSet: 'baseline', appliedAt: { file: 'p.yaml', line: 6, col: 11 }, overriddenAt: { file: 'p.yaml', line: 8, col: 7 } },
    });
    expect(a?.systemRules.map((s) => `${s.name}=${s.status}`)).toEqual(['Database_drag_detection=ON', 'Slow_SQL_detection=OFF']);
    // The set itself is untouched for the other users.
    const [b] = built({ 'sets.yaml': SETS, 'p.yaml': instances('  - name: b\n    use: [baseline]\n') });
    expect(b?.riskRules[1]?.riskLevel).toBe('HIGH');
  });

  it('gives a selector entry the same expansion, as a selector of its project', () => {
    const p = instances('  - match: "prod-*"\n    prune: true\n    use: [baseline]\n');
    const r = validateTexts({ 'sets.yaml': SETS, 'p.yaml': p });
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(r.desired.instances).toEqual([]);
    expect(r.desired.selectors).toHaveLength(1);
    expect(r.desired.selectors?.[0]).toMatchObject({ region: 'cn-north-4', projectId: P1, pattern: 'prod-*', prune: true, source: { file: 'p.yaml', line: 5, col: 5 } });
    expect(r.desired.selectors?.[0]?.riskRules.map((x) => x.name)).toEqual(['drop-table', 'bulk-delete']);
  });

  it('accepts a document of rule sets only, without region or project_id, but not an empty one', () => {
    expect(check({ 'sets.yaml': SETS, 'p.yaml': instances('  - name: a\n    use: [baseline, pci-extra]\n') })).toEqual([]);
    expect(check({ 'p.yaml': 'version: 1\n' })).toEqual([
      'p.yaml:1:1 $.project_id: missing required key "project_id"',
      'p.yaml:1:1 $.region: missing required key "region"',
      'p.yaml:1:1 $: warning: the document declares no instances, summary_tasks, rule_sets or guardrails',
    ]);
    // Rule sets next to instances: the document is about a project again.
    expect(check({ 'p.yaml': 'version: 1\nrule_sets: {s: {}}\ninstances:\n  - name: a\n    use: [s]\n' })).toEqual([
      'p.yaml:1:1 $.project_id: missing required key "project_id"',
      'p.yaml:1:1 $.region: missing required key "region"',
    ]);
  });
});

describe('rule sets: validation, located by file:line:col with the related place', () => {
  const p = (entry: string): Record<string, string> => ({ 'sets.yaml': SETS, 'p.yaml': instances(entry) });

  it('names an unknown set, with the likely one', () => {
    expect(check(p('  - name: a\n    use: [basline, pci-extra, nope]\n'))).toEqual([
      'p.yaml:6:11 $.instances[0].use[0]: unknown rule set "basline" (did you mean "baseline"?)',
      'p.yaml:6:31 $.instances[0].use[2]: unknown rule set "nope" (rule sets: baseline, pci-extra)',
      'sets.yaml:3:3 $.rule_sets.baseline: warning: rule set "baseline" is not used by any instance entry',
    ]);
    expect(check({ 'p.yaml': instances('  - name: a\n    use: [x]\n') })).toEqual([
      'p.yaml:6:11 $.instances[0].use[0]: unknown rule set "x" (the policies declare no rule_sets)',
    ]);
  });

  it('rejects an exclude or override of a rule that no used set has', () => {
    expect(check(p('  - name: a\n    use: [pci-extra]\n    exclude: [drop-table]\n    overrides:\n      nothing: { risk_level: LOW }\n'))).toEqual([
      'p.yaml:7:15 $.instances[0].exclude[0]: exclude "drop-table": no rule of that name in the used rule sets (pci-extra)',
      'p.yaml:9:7 $.instances[0].overrides.nothing: overrides "nothing": no rule of that name in the used rule sets (pci-extra)',
      'sets.yaml:3:3 $.rule_sets.baseline: warning: rule set "baseline" is not used by any instance entry',
    ]);
    expect(check(p('  - name: a\n    exclude: [x]\n    use: [baseline, pci-extra]\n  - name: b\n    exclude: [x]\n'))).toEqual([
      'p.yaml:6:15 $.instances[0].exclude[0]: exclude "x": no rule of that name in the used rule sets (baseline, pci-extra)',
      'p.yaml:9:15 $.instances[1].exclude[0]: exclude "x": no rule of that name in a used rule set (the entry uses none)',
    ]);
  });

  it('rejects an override of an excluded rule, naming the exclude', () => {
    const diagnostics = validateTexts(p('  - name: a\n    use: [baseline, pci-extra]\n    exclude: [card-read]\n    overrides:\n      card-read: { status: OFF }\n')).diagnostics;
    expect(lines(diagnostics)).toEqual([
      'p.yaml:9:7 $.instances[0].overrides["card-read"]: overrides "card-read", which is also excluded (at p.yaml:7:15)',
    ]);
    expect(diagnostics[0]?.related).toEqual({ file: 'p.yaml', line: 7, col: 15 });
  });

  it('rejects an own rule that has the name of a set rule, naming both definitions', () => {
    const diagnostics = validateTexts(p('  - name: a\n    use: [baseline, pci-extra]\n    risk_rules:\n      - { name: bulk-delete, risk_level: LOW }\n    system_rules:\n      Slow_SQL_detection: OFF\n')).diagnostics;
    expect(lines(diagnostics)).toEqual([
      'p.yaml:8:17 $.instances[0].risk_rules[0].name: rule "bulk-delete" is also defined by rule set "baseline" (sets.yaml:12:9, used at p.yaml:6:11); rename it, or exclude or override the rule of the set',
      'p.yaml:10:7 $.instances[0].system_rules.Slow_SQL_detection: system rule "Slow_SQL_detection" is also set by rule set "baseline" (sets.yaml:7:7, used at p.yaml:6:11); change it for this entry under overrides instead',
    ]);
    expect(diagnostics.map((d) => d.related)).toEqual([
      { file: 'sets.yaml', line: 12, col: 9 },
      { file: 'sets.yaml', line: 7, col: 7 },
    ]);
  });

  it('rejects the same rule name from two used sets, at the second use', () => {
    const sets = `${SETS}  more:\n    system_rules: { Database_drag_detection: OFF }\n    risk_rules:\n      - { name: drop-table, risk_level: LOW }\n`;
    expect(check({ 'sets.yaml': sets, 'p.yaml': instances('  - name: a\n    use: [baseline, more]\n') })).toEqual([
      'p.yaml:6:21 $.instances[0].use[1]: rule "Database_drag_detection" of rule set "more" (sets.yaml:22:21, used at p.yaml:6:21) is also in rule set "baseline" (sets.yaml:6:7, used at p.yaml:6:11); a rule can come from one place only',
      'p.yaml:6:21 $.instances[0].use[1]: rule "drop-table" of rule set "more" (sets.yaml:24:9, used at p.yaml:6:21) is also in rule set "baseline" (sets.yaml:9:9, used at p.yaml:6:11); a rule can come from one place only',
      'sets.yaml:16:3 $.rule_sets["pci-extra"]: warning: rule set "pci-extra" is not used by any instance entry',
    ]);
    // Excluding the name drops it from every used set: no clash left.
    expect(check({ 'sets.yaml': sets, 'p.yaml': instances('  - name: a\n    use: [baseline, more, pci-extra]\n    exclude: [drop-table, Database_drag_detection]\n') })).toEqual([]);
  });

  it('rejects a set name declared twice anywhere in the tree, and a set used or a rule excluded twice', () => {
    const again = 'version: 1\nrule_sets:\n  baseline: {}\n';
    expect(check({ 'sets.yaml': SETS, 'z/again.yaml': again, 'p.yaml': instances('  - name: a\n    use: [baseline, pci-extra, baseline]\n    exclude: [card-read, card-read]\n') })).toEqual([
      'p.yaml:6:32 $.instances[0].use[2]: rule set "baseline" is used twice (also used at p.yaml:6:11)',
      'p.yaml:7:26 $.instances[0].exclude[1]: "card-read" is excluded twice (also at p.yaml:7:15)',
      'z/again.yaml:3:3 $.rule_sets.baseline: rule set "baseline" declared twice (also declared at sets.yaml:3:3); set names are unique across the policies tree',
    ]);
  });

  it('checks the rules inside a set and the fields of an override like any rule', () => {
    const sets = 'version: 1\nrule_sets:\n  s:\n    risk_rules:\n      - { name: r, risk_level: HIGH, client_ips: [10.0.0.300] }\n      - { name: r, risk_level: LOW }\n';
    expect(check({ 'sets.yaml': sets, 'p.yaml': instances('  - name: a\n    use: [s]\n    overrides:\n      r: { name: other, risk_level: SEVERE, client_ips: [1.2.3.4, 1.2.3.4] }\n') })).toEqual([
      'p.yaml:8:12 $.instances[0].overrides.r.name: unknown key "name" (allowed: risk_level, status, actions, affect_rows, execution_time, db_ids, client_ips, exception_ips, schemas, ignore_case)',
      'p.yaml:8:37 $.instances[0].overrides.r.risk_level: must be one of NO_RISK, LOW, MEDIUM, HIGH (got "SEVERE")',
      'p.yaml:8:67 $.instances[0].overrides.r.client_ips[1]: duplicate client_ips "1.2.3.4" (same as the entry at p.yaml:8:58)',
      'sets.yaml:5:51 $.rule_sets.s.risk_rules[0].client_ips[0]: "10.0.0.300" is not a valid IPv4 or IPv6 address',
      'sets.yaml:6:17 $.rule_sets.s.risk_rules[1].name: rule name "r" declared twice in this rule set (also declared at sets.yaml:5:17)',
    ]);
  });

  it('lets a system rule override change only its switch, and rejects bad set names', () => {
    expect(check(p('  - name: a\n    use: [baseline]\n    overrides:\n      Slow_SQL_detection: { risk_level: LOW }\n'))).toEqual([
      'p.yaml:8:27 $.instances[0].overrides.Slow_SQL_detection.status: missing required key "status"',
      'p.yaml:8:29 $.instances[0].overrides.Slow_SQL_detection.risk_level: unknown key "risk_level" (allowed: status)',
      'sets.yaml:16:3 $.rule_sets["pci-extra"]: warning: rule set "pci-extra" is not used by any instance entry',
    ]);
    expect(check({ 'sets.yaml': 'version: 1\nrule_sets:\n  -bad name: {}\n' })).toEqual([
      'sets.yaml:3:3 $.rule_sets["-bad name"]: must be a rule set name: 1-64 letters, digits, ".", "_" or "-", starting with a letter or digit (got "-bad name")',
      'sets.yaml:3:3 $.rule_sets["-bad name"]: warning: rule set "-bad name" is not used by any instance entry',
    ]);
  });

  it('rejects the same selector twice in a project, and name or id together with match', () => {
    const text = instances('  - match: "prod-*"\n', '  - match: "prod-*"\n', `  - name: a\n    match: "a*"\n`);
    expect(check({ 'p.yaml': text })).toEqual([
      `p.yaml:6:12 $.instances[1].match: selector "prod-*" of cn-north-4/${P1} declared twice (also declared at p.yaml:5:12)`,
      'p.yaml:7:5 $.instances[2]: give only one of "name", "id" and "match" in an instance entry',
    ]);
  });
});
