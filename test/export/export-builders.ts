import fc from 'fast-check';
import type { ReadableRuleSpec } from '../../src/domain.js';
import { ACTIONS, COMPARISONS, RISK_LEVELS, SYSTEM_RULE_NAMES } from '../../src/domain.js';
import type { InstanceExport, ProjectExport } from '../../src/export/types.js';
import { parsePolicyText } from '../../src/policy/parse-documents.js';
import { validatePolicies } from '../../src/policy/validate-policies.js';

/** Builders of exported projects and fast-check arbitraries of exported rules, for the export tests. */
/** The project id of the built projects. */
export const PROJECT = '0f1e2d3c4b5a69788796a5b4c3d2e1f0';

/** Loads rendered text exactly as `plan` would: YAML 1.2 parse, schema, cross-document rules. */
export function load(text: string) {
  const parsed = parsePolicyText(text, 'exported.yaml');
  const checked = validatePolicies(parsed.documents);
  return { ...checked, diagnostics: [...parsed.diagnostics, ...checked.diagnostics] };
}

/** A live rule with every value at the policy default, but HIGH. */
export const rule = (name: string, overrides: Partial<ReadableRuleSpec> = {}): ReadableRuleSpec => ({
  name,
  riskLevel: 'HIGH',
  status: 'ON',
  actions: [],
  affectRows: { symbol: 'GREATER_EQUAL', value: 0 },
  executionTime: { symbol: 'GREATER_EQUAL', value: 0 },
  dbIds: [],
  clientIps: [],
  schemas: [],
  ignoreCase: false,
  ...overrides,
});

/** An exported instance `prod-audit` without rules. */
export const instance = (overrides: Partial<InstanceExport> = {}): InstanceExport => ({
  id: 'a'.repeat(32),
  name: 'prod-audit',
  ref: 'name',
  use: [],
  systemRules: [],
  riskRules: [],
  notes: [],
  ...overrides,
});

/** A project export of one instance (`instance()`). */
export const project = (overrides: Partial<ProjectExport> = {}): ProjectExport => ({
  region: 'cn-north-4',
  projectId: PROJECT,
  instances: [instance()],
  summaryTasks: [],
  ruleSets: [],
  notes: [],
  ...overrides,
});

// Characters that YAML gives meaning to, plus letters that form yes/on/null/y/n and digits.
// (No tab or other control character: a name holding one is a policy error, see name-rules.ts.)
const NAME_CHARS = [...':#-,[]{}&*!|>%@`?\'"\\ .~_/', 'a', 'y', 'e', 's', 'o', 'n', 'N', 'O', 'u', 'l', '1', '0', '审'];
const NON_BLANK = /^\S(.*\S)?$/u;
/** Free text a YAML reader could misread. */
export const freeText = fc.oneof(
  fc.constantFrom('yes', 'on', 'ON', 'off', 'y', 'n', 'null', '~', '10:20', '0x1F', '1e3', '.inf', '#x', 'a: b', '- x', '@a', '`b', '%c'),
  fc.string({ unit: fc.constantFrom(...NAME_CHARS), minLength: 1, maxLength: 10 }).filter((s) => NON_BLANK.test(s)),
);
const threshold = fc.record({ symbol: fc.constantFrom(...COMPARISONS), value: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 2147483647 })) });
const IPS = ['10.0.0.0/8', '2001:DB8::/32', '2001:db8::1-2001:db8::ff', '::ffff:10.0.0.1', '192.168.1.10-192.168.1.20', 'fe80::1'];
const target = fc
  .record({ schema: fc.option(freeText, { nil: undefined }), table: fc.option(freeText, { nil: undefined }), column: fc.option(freeText, { nil: undefined }) })
  .map((t) => Object.fromEntries(Object.entries(t).filter(([, v]) => v !== undefined)));
/** The readable content of a rule, but its name. */
export const content = fc.record({
  riskLevel: fc.constantFrom(...RISK_LEVELS),
  status: fc.constantFrom('ON' as const, 'OFF' as const),
  actions: fc.subarray([...ACTIONS]),
  affectRows: threshold,
  executionTime: threshold,
  dbIds: fc.uniqueArray(freeText.filter((s) => /^[^,\s]+$/.test(s)), { maxLength: 3 }),
  clientIps: fc.subarray(IPS),
  schemas: fc.array(target, { maxLength: 3 }),
  ignoreCase: fc.boolean(),
});
/** The risk rules of one instance: names unique (ignoring case). */
export const rules = fc
  // Unique ignoring case: names differing only in case earn a (correct) validator warning.
  .uniqueArray(freeText, { maxLength: 6, selector: (n) => n.toLowerCase() })
  .chain((names) => fc.tuple(...names.map((name) => content.map((c): ReadableRuleSpec => ({ name, ...c })))));
/** Some system rules, each with a switch, in schema order. */
export const systemSwitches = fc.subarray([...SYSTEM_RULE_NAMES]).chain((names) =>
  fc.tuple(...names.map((name) => fc.constantFrom('ON' as const, 'OFF' as const).map((status) => ({ name, status })))),
);
/** The name and rules of an exported instance. */
export const exportedInstance = fc.record({ name: freeText, systemRules: systemSwitches, riskRules: rules });
