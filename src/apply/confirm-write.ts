import { DbssApiError } from '../api/errors.js';
import type { DbssClient } from '../api/types.js';
import { liveDetail } from '../live/rule-kinds.js';
import { differingFields } from '../plan/normalise.js';
import type { Change, PlanTarget } from '../plan/types.js';

/**
 * Idempotent outcomes on retry. When a write failed after an attempt that may have taken
 * effect (its answer was lost, DbssApiError.mayHaveApplied), the error does not prove the
 * write did not happen: a retried delete typically answers "unknown id" (400 DBSS.10020021 or
 * a 404; unconfirmed which) because the first attempt already deleted the rule. Such a change
 * is read back, and counted applied only when the read shows the state it was meant to
 * reach: the rule gone (delete), every rule in the wanted status (switch), the content as
 * sent (update), the task in the wanted state (set-task). Creates are handled in the client
 * (listed by name before any resend); reorders always confirm by listing (rank-apply.ts).
 */

/** Counts one API call of the change (and stops when the run is interrupted). */
type Call = <T>(fn: () => Promise<T>) => Promise<T>;

/**
 * The read-back confirmation of a failed write, or undefined when the failure stands (it
 * could not have taken effect, or the read shows the write did not happen, or reading failed).
 */
export async function confirmAfterLostAnswer(change: Change, target: PlanTarget, client: DbssClient, call: Call, err: unknown): Promise<string | undefined> {
  if (!(err instanceof DbssApiError) || !err.mayHaveApplied) return undefined;
  const project = target.projectId;
  const instance = target.instanceId!; // set on every rule change's target; set-task does not read it
  const why = `an answer was lost (${err.errorCode ?? err.status ?? err.kind}${err.attempts ? ` after ${err.attempts} attempts` : ''})`;
  try {
    switch (change.kind) {
      case 'delete': {
        const rules = await call(() => client.listRules(project, instance));
        return rules.some((r) => r.id === change.ruleId) ? undefined : `${why}; a listing confirms the rule is gone`;
      }
      case 'switch': {
        const rules = await call(() => client.listRules(project, instance));
        const reached = change.rules.every((w) => rules.some((r) => r.id === w.id && r.status === change.status));
        return reached ? `${why}; a listing confirms every rule is ${change.status}` : undefined;
      }
      case 'update': {
        const rules = await call(() => client.listRules(project, instance));
        const summary = rules.find((r) => r.id === change.ruleId);
        if (!summary) return undefined;
        const shown = liveDetail(summary, await call(() => client.showRule(project, instance, change.ruleId)));
        if (shown.riskLevel === undefined) return undefined;
        const same = differingFields({ ...shown, riskLevel: shown.riskLevel }, change.after).length === 0;
        return same ? `${why}; a read-back shows the content as sent` : undefined;
      }
      case 'set-task': {
        const task = await call(() => client.showSummaryTask(project, change.busiType));
        return task.enabled === change.after ? `${why}; a read-back shows the task ${change.after ? 'on' : 'off'}` : undefined;
      }
      // creates and reorders are confirmed elsewhere (see above): nothing to read here
    }
    return undefined;
  } catch {
    return undefined; // the read failed too: the original failure stands
  }
}
