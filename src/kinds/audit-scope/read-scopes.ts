import { DbssApiError } from '../../api/errors.js';
import { InconsistentListing } from '../../api/list-consistency.js';
import { collectPages } from '../../api/paging.js';
import type { KindApi, KindTarget, LiveKind, LiveObject } from '../kind.js';
import { FULL_AUDIT_KEY, LABEL } from './scope-spec.js';
import type { AllSpelling, ListedScope } from './wire.js';
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

const BUILT_IN_NAMES: { readonly [name: string]: string } = { 全审计规则: 'chinese', 'Full audit rule': 'english' };

/**
 * The readings of the emulator's scope options (src/kinds/audit-scope/emulator.ts) a listing
 * settles, for `probe`: the spelling of all databases, the built-in scope's name, the status
 * words, whether the list has a total. Writes settle the others (probe --write).
 */
function settledOptions(spelled: readonly Partial<AllSpelling>[], builtIns: readonly LiveObject[], statusWords: ReadonlySet<ListedScope['statusWord']>, totals: ReadonlySet<boolean>): { [option: string]: string } {
  const out: { [option: string]: string } = {};
  const ids = spelled.find((s) => s.db_ids !== undefined)?.db_ids;
  const names = spelled.find((s) => s.db_names !== undefined)?.db_names;
  if (names === '[All databases]') out.scopeAllDatabases = 'english';
  else if (names === '[全部数据库]' || (names === undefined && ids === '[ALL]')) out.scopeAllDatabases = 'brackets';
  else if (names === '全部数据库' || (names === undefined && ids === 'ALL')) out.scopeAllDatabases = 'plain';
  if (builtIns.length === 0) out.scopeBuiltInName = 'absent';
  else if (builtIns.length === 1 && BUILT_IN_NAMES[builtIns[0]!.key] !== undefined) out.scopeBuiltInName = BUILT_IN_NAMES[builtIns[0]!.key]!;
  if (statusWords.size === 1 && !statusWords.has('other')) out.scopeStatusWords = statusWords.has('enabled') ? 'enabled' : 'switch';
  if (totals.size === 1) out.scopeListFields = totals.has(true) ? 'full' : 'sparse';
  return out;
}

/** Lists the scopes of an instance. */
export async function listScopes(api: KindApi, target: KindTarget): Promise<ScopeListing> {
  const remarks = new Map<string, string[]>();
  const spelled: Partial<AllSpelling>[] = [];
  const statusWords = new Set<ListedScope['statusWord']>();
  const totals = new Set<boolean>();
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
          statusWords.add(listed.statusWord);
          return listed.object;
        });
        totals.add(page.total !== undefined);
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
  const learned = settledOptions(spelled, builtIns, statusWords, totals);
  return { live: { objects: items, settings: full === undefined ? {} : { [FULL_AUDIT_KEY]: full }, observations, learned }, spelling };
}

/** Reads every audit scope of an instance. */
export async function readScopes(api: KindApi, target: KindTarget): Promise<LiveKind> {
  return (await listScopes(api, target)).live;
}
