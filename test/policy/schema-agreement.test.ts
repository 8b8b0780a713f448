import { KINDS } from '../../src/kinds/registry.js';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { RiskRuleSpec, Switch, Threshold } from '../../src/domain.js';
import { ACTIONS, BUSI_TYPES, COMPARISONS, RISK_LEVELS, SYSTEM_RULE_NAMES } from '../../src/domain.js';
import { policySchema } from '../../src/policy/schema-validation.js';
import type { DesiredInstance } from '../../src/policy/types.js';
import { readPage, section } from '../helpers/doc-pages.js';
import { header, validateTexts } from './policy-fixtures.js';

/**
 * The schema is the source of truth of the policy shape; the TypeScript domain types must not
 * drift from it. These tables name every correspondence explicitly: `satisfies` fails the
 * type-check when a domain field is added, and the tests fail when the schema changes alone.
 */
const RISK_RULE_KEYS = {
  name: 'name',
  riskLevel: 'risk_level',
  status: 'status',
  actions: 'actions',
  affectRows: 'affect_rows',
  executionTime: 'execution_time',
  dbIds: 'db_ids',
  clientIps: 'client_ips',
  exceptionIps: 'exception_ips',
  schemas: 'schemas',
  ignoreCase: 'ignore_case',
} as const satisfies Record<keyof RiskRuleSpec, string>;

const INSTANCE_KEYS = {
  ref: ['name', 'id'],
  selector: ['match'],
  prune: ['prune'],
  systemRules: ['system_rules'],
  riskRules: ['risk_rules'],
  kinds: KINDS.flatMap((k) => k.policyKeys),
} as const satisfies Record<Exclude<keyof DesiredInstance, 'region' | 'projectId' | 'source'>, readonly string[]>;

/** Instance keys consumed by the rule set expansion: they shape riskRules and systemRules. */
const EXPANSION_KEYS = ['use', 'exclude', 'overrides'] as const;

const THRESHOLD_KEYS = { symbol: 'symbol', value: 'value' } as const satisfies Record<keyof Threshold, string>;
const SWITCHES = ['ON', 'OFF'] as const satisfies readonly Switch[];

type SchemaNode = { [key: string]: unknown; properties?: Record<string, SchemaNode>; enum?: unknown[] };
const { schema } = policySchema();
const defs = schema['$defs'] as Record<string, SchemaNode>;
const def = (name: string): SchemaNode => defs[name] ?? {};
const keys = (node: SchemaNode): string[] => Object.keys(node.properties ?? {}).sort();

describe('the JSON Schema agrees with the TypeScript domain', () => {
  it('has the enums of src/domain.ts, in the same order', () => {
    expect(def('riskLevel').enum).toEqual(RISK_LEVELS);
    expect(def('riskRule').properties?.['risk_level']?.['$ref']).toBe('#/$defs/riskLevel');
    // documented tokens are the editor suggestions (first alternative); other tokens pass with a warning
    expect(((def('actionList')['items'] as SchemaNode)['anyOf'] as SchemaNode[])[0]!.enum).toEqual(ACTIONS);
    expect(def('riskRule').properties?.['actions']?.['$ref']).toBe('#/$defs/actionList');
    expect(def('threshold').properties?.['symbol']?.enum).toEqual(COMPARISONS);
    expect(def('ruleSwitch').enum).toEqual(SWITCHES);
    expect(Object.keys(def('systemRules').properties ?? {})).toEqual(SYSTEM_RULE_NAMES);
    expect(Object.keys(def('summaryTasks').properties ?? {}).sort()).toEqual([...BUSI_TYPES].sort());
  });

  it('maps risk rule, instance and threshold properties 1:1 to the domain types', () => {
    expect(keys(def('riskRule'))).toEqual(Object.values(RISK_RULE_KEYS).sort());
    expect(keys(def('instance'))).toEqual([...Object.values(INSTANCE_KEYS).flat(), ...EXPANSION_KEYS].sort());
    expect(keys(def('threshold'))).toEqual(Object.values(THRESHOLD_KEYS).sort());
  });

  it('lets an override change every risk rule field but the name, and a system rule only its switch', () => {
    expect(keys(def('riskRuleOverride'))).toEqual(Object.values(RISK_RULE_KEYS).filter((k) => k !== 'name').sort());
    const overrides = def('instance').properties?.['overrides'] ?? {};
    expect(Object.keys(overrides.properties ?? {})).toEqual(SYSTEM_RULE_NAMES);
    expect(keys(def('systemRuleOverride'))).toEqual(['status']);
    expect(keys(def('ruleSet'))).toEqual(['description', 'risk_rules', 'system_rules', ...KINDS.flatMap((k) => k.policyKeys)].sort());
    // No defaults in an override: a field left out keeps the set's value instead of being reset.
    for (const field of Object.values(def('riskRuleOverride').properties ?? {})) expect(field).not.toHaveProperty('default');
  });

  it('builds a rule with exactly the RiskRuleSpec fields (plus its source)', () => {
    const text = `${header()}instances:\n  - name: a\n    risk_rules: [{name: r, risk_level: LOW}]\n`;
    const rule = validateTexts({ 'p.yaml': text }).desired.instances[0]?.riskRules[0] ?? {};
    expect(Object.keys(rule).sort()).toEqual([...Object.keys(RISK_RULE_KEYS), 'source'].sort());
  });

  it('describes every property and closes every mapping', () => {
    const missing: string[] = [];
    const open: string[] = [];
    const visit = (node: unknown, where: string): void => {
      if (typeof node !== 'object' || node === null) return;
      const n = node as SchemaNode;
      // A mapping is closed, or a map whose every value has a schema (rule_sets, overrides).
      const extra = n['additionalProperties'];
      if (n['type'] === 'object' && extra !== false && typeof extra !== 'object') open.push(where);
      for (const [key, child] of Object.entries(n.properties ?? {})) {
        // `true`/`false` mark a property as known/absent inside `oneOf` and `if`; it is described where it is defined.
        if (typeof child === 'object' && typeof child['description'] !== 'string') missing.push(`${where}.${key}`);
      }
      for (const [key, child] of Object.entries(n)) visit(child, `${where}/${key}`);
    };
    visit(schema, '#');
    expect(missing).toEqual([]);
    expect(open).toEqual([]);
  });

  it('writes the defaults that docs/policy-format.md documents (Risk rules, Instances)', () => {
    const rule = def('riskRule').properties ?? {};
    const documented = documentedDefaults('Risk rules');
    expect([...documented.keys()].sort()).toEqual(keys(def('riskRule')));
    for (const [key, value] of documented) expect(rule[key]?.['default'], key).toEqual(value);
    expect(rule['status']?.['default']).toBe('ON');
    expect(rule['affect_rows']?.['default']).toEqual({ symbol: 'GREATER_EQUAL', value: 0 });
    expect(rule['ignore_case']?.['default']).toBe(false);
    for (const list of ['actions', 'db_ids', 'client_ips', 'exception_ips', 'schemas']) expect(rule[list]?.['default']).toEqual([]);
    expect(def('instance').properties?.['prune']?.['default']).toBe(false);
    expect(documentedDefaults('Instances').get('prune')).toBe(false);
  });
});

/**
 * The defaults a table of docs/policy-format.md states, by policy key: the first code span of the
 * Default column (or after "default" in the type column), read as YAML; undefined when none is given.
 */
function documentedDefaults(title: string): Map<string, unknown> {
  const rows = section(readPage('docs/policy-format.md'), title).split('\n').filter((l) => l.startsWith('| `'));
  return new Map(
    rows.map((row) => {
      const cells = row.split(/(?<!\\)\|/).map((c) => c.trim());
      const key = /^`([^`]+)`/.exec(cells[1]!)![1]!;
      const stated = title === 'Risk rules' ? /^`([^`]+)`/.exec(cells[5] ?? '') : /default `([^`]+)`/.exec(cells[3] ?? '');
      return [key, stated ? (parse(stated[1]!) as unknown) : undefined];
    }),
  );
}
