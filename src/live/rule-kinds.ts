import type { RuleDetail, RuleList, RuleSummary } from '../api/types.js';
import { SYSTEM_RULE_NAMES } from '../domain.js';
import type { LiveRuleDetail } from './types.js';

/**
 * What the tool may do with each listed rule. rule_type is optional in the SDK (and null for
 * custom rules in old EU docs), so a rule listed without one is custom only when its name is
 * not a system rule's name (the names of the instance's SYSTEM-typed rules plus the four the
 * user guide describes) and the answer's customize_total counts exactly the rules that would
 * then be custom. A rule it cannot tell is custom stays UNKNOWN, and a rule listed with any
 * other rule_type (e.g. BUILT_IN) is OTHER: never deleted, updated or ranked; either may only
 * be switched when declared under system_rules.
 */

/** System rule names of an instance: those listed as SYSTEM, plus the known built-in names. */
export function systemRuleNames(rules: readonly RuleSummary[]): ReadonlySet<string> {
  return new Set<string>([...SYSTEM_RULE_NAMES, ...rules.filter((r) => r.ruleType === 'SYSTEM').map((r) => r.name)]);
}

/**
 * The list with every UNKNOWN rule_type resolved to CUSTOMIZE where the name allows it, and
 * only when the answer's customize_total confirms it: it must count exactly the CUSTOMIZE rules
 * plus those candidates. Without customize_total, or when it counts otherwise (built-in rules
 * under names it does not know, or rules it cannot see), none is resolved: it cannot tell which.
 */
export function resolveRuleTypes(rules: readonly RuleSummary[] | RuleList): RuleSummary[] {
  if (!rules.some((r) => r.ruleType === 'UNKNOWN')) return [...rules];
  const systems = systemRuleNames(rules);
  const candidates = rules.filter((r) => r.ruleType === 'UNKNOWN' && !systems.has(r.name)).length;
  const counted = (rules as RuleList).customizeTotal;
  if (counted === undefined || rules.filter((r) => r.ruleType === 'CUSTOMIZE').length + candidates !== counted) return [...rules];
  return rules.map((r) => (r.ruleType === 'UNKNOWN' && !systems.has(r.name) ? { ...r, ruleType: 'CUSTOMIZE' } : r));
}

/**
 * Rules in priority order: ranked rules by rank (ties keep list order), then the unranked ones
 * in list order (they take no part in ordering; this only makes the order deterministic).
 */
export function inRankOrder(rules: readonly RuleSummary[]): RuleSummary[] {
  // The usual case, and the planner's (it gets liveRuleList's answer): all ranked, in order.
  if (rules.every((r, i) => r.rank !== undefined && (i === 0 || rules[i - 1]!.rank! <= r.rank))) return [...rules];
  const ranked = rules.map((r, i) => ({ r, i })).filter((x) => x.r.rank !== undefined);
  ranked.sort((a, b) => a.r.rank! - b.r.rank! || a.i - b.i);
  return [...ranked.map((x) => x.r), ...rules.filter((r) => r.rank === undefined)];
}

/** A rule list as the planner and apply read it: types resolved, in priority order. */
export function liveRuleList(rules: readonly RuleSummary[] | RuleList): RuleSummary[] {
  return inRankOrder(resolveRuleTypes(rules));
}

/**
 * A show answer completed from its list item: name and status are required in the list, so
 * they fill what the show left out; the risk level comes from the show, else the list, and
 * stays undefined when neither gave one (the planner then cannot verify it, and says so).
 */
export function liveDetail(summary: RuleSummary, detail: RuleDetail): LiveRuleDetail {
  const riskLevel = detail.riskLevel ?? summary.riskLevel;
  const rank = detail.rank ?? summary.rank;
  return {
    id: summary.id,
    name: summary.name,
    ...(riskLevel === undefined ? {} : { riskLevel }),
    status: detail.status ?? summary.status,
    ...(rank === undefined ? {} : { rank }),
    actions: detail.actions,
    affectRows: detail.affectRows,
    executionTime: detail.executionTime,
    dbIds: detail.dbIds,
    clientIps: detail.clientIps,
    schemas: detail.schemas,
    ignoreCase: detail.ignoreCase,
  };
}
