import { describe, expect, it } from 'vitest';
import type { DesiredInstance } from '../../../src/policy/types.js';
import { header, lines, validateTexts } from '../../policy/policy-fixtures.js';

const doc = (entries: string): string => `${header()}instances:\n  - name: prod-audit\n    sql_whitelist:\n${entries}`;

describe('sql_whitelist in a policy file', () => {
  it('reports an SQL text declared twice (after normalisation) at its file:line:col', () => {
    const text = doc(`      - sql: SELECT 1 FROM dual\n      - sql: "SELECT 2"\n      - sql: |\n          SELECT 1\n            FROM dual\n`);
    expect(lines(validateTexts({ 'a.yaml': text }).diagnostics)).toEqual([
      'a.yaml:9:14 $.instances[0].sql_whitelist[2].sql: whitelist entry "SELECT 1 FROM dual" is declared twice in this list (first at item 1; SQL texts are compared with whitespace outside quotes collapsed)',
    ]);
  });

  it('refuses a blank SQL text, an unknown field and a database id with a comma, each at its place', () => {
    const text = doc(`      - sql: "   "\n      - sql: SELECT 1\n        enabeld: true\n      - sql: SELECT 2\n        databases: [a,b, "c,d"]\n`);
    const found = lines(validateTexts({ 'a.yaml': text }).diagnostics);
    expect(found).toHaveLength(3);
    expect(found).toEqual([
      'a.yaml:7:14 $.instances[0].sql_whitelist[0].sql: the SQL text is whitespace only',
      'a.yaml:9:9 $.instances[0].sql_whitelist[1].enabeld: unknown key "enabeld" (did you mean "enabled"?)',
      'a.yaml:11:26 $.instances[0].sql_whitelist[2].databases[2]: must not be empty or contain commas or whitespace (the API joins the list with commas) (got "c,d")',
    ]);
  });

  it('builds the desired whitelist of an entry and of a rule set it uses, with defaults and provenance', () => {
    const text = `${header()}instances:\n  - name: prod-audit\n    use: [base]\n    sql_whitelist:\n      - sql: SELECT  2\n        enabled: false\nrule_sets:\n  base:\n    sql_whitelist:\n      - sql: SELECT 1\n        databases: [db1]\n`;
    const { desired, diagnostics } = validateTexts({ 'a.yaml': text });
    expect(diagnostics).toEqual([]);
    const entry = desired!.instances[0] as DesiredInstance;
    const objects = entry.kinds!['whitelist']!.objects;
    expect(objects.map((o) => [o.key, o.spec, o.source.line, o.source.ruleSet])).toEqual([
      ['SELECT 1', { databases: ['db1'], description: '', enabled: true }, 13, 'base'],
      ['SELECT 2', { databases: [], description: '', enabled: false }, 8, undefined],
    ]);
  });
});
