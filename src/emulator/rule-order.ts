import type { RuleState } from './types.js';

/**
 * Rank semantics of the emulator. The reconciler's planner relies on exactly this reading:
 *
 * - The rules of an instance, system and custom together, hold ranks 1..n without gaps.
 *   The model keeps them in one ordered array, so a rule's rank is its index + 1.
 * - Create appends: the new rule gets rank n + 1.
 * - Delete removes the rule; the rules after it move up by one.
 * - SetRiskRuleRank `{id, new_rank}` removes the rule from the ordered list and inserts it
 *   again so that its rank becomes `new_rank` (clamped to 1..n); every other rule keeps its
 *   relative order and the list is renumbered 1..n. Moving a custom rule to rank 1 therefore
 *   shifts the system rules down (they cannot be moved themselves, but they can be passed).
 *
 * The real API's numbering is unconfirmed (the old docs say ranks 1-8, the rank API only says
 * "starts at 1, smaller is higher priority"); this gap-free reading is the safe one.
 */

/** The rank of a rule in its instance (1-based), or undefined when it is not there. */
export function rankOf(rules: readonly RuleState[], id: string): number | undefined {
  const index = rules.findIndex((r) => r.id === id);
  return index < 0 ? undefined : index + 1;
}

/** Appends a rule at rank n + 1 and returns that rank. */
export function appendRule(rules: RuleState[], rule: RuleState): number {
  rules.push(rule);
  return rules.length;
}

/** Removes a rule; the later rules move up. Returns false when the id is unknown. */
export function removeRule(rules: RuleState[], id: string): boolean {
  const index = rules.findIndex((r) => r.id === id);
  if (index < 0) return false;
  rules.splice(index, 1);
  return true;
}

/**
 * Moves a rule so that its rank becomes `newRank` clamped to 1..n. Returns the rank it got,
 * or undefined when the id is unknown.
 */
export function moveRule(rules: RuleState[], id: string, newRank: number): number | undefined {
  const index = rules.findIndex((r) => r.id === id);
  if (index < 0) return undefined;
  const [rule] = rules.splice(index, 1);
  if (!rule) return undefined;
  const target = Math.min(Math.max(Math.trunc(newRank), 1), rules.length + 1);
  rules.splice(target - 1, 0, rule);
  return target;
}
