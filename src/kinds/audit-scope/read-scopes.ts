import { DbssApiError } from '../../api/errors.js';
import { InconsistentListing } from '../../api/list-consistency.js';
import { collectPages } from '../../api/paging.js';
import type { KindApi, KindTarget, LiveKind, LiveObject } from '../kind.js';
import { FULL_AUDIT_KEY, LABEL } from './scope-spec.js';
import { listCall, MAX_LIMIT, readPage, readScope, SCOPES_PATH } from './wire.js';

/**
 * Reads every audit scope of an instance: the list pages (offset/limit as strings, limit at
 * most 1000), each item read tolerantly. What the answers taught or could not say becomes the
 * kind's observations: the built-in full-audit scope's name (an open point: no source gives it),
 * its absence, status words other than ON/OFF, fields that could not be read.
 */
export async function readScopes(api: KindApi, target: KindTarget): Promise<LiveKind> {
  const remarks = new Map<string, string[]>();
  let unnamed = 0;
  let items: LiveObject[];
  try {
    items = await collectPages(
      async (offset, limit) => {
        const page = readPage(await api.read(target, listCall(offset, limit)));
        const objects = page.items.map((item, i) => {
          const { object, remarks: said } = readScope(item, offset + i);
          for (const r of said) remarks.set(r, [...(remarks.get(r) ?? []), JSON.stringify(object.key)]);
          return object;
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
  const full = builtIns.length === 1 ? builtIns[0]!.spec.status : undefined;
  return { objects: items, settings: full === undefined ? {} : { [FULL_AUDIT_KEY]: full }, observations };
}
