import type { ApiProfile } from './api-profile.js';
import type { RuleState } from './types.js';

/**
 * Rank numbering under an API profile. The model keeps each instance's rules in one ordered
 * array (highest priority first); the numbering shown and the meaning of `new_rank` are
 * readings of that order (see ApiProfile). With the default profile this is exactly
 * rule-order.ts: ranks 1..n over all rules, new_rank a clamped position, create appends.
 */

/** A rule with the rank it shows (undefined: the list item and show carry no rank). */
export interface RankedRule {
  /** The rule. */
  readonly rule: RuleState;
  /** Its shown rank, if any. */
  readonly rank: number | undefined;
}

const pinned = (p: ApiProfile): boolean => p.systemPinned || p.rankNumbering === 'custom';

/** Puts system rules first, keeping relative order, when the profile pins them (in place). */
export function normaliseOrder(rules: RuleState[], profile: ApiProfile): void {
  if (!pinned(profile)) return;
  const system = rules.filter((r) => r.ruleType === 'SYSTEM');
  if (rules.slice(0, system.length).every((r) => r.ruleType === 'SYSTEM')) return;
  const custom = rules.filter((r) => r.ruleType !== 'SYSTEM');
  rules.splice(0, rules.length, ...system, ...custom);
}

/** The rules in list order, each with the rank it shows. */
export function rankedRules(rules: RuleState[], profile: ApiProfile): RankedRule[] {
  normaliseOrder(rules, profile);
  const step = profile.rankStep;
  if (profile.rankNumbering === 'shared') return rules.map((rule, i) => ({ rule, rank: step * (i + 1) }));
  const systemCount = rules.filter((r) => r.ruleType === 'SYSTEM').length;
  let custom = 0;
  return rules.map((rule, i) => {
    if (rule.ruleType !== 'SYSTEM') return { rule, rank: step * ++custom };
    if (profile.systemRanks === 'negative') return { rule, rank: i - systemCount };
    if (profile.systemRanks === 'own') return { rule, rank: step * (i + 1) };
    return { rule, rank: undefined };
  });
}

/** The rank a rule shows, or undefined (unknown id, or a rule shown without rank). */
export function shownRank(rules: RuleState[], profile: ApiProfile, id: string): number | undefined {
  return rankedRules(rules, profile).find((r) => r.rule.id === id)?.rank;
}

/** Inserts a created custom rule where the profile puts new rules. */
export function insertCreated(rules: RuleState[], profile: ApiProfile, rule: RuleState): void {
  normaliseOrder(rules, profile);
  const firstCustom = rules.findIndex((r) => r.ruleType !== 'SYSTEM');
  if (profile.createdRank === 'first' && firstCustom >= 0) rules.splice(firstCustom, 0, rule);
  else rules.push(rule);
}

/**
 * SetRiskRuleRank under the profile: moves the (custom) rule `id` according to `newRank`.
 * The rules that can be passed are the numbered sequence (all rules when shared and not
 * pinned; the custom rules otherwise); positions outside it are clamped to it.
 */
export function moveRanked(rules: RuleState[], profile: ApiProfile, id: string, newRank: number): void {
  const before = rankedRules(rules, profile);
  const movable = pinned(profile) ? before.filter((r) => r.rule.ruleType !== 'SYSTEM') : before;
  const fixed = pinned(profile) ? before.filter((r) => r.rule.ruleType === 'SYSTEM').map((r) => r.rule) : [];
  const index = movable.findIndex((r) => r.rule.id === id);
  const moving = movable[index];
  if (!moving) return;
  const others = movable.filter((_, i) => i !== index);
  let target: number;
  if (profile.newRank === 'value') {
    const at = others.findIndex((r) => r.rank !== undefined && r.rank >= newRank);
    target = at < 0 ? others.length : at;
  } else {
    // A position in the numbered list; with shared pinned numbering, positions 1..s are the system rules'.
    const offset = profile.rankNumbering === 'shared' ? fixed.length : 0;
    target = Math.min(Math.max(Math.trunc(newRank) - 1 - offset, 0), others.length);
  }
  const reordered = others.map((r) => r.rule);
  reordered.splice(target, 0, moving.rule);
  rules.splice(0, rules.length, ...fixed, ...reordered);
}
