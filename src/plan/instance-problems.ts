import { rulesManageable, type RuleSummary, type RuleType } from '../api/types.js';
import type { LiveInstance } from '../live/types.js';
import type { DesiredInstance } from '../policy/types.js';
import { nearest } from '../policy/schema-messages.js';
import { systemRuleNames } from '../live/rule-kinds.js';
import { idProblem } from '../api/usable-id.js';

/**
 * Why an instance cannot be planned without guessing. Any problem stops the whole instance
 * (no partial plan): a half-planned instance could delete or reorder around a rule we could
 * not see properly.
 */
export function instanceProblems(desired: DesiredInstance, live: LiveInstance): string[] {
  if (!rulesManageable(live.status)) return [`instance ${live.name} is ${live.status}, not ACTIVE`];
  const problems: string[] = [];
  // The first rule of each name, and the rare namesakes apart: no array per rule (this runs for
  // every instance of a 100,000-rule plan).
  const byType: Record<RuleType, Map<string, RuleSummary>> = { SYSTEM: new Map(), CUSTOMIZE: new Map(), UNKNOWN: new Map(), OTHER: new Map() };
  const namesakes = new Map<string, RuleSummary[]>();
  for (const r of live.rules) {
    const first = byType[r.ruleType].get(r.name);
    if (first === undefined) byType[r.ruleType].set(r.name, r);
    else {
      const key = `${r.ruleType}\u0000${r.name}`;
      namesakes.set(key, [...(namesakes.get(key) ?? [first]), r]);
    }
  }
  const count = (type: RuleSummary['ruleType'], name: string): number => {
    if (!byType[type].has(name)) return 0;
    // Namesakes are rare: without any, no key string is built per lookup (most of this check's garbage).
    // Stryker disable next-line ConditionalExpression: only a shortcut, the lookup below answers 1 as well
    if (namesakes.size === 0) return 1;
    return namesakes.get(`${type}\u0000${name}`)?.length ?? 1;
  };
  // The rules behind a count above 0 (for the message).
  const named = (type: RuleSummary['ruleType'], name: string): readonly RuleSummary[] =>
    namesakes.get(`${type}\u0000${name}`) ?? [byType[type].get(name)!];
  // only needed for a rule listed without rule_type (rare): computed then
  let systemNames: ReadonlySet<string> | undefined;
  const isSystemName = (name: string): boolean => (systemNames ??= systemRuleNames(live.rules)).has(name);

  for (const rule of desired.riskRules) {
    const customs = count('CUSTOMIZE', rule.name);
    const custom = byType.CUSTOMIZE.get(rule.name);
    if (count('SYSTEM', rule.name) > 0 || (count('UNKNOWN', rule.name) > 0 && isSystemName(rule.name))) {
      problems.push(`custom rule ${rule.name} has the name of a system rule on the instance; declare it under system_rules`);
    } else if (count('UNKNOWN', rule.name) > 0) {
      const ids = named('UNKNOWN', rule.name).map((r) => r.id).join(', ');
      problems.push(`rule ${rule.name} (id ${ids}) is listed without rule_type, and the list's customize_total does not confirm it is custom (absent, or counting otherwise): cannot tell whether it is custom, so it is not managed`);
    } else if (count('OTHER', rule.name) > 0) {
      const ids = named('OTHER', rule.name).map((r) => r.id).join(', ');
      problems.push(`rule ${rule.name} (id ${ids}) is listed with a rule_type that is neither SYSTEM nor CUSTOMIZE: it is not custom, so it is not managed (declare it under system_rules to switch it)`);
    } else if (customs > 1) {
      const ids = named('CUSTOMIZE', rule.name).map((r) => r.id).join(', ');
      problems.push(`${customs} live custom rules are named ${rule.name} (ids ${ids}); cannot tell which one the policy means`);
    } else if (custom && !live.details[custom.id] && !live.unreadDetails?.includes(custom.id) && idProblem(custom.id) === undefined) {
      problems.push(`the detail of custom rule ${rule.name} (id ${custom.id}) was not read`);
    }
  }
  // System rule names are checked against the live list (the four names of the schema are
  // only suggestions: three of them are guesses). A rule listed without rule_type, or with an
  // unknown one, counts as the system rule of its name when no SYSTEM-typed rule has the name.
  const liveSystems = (): string[] => [...new Set([...byType.SYSTEM.keys(), ...byType.UNKNOWN.keys(), ...byType.OTHER.keys()])].sort();
  for (const rule of desired.systemRules) {
    const systems = count('SYSTEM', rule.name) > 0 ? count('SYSTEM', rule.name) : count('UNKNOWN', rule.name) + count('OTHER', rule.name);
    if (systems === 0) problems.push(missingSystemRule(rule.name, live.name, liveSystems()));
    else if (systems > 1) problems.push(`${systems} live system rules are named ${rule.name}`);
  }
  return problems;
}

/** "no system rule X on instance Y; it has: …", with a "did you mean" when a live name is close. */
function missingSystemRule(name: string, instance: string, liveSystems: readonly string[]): string {
  const has = liveSystems.length > 0 ? `it has: ${liveSystems.join(', ')}` : 'it lists no system rules';
  const near = nearest(name, liveSystems);
  return `no system rule ${name} on instance ${instance}; ${has}${near ? ` (did you mean "${near}"?)` : ''}`;
}
