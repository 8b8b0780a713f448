import type { Json, KindApi, KindChangeDraft, KindOp, KindTarget } from '../kind.js';
import { listWhitelist } from './list-pages.js';
import { LABEL } from './shape.js';
import { createCall, deleteCall, updateCall, type EntryContent } from './wire.js';

/** The content of a create or update from its change (subject = normalised SQL, payload = spec). */
function contentOf(change: KindChangeDraft): EntryContent {
  const spec = change.payload as { readonly databases?: readonly Json[]; readonly description?: Json; readonly enabled?: Json };
  if (typeof spec.enabled !== 'boolean') throw new Error(`internal: ${change.op} of ${LABEL} ${JSON.stringify(change.subject)} has no enabled value`);
  return {
    sql: change.subject,
    databases: (spec.databases ?? []).filter((d): d is string => typeof d === 'string'),
    description: typeof spec.description === 'string' ? spec.description : '',
    enabled: spec.enabled,
  };
}

const onlyId = (change: KindChangeDraft): string => {
  const id = change.ids?.[0];
  if (id === undefined || change.ids!.length !== 1) throw new Error(`internal: ${change.op} of ${LABEL} ${JSON.stringify(change.subject)} needs one id`);
  return id;
};

/**
 * Sends every change of one op on one instance (Kind.writeBatch):
 * - create: ONE BatchAddAuditWhitelist with every new entry. The answer has no ids, and a batch
 *   is all or nothing, so after an ambiguous failure the list is asked whether any of the new
 *   SQL texts is listed now (the plan saw none of them): listed means the batch went through,
 *   and it is not sent again.
 * - delete: ONE DeleteAuditWhitelist with every id.
 * - update: one UpdateAuditWhitelist per entry (the API has no batch update), all sent even
 *   when one fails; the first failure is raised after the others finished (each is still
 *   confirmed by the engine's read-back).
 */
export async function writeWhitelistBatch(api: KindApi, target: KindTarget, op: KindOp, changes: readonly KindChangeDraft[]): Promise<void> {
  if (changes.length === 0) return;
  switch (op) {
    case 'create': {
      const entries = changes.map(contentOf);
      const wanted = new Set(entries.map((e) => e.sql));
      const wasApplied = async (): Promise<boolean> => (await listWhitelist(api, target)).objects.some((o) => wanted.has(o.key));
      return api.write(target, createCall(entries), wasApplied);
    }
    case 'delete':
      return api.write(target, deleteCall(changes.map(onlyId)));
    case 'update': {
      const outcomes = await Promise.allSettled(changes.map((c) => api.write(target, updateCall(onlyId(c), contentOf(c)))));
      const failed = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
      if (failed) throw failed.reason;
      return;
    }
    default:
      throw new Error(`internal: ${LABEL}s have no ${op} (${changes.map((c) => JSON.stringify(c.subject)).join(', ')})`);
  }
}

/** Sends one change: a batch of one. */
export const writeWhitelistChange = (api: KindApi, target: KindTarget, change: KindChangeDraft): Promise<void> => writeWhitelistBatch(api, target, change.op, [change]);
