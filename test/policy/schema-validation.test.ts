import { describe, expect, it } from 'vitest';
import { header, lines, P1, validateTexts } from './policy-fixtures.js';

/** One instance with one rule whose body lines are given (indented under the rule). */
function withRule(...ruleLines: string[]): string {
  return `${header()}instances:\n  - name: prod-audit\n    risk_rules:\n      - name: r1\n${ruleLines.map((l) => `        ${l}\n`).join('')}`;
}

const errorsOf = (text: string): string[] => lines(validateTexts({ 'p.yaml': text }).diagnostics);

describe('schema validation messages and positions', () => {
  it('accepts a complete document and fills in every default from the schema', () => {
    const { desired, diagnostics } = validateTexts({ 'p.yaml': withRule('risk_level: LOW') });
    expect(diagnostics).toEqual([]);
    const rule = desired.instances[0]?.riskRules[0];
    expect(rule).toMatchObject({
      name: 'r1',
      riskLevel: 'LOW',
      status: 'ON',
      actions: [],
      affectRows: { symbol: 'GREATER_EQUAL', value: 0 },
      executionTime: { symbol: 'GREATER_EQUAL', value: 0 },
      dbIds: [],
      clientIps: [],
      exceptionIps: [],
      schemas: [],
      ignoreCase: false,
      source: { file: 'p.yaml', line: 7, col: 9 },
    });
    expect(desired.instances[0]?.prune).toBe(false);
  });

  it('lists the allowed values of an enum and points at the value', () => {
    expect(errorsOf(withRule('risk_level: CRITICAL'))).toEqual([
      'p.yaml:8:21 $.instances[0].risk_rules[0].risk_level: must be one of NO_RISK, LOW, MEDIUM, HIGH (got "CRITICAL")',
    ]);
    // An action token outside the documented list is kept with a warning (see cross-rules tests);
    // what is not a token at all still lists the documented ones.
    expect(errorsOf(withRule('risk_level: HIGH', 'actions: [SELECT, 7]'))[0]).toMatch(
      /^p\.yaml:9:27 \$\.instances\[0\]\.risk_rules\[0\]\.actions\[1\]: must be one of LOGIN, CREATE_TABLE, .*GRANT, OPERATE ALL \(got 7\)$/,
    );
  });

  it('names an unknown key, points at the key and suggests the likely one', () => {
    expect(errorsOf(withRule('risk_level: HIGH', 'riskLevel: HIGH', 'colour: red'))).toEqual([
      'p.yaml:9:9 $.instances[0].risk_rules[0].riskLevel: unknown key "riskLevel" (did you mean "risk_level"?)',
      'p.yaml:10:9 $.instances[0].risk_rules[0].colour: unknown key "colour" (allowed: name, risk_level, status, actions, affect_rows, execution_time, db_ids, client_ips, exception_ips, schemas, ignore_case)',
    ]);
  });

  // Only Database_drag_detection is a confirmed name: any system rule name is accepted, checked
  // against the live instance when planning, and an unknown one gets a warning (cross-rules).
  it('accepts any system rule name switched ON or OFF, warning about an unknown one with a did-you-mean', () => {
    const text = `${header()}instances:\n  - name: a\n    system_rules:\n      Slow_SQL_detection: on\n      Slow_sql_detection: ON\n      Regional_rule: OFF\n`;
    const known = 'known: Database_drag_detection, Slow_SQL_detection, Batch_data_tampering_detection, Batch_data_deletion_detection';
    const live = "it is checked against the instance's live system rules when planning";
    expect(errorsOf(text)).toEqual([
      'p.yaml:7:27 $.instances[0].system_rules.Slow_SQL_detection: must be one of ON, OFF (got "on")',
      `p.yaml:8:7 $.instances[0].system_rules.Slow_sql_detection: warning: system rule "Slow_sql_detection" is not one of the built-in names this tool knows (did you mean "Slow_SQL_detection"? ${known}); ${live}`,
      `p.yaml:9:7 $.instances[0].system_rules.Regional_rule: warning: system rule "Regional_rule" is not one of the built-in names this tool knows (${known}); ${live}`,
    ]);
    expect(validateTexts({ 'p.yaml': text }).diagnostics.filter((d) => d.severity === 'error')).toHaveLength(1);
  });

  it('keeps action tokens outside the documented list with a warning, and offers the documented ones', () => {
    const { diagnostics } = validateTexts({ 'p.yaml': withRule('risk_level: HIGH', 'actions: [GRANT, REVOKE, OPERATE ALL]') });
    expect(diagnostics.map((d) => d.severity)).toEqual(['warning']);
    expect(lines(diagnostics)[0]).toMatch(/actions\[1\]: warning: action "REVOKE" is not in the documented list \(LOGIN, .*, GRANT, OPERATE ALL\); it is kept and sent as written/);
  });

  it('points a missing required key at the mapping that lacks it', () => {
    expect(errorsOf(withRule('status: OFF'))).toEqual([
      'p.yaml:7:9 $.instances[0].risk_rules[0].risk_level: missing required key "risk_level"',
    ]);
    expect(errorsOf('region: cn-north-4\n')).toEqual([
      `p.yaml:1:1 $.project_id: missing required key "project_id"`,
      `p.yaml:1:1 $.version: missing required key "version" (write version: 1)`,
      'p.yaml:1:1 $: warning: the document declares no instances, summary_tasks, rule_sets or guardrails',
    ]);
  });

  it('requires exactly one of name and id on an instance', () => {
    const both = `${header()}instances:\n  - name: a\n    id: 5f2b7c0e9a1d4e3f8b6c2d1a0e9f8b7c\n  - prune: true\n`;
    expect(errorsOf(both)).toEqual([
      'p.yaml:5:5 $.instances[0]: give only one of "name", "id" and "match" in an instance entry',
      'p.yaml:7:5 $.instances[1]: an instance entry needs "name", "id" or "match" (exactly one of them)',
    ]);
  });

  it('explains unsupported and missing versions', () => {
    expect(errorsOf(`version: 2\nregion: nowhere\nfuture_key: 1\n`)).toEqual([
      'p.yaml:1:10 $.version: unsupported policy version 2: this dbss-policy reads version 1',
    ]);
    expect(errorsOf(`version: "1"\nregion: cn-north-4\nproject_id: ${P1}\n`)[0]).toBe(
      'p.yaml:1:10 $.version: unsupported policy version "1": this dbss-policy reads version 1',
    );
  });

  it.each([
    ['region: North-4', 'p.yaml:2:9 $.region: must be a region id such as cn-north-4 (got "North-4")'],
    ['project_id: abc', 'p.yaml:3:13 $.project_id: must be an IAM project id: 32-64 letters or digits (got "abc")'],
    ['project_id: 12345', 'p.yaml:3:13 $.project_id: must be a string (got 12345)'],
  ])('explains a bad header value: %s', (line, expected) => {
    const base = header().split('\n');
    const key = line.split(':')[0] ?? '';
    const text = base.map((l) => (l.startsWith(`${key}:`) ? line : l)).join('\n');
    expect(errorsOf(`${text}summary_tasks: {risk: on}\n`)).toEqual([expected]);
  });

  it('rejects empty, blank and padded names, and over-long ones', () => {
    const text = `${header()}instances:\n  - name: ""\n  - name: "  "\n  - name: " x"\n  - name: ${'n'.repeat(256)}\n`;
    expect(errorsOf(text)).toEqual([
      'p.yaml:5:11 $.instances[0].name: must not be empty or whitespace only (got "")',
      'p.yaml:6:11 $.instances[1].name: must not be empty or whitespace only (got "  ")',
      'p.yaml:7:11 $.instances[2].name: must not start or end with whitespace, nor span lines (got " x")',
      'p.yaml:8:11 $.instances[3].name: must be at most 255 UTF-16 code units, as DBSS counts (got 256; a character outside the BMP, e.g. an emoji, counts as 2)',
    ]);
  });

  it('checks thresholds, list entries and schema targets', () => {
    const text = withRule(
      'risk_level: HIGH',
      'affect_rows: { symbol: MORE, value: -1 }',
      'execution_time: { value: 1.5 }',
      'db_ids: ["a,b"]',
      'client_ips: ["10.0.0.1,10.0.0.2"]',
      'schemas: [{}]',
      'ignore_case: "yes"',
    );
    expect(errorsOf(text)).toEqual([
      'p.yaml:9:32 $.instances[0].risk_rules[0].affect_rows.symbol: must be one of GREATER, EQUAL, LESS, GREATER_EQUAL, LESS_EQUAL, NO_MATCH (got "MORE")',
      'p.yaml:9:45 $.instances[0].risk_rules[0].affect_rows.value: must be at least 0 (got -1)',
      'p.yaml:10:25 $.instances[0].risk_rules[0].execution_time.symbol: missing required key "symbol"',
      'p.yaml:10:34 $.instances[0].risk_rules[0].execution_time.value: must be an integer (got 1.5)',
      'p.yaml:11:18 $.instances[0].risk_rules[0].db_ids[0]: must not be empty or contain commas or whitespace (the API joins the list with commas) (got "a,b")',
      'p.yaml:12:22 $.instances[0].risk_rules[0].client_ips[0]: must not be empty or contain a comma: write one entry per list item (got "10.0.0.1,10.0.0.2")',
      'p.yaml:13:19 $.instances[0].risk_rules[0].schemas[0]: must not be empty: set at least one of schema, table, column',
      'p.yaml:14:22 $.instances[0].risk_rules[0].ignore_case: must be true or false (got "yes")',
    ]);
  });

  it('accepts on/off summary tasks and rejects true/false with a hint', () => {
    expect(errorsOf(`${header()}summary_tasks:\n  risk: on\n  audit: off\n`)).toEqual([]);
    expect(errorsOf(`${header()}summary_tasks:\n  risk: true\n  audit: OFF\n`)).toEqual([
      'p.yaml:5:9 $.summary_tasks.risk: must be one of on, off (got true); write on or off, not true/false',
      'p.yaml:6:10 $.summary_tasks.audit: must be one of on, off (got "OFF")',
    ]);
    expect(errorsOf(`${header()}summary_tasks: {}\n`)).toEqual([
      'p.yaml:4:16 $.summary_tasks: must not be empty: set at least one of risk, audit',
    ]);
  });

  it('reports every schema problem of every document, sorted', () => {
    const text = `${withRule('risk_level: BAD')}---\n${header()}instances:\n  - name: b\n    prune: maybe\n`;
    expect(errorsOf(text).map((l) => l.split(' ')[0])).toEqual(['p.yaml:8:21', 'p.yaml:15:12']);
  });
});
