import type { RiskLevel, Switch } from '../../domain.js';
import { declaredObjects, declaredSwitches } from '../collection.js';
import type { DesiredKind, Json, KindValues } from '../kind.js';
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
  return { objects, switches: declaredSwitches(values, SYSTEM_KEY), settings: {}, prune };
}

/** A problem of a value, at its path below the entry (or rule set): `['sql_injection_rules', 2, 'regex']`. */
export interface ValueProblem {
  /** Path of the value (give it to KindValues.at for file:line:col). */
  readonly path: readonly (string | number)[];
  /** What is wrong. */
  readonly message: string;
}

/**
 * What the schema cannot say about one place's SQL-injection values (an instance entry or a
 * rule set, after schema validation): a regex that does not compile, a name declared twice in
 * one list. Call it with the validated `values` of KindValues and locate each problem with
 * `at(problem.path)`.
 */
export function validateSqlRules(values: { readonly [policyKey: string]: Json }): ValueProblem[] {
  const list = values[RULES_KEY];
  if (!Array.isArray(list)) return [];
  const problems: ValueProblem[] = [];
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
