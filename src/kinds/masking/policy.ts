import { declaredObjects, declaredSettings, declaredSwitches } from '../collection.js';
import type { DesiredKind, DesiredObject, Json, KindFinding, KindValues } from '../kind.js';

/**
 * Masking as a policy declares it: `masking` and `result_set_storage` (ON/OFF), `mask_rules`
 * (custom rules: name, regex, mask_value, status) and `system_mask_rules` (built-in rules by
 * name → ON/OFF). Rule sets' values come first, then the entry's own.
 */

/** The policy keys of the kind. */
export const POLICY_KEYS = ['masking', 'result_set_storage', 'mask_rules', 'system_mask_rules'] as const;

/** The instance-wide switches. */
export const SETTING_KEYS = ['masking', 'result_set_storage'] as const;

/** A declared mask rule as YAML (validated by the schema). */
interface MaskRuleYaml {
  readonly name: string;
  readonly regex: string;
  readonly mask_value: string;
  readonly status?: 'ON' | 'OFF';
}

/** The domain form of a declared mask rule: status ON unless declared. */
export function maskRuleSpec(raw: Json): { key: string; spec: { regex: string; mask_value: string; status: 'ON' | 'OFF' } } {
  const r = raw as unknown as MaskRuleYaml;
  return { key: r.name, spec: { regex: r.regex, mask_value: r.mask_value, status: r.status ?? 'ON' } };
}

/**
 * The declared state of an entry. `prune` deletes undeclared custom rules only where
 * `mask_rules` is declared (an entry that declares only the switches prunes no rule).
 */
export function desiredMasking(values: readonly KindValues[], prune: boolean): DesiredKind {
  const objects = declaredObjects(values, 'mask_rules', (raw, source): DesiredObject => ({ ...maskRuleSpec(raw), source }));
  const rulesDeclared = values.some((v) => v.values['mask_rules'] !== undefined);
  return {
    objects,
    switches: declaredSwitches(values, 'system_mask_rules'),
    settings: declaredSettings(values, SETTING_KEYS),
    prune: prune && rulesDeclared,
  };
}

/** Why a regex does not compile as a JavaScript regular expression, or undefined. */
function regexProblem(regex: string): string | undefined {
  try {
    new RegExp(regex);
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}

/** What the schema cannot check in one place: a rule name declared twice, a regex that does not compile, a custom rule named like a switched built-in one. */
export function checkMasking(values: KindValues['values']): KindFinding[] {
  const findings: KindFinding[] = [];
  const rules = Array.isArray(values['mask_rules']) ? (values['mask_rules'] as readonly Json[]) : [];
  const switched = values['system_mask_rules'];
  const builtIn = switched !== null && typeof switched === 'object' && !Array.isArray(switched) ? new Set(Object.keys(switched)) : new Set<string>();
  const first = new Map<string, number>();
  rules.forEach((raw, i) => {
    const { key, spec } = maskRuleSpec(raw);
    const earlier = first.get(key);
    if (earlier !== undefined) findings.push({ path: ['mask_rules', i, 'name'], message: `mask rule ${JSON.stringify(key)} is declared twice (also mask_rules[${earlier}])` });
    else first.set(key, i);
    if (builtIn.has(key)) findings.push({ path: ['mask_rules', i, 'name'], message: `${JSON.stringify(key)} is also switched in system_mask_rules: one name cannot be a custom and a built-in mask rule` });
    const problem = regexProblem(spec.regex);
    if (problem !== undefined) {
      findings.push({ path: ['mask_rules', i, 'regex'], message: `the regex does not compile as a JavaScript regular expression (${problem}); DBSS's own dialect is not documented and may differ` });
    }
  });
  return findings;
}
