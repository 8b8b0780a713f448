import type { RuleSummary } from '../api/types.js';
import type { LiveInstance } from '../live/types.js';
import type { DesiredInstance } from '../policy/types.js';

/**
 * Why an instance cannot be planned without guessing. Any problem stops the whole instance
 * (no partial plan): a half-planned instance could delete or reorder around a rule we could
 * not see properly.
 */
export function instanceProblems(desired: DesiredInstance, live: LiveInstance): string[] {
  if (live.status.toUpperCase() !== 'ACTIVE') return [`instance ${live.name} is ${live.status}, not ACTIVE`];
  const problems: string[] = [];
  // The first rule of each name, and the rare namesakes apart: no array per rule (this runs for
  // every instance of a 100,000-rule plan).
  const byType = { SYSTEM: new Map<string, RuleSummary>(), CUSTOMIZE: new Map<string, RuleSummary>() };
  const namesakes = new Map<string, RuleSummary[]>();
  for (const r of live.rules) {
    const first = byType[r.ruleType].get(r.name);
    if (first === undefined) byType[r.ruleType].set(r.name, r);
    else {
      const key = `${r.ruleType}\u0000${r.name}`;
      namesakes.set(key, [...(namesakes.get(key) ?? [first]), r]);
    }
  }
  const named = (type: RuleSummary['ruleType'], name: string): readonly RuleSummary[] => {
    const first = byType[type].get(name);
    if (first === undefined) return [];
    return namesakes.size === 0 ? [first] : (namesakes.get(`${type}\u0000${name}`) ?? [first]);
  };

  for (const rule of desired.riskRules) {
    const customs = named('CUSTOMIZE', rule.name);
    if (named('SYSTEM', rule.name).length > 0) {
      problems.push(`custom rule ${rule.name} has the name of a system rule on the instance; declare it under system_rules`);
    } else if (customs.length > 1) {
      const ids = customs.map((r) => r.id).join(', ');
      problems.push(`${customs.length} live custom rules are named ${rule.name} (ids ${ids}); cannot tell which one the policy means`);
    } else if (customs[0] && !live.details[customs[0].id] && !live.unreadDetails?.includes(customs[0].id)) {
      problems.push(`the detail of custom rule ${rule.name} (id ${customs[0].id}) was not read`);
    }
  }
  for (const rule of desired.systemRules) {
    const systems = named('SYSTEM', rule.name);
    if (systems.length === 0) problems.push(`system rule ${rule.name} is not on the instance`);
    else if (systems.length > 1) problems.push(`${systems.length} live system rules are named ${rule.name}`);
  }
  return problems;
}
