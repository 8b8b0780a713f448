import { DbssApiError } from '../../api/errors.js';
import { InconsistentListing } from '../../api/list-consistency.js';
import { collectPages } from '../../api/paging.js';
import type { KindApi, KindTarget, LiveKind, LiveObject } from '../kind.js';
import { FULL_AUDIT_KEY, LABEL } from './scope-spec.js';
import type { AllSpelling } from './wire.js';
import { learnedAllSpelling, listCall, MAX_LIMIT, readPage, readScope, SCOPES_PATH, SDK_ALL_SPELLING } from './wire.js';

/**
 * Reads every audit scope of an instance: the list pages (offset/limit as strings, limit at
 * most 1000), each item read tolerantly. What the answers taught or could not say becomes the
 * kind's observations: the built-in full-audit scope's name (an open point: no source gives it),
 * its absence, a spelling of "all databases" other than the SDK's, status words other than
 * ON/OFF, fields that could not be read.
 */

/** The live scopes, and the spelling of "all databases" the list used (the SDK's when none did). */
export interface ScopeListing {
  /** The live state. */
  readonly live: LiveKind;
  /** The spelling learned from the list. */
  readonly spelling: AllSpelling;
}

/** Lists the scopes of an instance. */
export async function listScopes(api: KindApi, target: KindTarget): Promise<ScopeListing> {
  const remarks = new Map<string, string[]>();
  const spelled: Partial<AllSpelling>[] = [];
  let unnamed = 0;
  let items: LiveObject[];
  try {
    items = await collectPages(
      async (offset, limit) => {
        const page = readPage(await api.read(target, listCall(offset, limit)));
        const objects = page.items.map((item, i) => {
          const listed = readScope(item, offset + i);
          for (const r of listed.remarks) remarks.set(r, [...(remarks.get(r) ?? []), JSON.stringify(listed.object.key)]);
          spelled.push(listed.allSpelled);
          return listed.object;
        });
        return { items: objects, total: page.total };
      },
      Math.max(1, Math.min(api.pageSize, MAX_LIMIT)),
      (o) => (o.id === '' ? `(no id ${unnamed++})` : o.id),
    );
  } catch (err) {
    if (!(err instanceof InconsistentListing)) throw err;
    throw new DbssApiError({
      operation: 'ListAuditRuleScopesNew',
      method: 'GET',
      path: SCOPES_PATH,
      pathTemplate: SCOPES_PATH,
      kind: 'bad-response',
      errorCode: 'INCONSISTENT_LISTING',
      detail: `inconsistent listing: ${err.message}`,
    });
  }
  const observations = [...remarks.entries()].map(([remark, names]) => `${LABEL} ${remark} (${names.join(', ')})`);
  const builtIns = items.filter((o) => o.builtIn);
  if (builtIns.length === 0) observations.push(`no built-in full-audit scope is listed (no scope has all_audit true)`);
  else observations.push(`built-in full-audit scope listed as ${builtIns.map((o) => JSON.stringify(o.key)).join(', ')}`);
  const spelling = learnedAllSpelling(spelled);
  if (spelling.db_ids !== SDK_ALL_SPELLING.db_ids || spelling.db_names !== SDK_ALL_SPELLING.db_names) {
    observations.push(`all databases listed as db_ids ${JSON.stringify(spelling.db_ids)}, db_names ${JSON.stringify(spelling.db_names)}`);
  }
  const full = builtIns.length === 1 ? builtIns[0]!.spec.status : undefined;
  return { live: { objects: items, settings: full === undefined ? {} : { [FULL_AUDIT_KEY]: full }, observations }, spelling };
}

/** Reads every audit scope of an instance. */
export async function readScopes(api: KindApi, target: KindTarget): Promise<LiveKind> {
  return (await listScopes(api, target)).live;
}
