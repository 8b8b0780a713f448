import { describe, expect, it } from 'vitest';
import { desiredSubjects } from '../../src/guardrails/desired-subjects.js';
import { evaluateGuardrails } from '../../src/guardrails/evaluate-guardrails.js';
import type { Guardrail } from '../../src/guardrails/types.js';
import { header, lines, P1, P2, validateTexts } from '../policy/policy-fixtures.js';

/** Guardrails over the declared state: what validate evaluates. */

const LIBRARY = `version: 1
guardrails:
  - name: prod-drop-table-high
    match: "prod-*"
    expression: >
      instance.risk_rules.exists(r, r.status == 'ON' && r.risk_level == 'HIGH'
        && (r.actions.size() == 0 || 'DROP_TABLE' in r.actions))
    message: every prod instance audits DROP TABLE at HIGH
  - name: no-silent-world
    each: risk_rule
    severity: warning
    expression: "!(rule.risk_level == 'NO_RISK' && (rule.client_ips.size() == 0 || '0.0.0.0/0' in rule.client_ips))"
    message: no NO_RISK rule covers every client
`;

const INSTANCES = `${header()}instances:
  - name: prod-orders
    risk_rules:
      - name: drops
        risk_level: MEDIUM
        actions: [DROP_TABLE]
  - name: prod-billing
    risk_rules:
      - name: drops
        risk_level: HIGH
        actions: [DROP_TABLE]
      - name: quiet
        risk_level: NO_RISK
        client_ips: [0.0.0.0/0]
  - name: dev-1
  - match: "prod-eu-*"
`;

describe('guardrails over the declared state', () => {
  it('reads guardrails from a library document (no region, no project) and finds each violation where it is declared', () => {
    const { desired, diagnostics } = validateTexts({ 'g.yaml': LIBRARY, 'a.yaml': INSTANCES });
    expect(lines(diagnostics)).toEqual([]);
    expect(desired.guardrails?.map((g) => [g.name, g.each, g.severity, g.match])).toEqual([
      ['prod-drop-table-high', 'instance', 'error', 'prod-*'],
      ['no-silent-world', 'risk_rule', 'warning', '*'],
    ]);
    const violations = evaluateGuardrails(desired.guardrails ?? [], desiredSubjects(desired, { selectors: true }), 'desired');
    expect(violations.map((v) => [v.guardrail, v.target, v.rule ?? '', `${v.at.file}:${v.at.line}`, `${v.guardrailAt.file}:${v.guardrailAt.line}`])).toEqual([
      // The selector is checked as an instance named by its glob: prod-eu-* is a prod-* name.
      ['prod-drop-table-high', `cn-north-4/${P1}/match:prod-eu-*`, '', 'a.yaml:19', 'g.yaml:3'],
      ['no-silent-world', `cn-north-4/${P1}/prod-billing`, 'quiet', 'a.yaml:15', 'g.yaml:9'],
      ['prod-drop-table-high', `cn-north-4/${P1}/prod-orders`, '', 'a.yaml:5', 'g.yaml:3'],
    ]);
    expect(violations[1]).toMatchObject({ severity: 'warning', message: 'no NO_RISK rule covers every client', state: 'desired' });
  });

  it('reports a CEL syntax error as a validation error at the expression line, with the position in the expression', () => {
    const bad = `version: 1\nguardrails:\n  - name: broken\n    message: m\n    expression: "instance.name.startsWith('prod-') &&"\n`;
    const { diagnostics, desired } = validateTexts({ 'g.yaml': bad });
    expect(lines(diagnostics)).toEqual([
      'g.yaml:5:17 $.guardrails[0].expression: guardrail "broken": CEL syntax error at 1:35 of the expression: found & but expecting end of input',
    ]);
    expect(desired.guardrails).toBeUndefined();
  });

  it('reports a misspelt field, a type mismatch and a non-bool result as validation errors (tried on a sample instance)', () => {
    const g = (name: string, expression: string, each = 'instance') =>
      `  - name: ${name}\n    each: ${each}\n    message: m\n    expression: ${JSON.stringify(expression)}\n`;
    const text = `version: 1\nguardrails:\n${g('typo', "rule.risk_levle == 'HIGH'", 'risk_rule')}${g('types', 'instance.name + 1 == 2')}${g('int', 'instance.risk_rules.size()')}`;
    const { diagnostics } = validateTexts({ 'g.yaml': text });
    expect(lines(diagnostics)).toEqual([
      'g.yaml:6:17 $.guardrails[0].expression: guardrail "typo": CEL error on a sample instance: field not found: risk_levle',
      "g.yaml:10:17 $.guardrails[1].expression: guardrail \"types\": CEL error on a sample instance: found no matching overload for '_+_' applied to '(string, int)'",
      'g.yaml:14:17 $.guardrails[2].expression: guardrail "int": CEL error on a sample instance: the expression gave an int, not a bool',
    ]);
  });

  it('refuses a repeated guardrail name, naming the first', () => {
    const one = `  - name: same\n    message: m\n    expression: "true"\n`;
    const { diagnostics } = validateTexts({ 'a.yaml': `version: 1\nguardrails:\n${one}`, 'b.yaml': `version: 1\nguardrails:\n${one}` });
    expect(lines(diagnostics)).toEqual(['b.yaml:3:11 $.guardrails[0].name: duplicate guardrail name "same" (first declared at a.yaml:3:5)']);
  });

  it('selects instances by region and project, and counts a failed evaluation on real data as a violation with its reason', () => {
    const text = `version: 1
guardrails:
  - name: risk-task-on
    region: cn-north-4
    project_id: ${P1}
    expression: instance.summary_tasks.risk
    message: the risk summary task is on
  - name: audit-task-on
    match: "x"
    expression: instance.summary_tasks.audit
    message: the audit summary task is on
`;
    const P3 = 'c'.repeat(32);
    const { desired, diagnostics } = validateTexts({
      'g.yaml': text,
      'a.yaml': `${header()}summary_tasks: {risk: off}\ninstances:\n  - name: x\n`,
      'b.yaml': `${header(P2)}instances:\n  - name: other-project\n`,
      'c.yaml': `${header(P3, 'cn-south-1')}instances:\n  - name: other-region\n`,
    });
    expect(lines(diagnostics)).toEqual([]);
    const violations = evaluateGuardrails(desired.guardrails ?? [], desiredSubjects(desired, { selectors: true }), 'desired');
    expect(violations.map((v) => [v.guardrail, v.target, v.error ?? 'false'])).toEqual([
      ['audit-task-on', `cn-north-4/${P1}/x`, 'field not found: audit'],
      ['risk-task-on', `cn-north-4/${P1}/x`, 'false'],
    ]);
  });
});

describe('the guardrail schema agrees with the Guardrail type', () => {
  it('maps every guardrail key to a field (and back)', async () => {
    const { policySchema } = await import('../../src/policy/schema-validation.js');
    const KEYS = {
      name: 'name',
      match: 'match',
      region: 'region',
      projectId: 'project_id',
      each: 'each',
      expression: 'expression',
      message: 'message',
      severity: 'severity',
    } as const satisfies Record<Exclude<keyof Guardrail, 'source' | 'expressionAt'>, string>;
    const defs = policySchema().schema['$defs'] as Record<string, { properties?: Record<string, unknown> }>;
    expect(Object.keys(defs['guardrail']?.properties ?? {}).sort()).toEqual(Object.values(KEYS).sort());
  });
});
