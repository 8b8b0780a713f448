import type { DbssClient, RuleSummary } from '../api/types.js';
import { liveRuleList } from '../live/rule-kinds.js';
import { canonicalJson } from './saved-plan-check.js';

/**
 * Another writer (a console user, a second run elsewhere) may change an instance between the
 * read the plan was computed from and the apply. Before an instance's first write the apply
 * lists it again and compares with the listing it planned from; on any difference it writes
 * nothing to that instance.
 */

/** The first difference between two listings of one instance, or undefined when they agree. */
export function listingDifference(planned: readonly RuleSummary[], now: readonly RuleSummary[]): string | undefined {
  const before = new Map(planned.map((r) => [r.id, r]));
  const after = new Map(now.map((r) => [r.id, r]));
  // Ids in code-unit order (the default sort), so the difference named does not depend on list order.
  for (const id of [...before.keys()].sort()) {
    const r = before.get(id)!;
    const n = after.get(id);
    if (!n) return `rule ${JSON.stringify(r.name)} (${id}) is gone`;
    if (canonicalJson(n) !== canonicalJson(r)) return `rule ${JSON.stringify(r.name)} (${id}) changed`;
  }
  const added = [...after.keys()].sort().find((id) => !before.has(id));
  return added === undefined ? undefined : `rule ${JSON.stringify(after.get(added)!.name)} (${added}) appeared`;
}

/**
 * Lists the instance and says why it may not be written to (it changed since it was planned),
 * or undefined when it still matches.
 */
export async function changedSincePlanned(
  client: DbssClient,
  projectId: string,
  instanceId: string,
  planned: readonly RuleSummary[],
): Promise<string | undefined> {
  // Read the way the plan's listing was read (rule types resolved, rank order), so only a real
  // change differs, not the mapping (an untyped rule the planner resolved to CUSTOMIZE).
  const difference = listingDifference(planned, liveRuleList(await client.listRules(projectId, instanceId)));
  return difference && `changed by someone else during apply (${difference} since it was planned); nothing was sent to this instance, plan again`;
}
