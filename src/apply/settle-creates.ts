import type { ClientPool } from '../live/client-pool.js';
import type { CreateRuleChange, Plan } from '../plan/types.js';
import type { ApplyResult } from './types.js';

/**
 * Read-your-writes is not guaranteed (src/api/settle.ts): a rule this apply created may be
 * missing from the listings that verify the apply for a few seconds. Before the verification
 * may call such a create "still pending" (not converged), each instance where it happened is
 * listed again over the client's settle window until every rule the apply created there is
 * listed. Returns true when it had to wait for any (the caller then reads again).
 */
export async function settleCreatedRules(plan: Plan, apply: ApplyResult, leftover: Plan, pool: ClientPool): Promise<boolean> {
  const applied = new Set(apply.results.filter((r) => r.outcome === 'applied').map((r) => r.id));
  const pending = new Set(leftover.changes.filter((c) => c.kind === 'create').map((c) => `${c.target}\n${c.rule}`));
  const lagging = plan.changes.filter((c): c is CreateRuleChange => c.kind === 'create' && applied.has(c.id) && pending.has(`${c.target}\n${c.rule}`));
  if (lagging.length === 0) return false;
  const targets = new Map(plan.targets.map((t) => [t.key, t]));
  const byTarget = new Map<string, CreateRuleChange[]>();
  for (const c of lagging) byTarget.set(c.target, [...(byTarget.get(c.target) ?? []), c]);
  await Promise.all(
    [...byTarget].map(async ([key, creates]) => {
      const target = targets.get(key);
      if (target?.instanceId === undefined) return;
      const names = creates.map((c) => c.rule);
      const listed = (rules: readonly { name: string }[]) => names.every((n) => rules.some((r) => r.name === n));
      // a failed listing is the verification's to report when it reads again
      await pool.client(target.region, target.projectId).listRulesSettled(target.projectId, target.instanceId, listed).catch(() => undefined);
    }),
  );
  return true;
}
