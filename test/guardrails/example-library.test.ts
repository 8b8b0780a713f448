import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { desiredSubjects } from '../../src/guardrails/desired-subjects.js';
import { evaluateGuardrails } from '../../src/guardrails/evaluate-guardrails.js';
import { desiredKindVariables, liveKindVariables } from '../../src/guardrails/kind-variables.js';
import type { GuardrailSubject } from '../../src/guardrails/subjects.js';
import type { Guardrail } from '../../src/guardrails/types.js';
import type { DesiredKind, LiveKind } from '../../src/kinds/kind.js';
import { header, lines, validateTexts } from '../policy/policy-fixtures.js';

/**
 * The shipped example library (examples/guardrails/estate.yaml): each guardrail catches what it
 * says, and the placeholders for kinds not declared yet pass until a kind is there, then read it
 * through the generic `instance.kinds` variables.
 */

const REPO = join(import.meta.dirname, '../..');
const library = await readFile(join(REPO, 'examples/guardrails/estate.yaml'), 'utf8');

function check(instances: string) {
  const { desired, diagnostics } = validateTexts({ 'guardrails.yaml': library, 'a.yaml': `${header()}instances:\n${instances}` });
  expect(lines(diagnostics)).toEqual([]);
  return evaluateGuardrails(desired.guardrails ?? [], desiredSubjects(desired, { selectors: true }), 'desired');
}

describe('examples/guardrails/estate.yaml', () => {
  it('validates: four guardrails, every expression parses and runs on the sample instance', () => {
    const { desired, diagnostics } = validateTexts({ 'guardrails.yaml': library });
    expect(lines(diagnostics)).toEqual([]);
    expect(desired.guardrails?.map((g) => g.name)).toEqual(['prod-drop-table-high', 'no-world-at-no-risk', 'result-set-storage-off', 'alarms-on-with-high']);
  });

  it('prod-drop-table-high: an ON HIGH rule with DROP_TABLE (or any operation) holds it; MEDIUM, OFF or another action does not; non-prod is not checked', () => {
    const entry = (name: string, fields: string) => `  - name: ${name}\n    risk_rules:\n      - {name: r, ${fields}}\n`;
    const violations = check(
      entry('prod-ok', 'risk_level: HIGH, actions: [DROP_TABLE, DELETE]') +
        entry('prod-any', 'risk_level: HIGH') +
        entry('prod-medium', 'risk_level: MEDIUM, actions: [DROP_TABLE]') +
        entry('prod-off', 'risk_level: HIGH, status: OFF, actions: [DROP_TABLE]') +
        entry('prod-other', 'risk_level: HIGH, actions: [DELETE]') +
        entry('dev-medium', 'risk_level: MEDIUM, actions: [DROP_TABLE]'),
    );
    expect(violations.map((v) => [v.guardrail, v.target.split('/')[2]])).toEqual([
      ['prod-drop-table-high', 'prod-medium'],
      ['prod-drop-table-high', 'prod-off'],
      ['prod-drop-table-high', 'prod-other'],
    ]);
  });

  it('no-world-at-no-risk: a NO_RISK rule for 0.0.0.0/0 or for every client breaks it, at the rule', () => {
    const violations = check(
      '  - name: dev\n    risk_rules:\n' +
        '      - {name: world, risk_level: NO_RISK, client_ips: [0.0.0.0/0]}\n' +
        '      - {name: everyone, risk_level: NO_RISK}\n' +
        '      - {name: subnet, risk_level: NO_RISK, client_ips: [10.0.0.0/8]}\n' +
        '      - {name: high-world, risk_level: HIGH, client_ips: [0.0.0.0/0]}\n',
    );
    expect(violations.map((v) => [v.guardrail, v.rule, v.at.line])).toEqual([
      ['no-world-at-no-risk', 'everyone', 8],
      ['no-world-at-no-risk', 'world', 7],
    ]);
  });

  it('the masking and alarm guardrails read instance.kinds generically: they pass without the kinds, and catch result-set storage ON and alarms without HIGH', () => {
    const { desired } = validateTexts({ 'guardrails.yaml': library });
    const registry = [{ name: 'masking' }, { name: 'alarm' }];
    const src = { file: 'a.yaml', line: 9, col: 5 };
    const kind = (settings: Record<string, unknown>): DesiredKind => ({
      objects: [],
      switches: [],
      settings: Object.fromEntries(Object.entries(settings).map(([k, value]) => [k, { value: value as never, source: src }])),
      prune: false,
    });
    const subject = (name: string, kinds: Record<string, DesiredKind>): GuardrailSubject => ({
      target: `r/p/${name}`,
      name,
      region: 'cn-north-4',
      projectId: 'p',
      at: src,
      instance: { name, risk_rules: [], system_rules: [], summary_tasks: {}, kinds: desiredKindVariables(kinds, registry) },
      riskRules: [],
      systemRules: [],
    });
    const placeholders = (desired.guardrails ?? []).filter((g) => g.name === 'result-set-storage-off' || g.name === 'alarms-on-with-high');
    const violations = evaluateGuardrails(
      placeholders,
      [
        subject('none', {}),
        subject('fine', { masking: kind({ result_set_storage: 'OFF' }), alarm: kind({ enabled: 'ON', risk_levels: ['HIGH', 'MEDIUM'] }) }),
        subject('bad', { masking: kind({ result_set_storage: 'ON' }), alarm: kind({ enabled: 'ON', risk_levels: ['LOW'] }) }),
      ],
      'desired',
    );
    expect(violations.map((v) => [v.guardrail, v.target, v.error ?? 'false'])).toEqual([
      ['alarms-on-with-high', 'r/p/bad', 'false'],
      ['result-set-storage-off', 'r/p/bad', 'false'],
    ]);
  });
});

describe('instance.kinds', () => {
  it('has the same shape for every registered kind: objects with key and spec, switches, settings; live objects with id, built_in and rank', () => {
    const src = { file: 'a.yaml', line: 3, col: 5 };
    const declared: DesiredKind = {
      objects: [{ key: 'all-dbs', spec: { databases: ['orders'], port: 3306 }, source: src }],
      switches: [{ name: 'built-in-scope', status: 'OFF', source: src }],
      settings: { full_audit: { value: 'OFF', source: src } },
      prune: false,
    };
    const read: LiveKind = {
      objects: [
        { id: 'x1', key: 'all-dbs', builtIn: false, spec: { databases: ['orders'] }, rank: 2 },
        { id: 'x0', key: 'built-in-scope', builtIn: true, spec: { status: 'ON' } },
      ],
      settings: { full_audit: 'ON' },
      observations: [],
    };
    const registry = [{ name: 'audit-scope' }];
    expect(desiredKindVariables({ 'audit-scope': declared, unregistered: declared }, registry)).toEqual({
      'audit-scope': {
        objects: [{ key: 'all-dbs', databases: ['orders'], port: 3306n }],
        switches: [{ name: 'built-in-scope', status: 'OFF' }],
        settings: { full_audit: 'OFF' },
      },
    });
    expect(liveKindVariables({ 'audit-scope': read }, registry)).toEqual({
      'audit-scope': {
        objects: [
          { key: 'all-dbs', id: 'x1', built_in: false, rank: 2n, databases: ['orders'] },
          { key: 'built-in-scope', id: 'x0', built_in: true, status: 'ON' },
        ],
        switches: [{ name: 'built-in-scope', status: 'ON' }],
        settings: { full_audit: 'ON' },
      },
    });
  });
});

describe('each: <kind>', () => {
  it('evaluates once per object of the kind (variable object), located at the object, the violation naming the kind and key', () => {
    const guardrail: Guardrail = {
      name: 'sql-injection-high',
      match: '*',
      each: 'sql-injection',
      expression: "object.risk_level == 'HIGH'",
      message: 'SQL-injection rules are HIGH',
      severity: 'error',
      source: { file: 'g.yaml', line: 3, col: 5 },
      expressionAt: { file: 'g.yaml', line: 6, col: 17 },
    };
    const objects = [
      { key: 'union-select', risk_level: 'HIGH' },
      { key: 'sleep', risk_level: 'LOW' },
    ];
    const subject: GuardrailSubject = {
      target: 'r/p/prod-a',
      name: 'prod-a',
      region: 'cn-north-4',
      projectId: 'p',
      at: { file: 'a.yaml', line: 5, col: 5 },
      instance: { name: 'prod-a', kinds: { 'sql-injection': { objects, switches: [], settings: {} } } },
      riskRules: [],
      systemRules: [],
      objects: { 'sql-injection': objects.map((o, i) => ({ name: o.key, vars: o, at: { file: 'a.yaml', line: 8 + i, col: 9 } })) },
    };
    const violations = evaluateGuardrails([guardrail], [subject], 'live');
    expect(violations).toEqual([
      {
        guardrail: 'sql-injection-high',
        severity: 'error',
        message: 'SQL-injection rules are HIGH',
        state: 'live',
        target: 'r/p/prod-a',
        rule: 'sleep',
        kind: 'sql-injection',
        at: { file: 'a.yaml', line: 9, col: 9 },
        guardrailAt: { file: 'g.yaml', line: 3, col: 5 },
      },
    ]);
  });

  it('each must be instance, risk_rule, system_rule or a registered kind: anything else is a validation error at the key', () => {
    const { diagnostics } = validateTexts({ 'g.yaml': 'version: 1\nguardrails:\n  - name: g\n    each: audit_scopes\n    message: m\n    expression: "true"\n' });
    expect(lines(diagnostics)).toEqual([
      expect.stringMatching(/^g\.yaml:4:11 \$\.guardrails\[0\]\.each: each must be instance, risk_rule, system_rule(, [a-z-]+)* \(the name of a kind\); got "audit_scopes"$/),
    ]);
  });
});

describe('kind objects of declared and live instances', () => {
  it('locate each object at its declaration; a live object no entry declares at the instance entry', async () => {
    const { desiredSubjects } = await import('../../src/guardrails/desired-subjects.js');
    const { liveSubjects } = await import('../../src/guardrails/live-subjects.js');
    const { instance, live, liveState, at } = await import('../plan/builders.js');
    const registry = [{ name: 'sql-injection' }];
    const declaredKind: DesiredKind = {
      objects: [{ key: 'union-select', spec: { risk_level: 'LOW' }, source: { ...at(30), ruleSet: 'base' } }],
      switches: [],
      settings: {},
      prune: false,
    };
    const d = instance('prod-a', { kinds: { 'sql-injection': declaredKind } });
    const readKind: LiveKind = {
      objects: [
        { id: 'i1', key: 'union-select', builtIn: false, spec: { risk_level: 'LOW' } },
        { id: 'i2', key: 'hand-made', builtIn: false, spec: { risk_level: 'LOW' } },
      ],
      settings: {},
      observations: [],
    };
    const l = { ...live(d), kinds: { 'sql-injection': readKind } };
    const g: Guardrail = {
      name: 'high',
      match: '*',
      each: 'sql-injection',
      expression: "object.risk_level == 'HIGH'",
      message: 'm',
      severity: 'warning',
      source: at(3, 'g.yaml'),
      expressionAt: at(4, 'g.yaml'),
    };
    const desiredState = { instances: [d], summaryTasks: [] };
    const violations = [
      ...evaluateGuardrails([g], desiredSubjects(desiredState, { selectors: false, registry }), 'desired'),
      ...evaluateGuardrails([g], liveSubjects(liveState([l]), desiredState, registry), 'live'),
    ];
    expect(violations.map((v) => [v.state, v.kind, v.rule, v.at])).toEqual([
      ['desired', 'sql-injection', 'union-select', at(30)],
      ['live', 'sql-injection', 'hand-made', at(1)],
      ['live', 'sql-injection', 'union-select', at(30)],
    ]);
  });
});
