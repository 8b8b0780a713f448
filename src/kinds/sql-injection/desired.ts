import type { RiskLevel, Switch } from '../../domain.js';
import { declaredObjects, declaredSwitches } from '../collection.js';
import type { DesiredKind, Json, KindFinding, KindValues } from '../kind.js';
import { regexProblem } from './regex-check.js';

/** The policy key of the custom rules (a list; order = priority, first = highest). */
export const RULES_KEY = 'sql_injection_rules';
/** The policy key of the built-in rules' switches (a map name → ON|OFF). */
export const SYSTEM_KEY = 'system_sql_injection_rules';

/** A custom rule as the validated YAML holds it. */
interface RuleYaml {
  readonly name: string;
  readonly regex: string;
  readonly risk_level: RiskLevel;
  readonly status?: Switch;
}

/** The declared SQL-injection state of an entry (rule sets first, then the entry's own values). */
export function desiredSqlRules(values: readonly KindValues[], prune: boolean): DesiredKind | undefined {
  if (!values.some((v) => v.values[RULES_KEY] !== undefined || v.values[SYSTEM_KEY] !== undefined)) return undefined;
  const objects = declaredObjects(values, RULES_KEY, (raw, source) => {
    const r = raw as unknown as RuleYaml;
    return { key: r.name, spec: { regex: r.regex, risk_level: r.risk_level, status: r.status ?? 'ON' }, source };
  });
  // prune deletes undeclared custom rules only where the custom rules are declared: an entry that
  // only switches built-in rules says nothing about the custom ones.
  const rulesDeclared = values.some((v) => v.values[RULES_KEY] !== undefined);
  return { objects, switches: declaredSwitches(values, SYSTEM_KEY), settings: {}, prune: prune && rulesDeclared };
}

/**
 * What the schema cannot say about one place's SQL-injection values (an instance entry or a
 * rule set): a regex that does not compile, a name declared twice in one list (`Kind.check`).
 */
export function validateSqlRules(values: KindValues['values']): KindFinding[] {
  const list = values[RULES_KEY];
  if (!Array.isArray(list)) return [];
  const problems: KindFinding[] = [];
  const first = new Map<string, number>();
  (list as readonly Json[]).forEach((raw, i) => {
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return;
    const rule = raw as { readonly [k: string]: Json };
    if (typeof rule.regex === 'string') {
      const problem = regexProblem(rule.regex);
      if (problem !== undefined) problems.push({ path: [RULES_KEY, i, 'regex'], message: problem });
    }
    if (typeof rule.name === 'string') {
      const at = first.get(rule.name);
      if (at !== undefined) problems.push({ path: [RULES_KEY, i, 'name'], message: `SQL-injection rule ${JSON.stringify(rule.name)} is declared twice in this list (first at item ${at + 1})` });
      else first.set(rule.name, i);
    }
  });
  return problems;
}
