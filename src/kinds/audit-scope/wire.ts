import { DbssApiError } from '../../api/errors.js';
import type { Json, KindCall, LiveObject } from '../kind.js';
import type { ScopeDatabases, ScopeSpec } from './scope-spec.js';
import { ALL_DATABASES, normalList, specJson } from './scope-spec.js';

/**
 * The client side's wire mapping of audit scopes (dbss-api-more.md §1): the list item
 * `RuleScopeInfo` read tolerantly (every field is an optional pointer in the SDK, so each may be
 * absent, null or of another type), and the write body `RuleScopeRequest` written strictly.
 * The emulator has its own mapping (emulator.ts); nothing here is shared with it.
 */

/** The SDK comment's spelling of "all databases" on write: `db_ids` "全部传[ALL]", `db_names` "全部传[全部数据库]". */
export const SDK_ALL_SPELLING: AllSpelling = { db_ids: '[ALL]', db_names: '[全部数据库]' };

/** How the API spells "all databases" in `db_ids` and `db_names`. */
export interface AllSpelling {
  /** In db_ids. */
  readonly db_ids: string;
  /** In db_names. */
  readonly db_names: string;
}

const ALL_IDS = new Set(['[ALL]', 'ALL']);
const ALL_NAMES = new Set(['[全部数据库]', '全部数据库', '[ALL DATABASES]', 'ALL DATABASES']);

/** True when a db_ids item spells "all databases" ([ALL], ALL; any case). */
const isAllIds = (item: string): boolean => ALL_IDS.has(item.trim().toUpperCase());
/** True when a db_names item spells "all databases" ([全部数据库], 全部数据库, [All databases], All databases; any case). */
const isAllNames = (item: string): boolean => ALL_NAMES.has(item.trim().toUpperCase());

/** What one list item says, and what could not be read as documented. */
export interface ListedScope {
  /** The item as a live object (built in when `all_audit` is true). */
  readonly object: LiveObject;
  /** Readings worth saying (e.g. a status word other than ON/OFF), without the scope's name. */
  readonly remarks: readonly string[];
  /** How it spelled "all databases", in the fields that did. */
  readonly allSpelled: Partial<AllSpelling>;
  /** Its status word: ON/OFF (`switch`), Enabled/Disabled (`enabled`), or `other`. */
  readonly statusWord: 'switch' | 'enabled' | 'other';
}

const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' && Number.isFinite(v) ? String(v) : undefined);

/** A comma-joined field (a string array accepted too) as its items; anything else is no items, with a remark. */
function items(raw: Record<string, unknown>, name: string, remarks: string[]): string[] {
  const v = raw[name];
  if (v === undefined || v === null) return [];
  if (Array.isArray(v)) return v.flatMap((x) => (text(x) === undefined ? [] : text(x)!.split(',')));
  const t = text(v);
  if (t === undefined) {
    remarks.push(`${name} unreadable (${JSON.stringify(v)?.slice(0, 40)}): read as empty`);
    return [];
  }
  return t.split(',');
}

/** `all_audit`: true for a boolean true or the text "true" (any case). */
const allAudit = (v: unknown): boolean => v === true || (typeof v === 'string' && v.trim().toLowerCase() === 'true');

/** A status word as ON/OFF: ON/OFF, Enabled/Disabled (eu-west-0), true/false; another word is kept as it is. */
function statusOf(v: unknown, remarks: string[]): string {
  const t = typeof v === 'boolean' ? String(v) : text(v);
  if (t === undefined) {
    remarks.push('listed without a status: read as OFF');
    return 'OFF';
  }
  const word = t.trim().toUpperCase();
  if (word === 'ON' || word === 'OFF') return word;
  if (word === 'ENABLED' || word === 'DISABLED') remarks.push('status spelled Enabled/Disabled: read as ON/OFF');
  if (word === 'ENABLED' || word === 'TRUE') return 'ON';
  if (word === 'DISABLED' || word === 'FALSE') return 'OFF';
  remarks.push(`status ${JSON.stringify(t)} is neither ON/OFF nor Enabled/Disabled`);
  return t;
}

/** Reads one `scopes[i]` item. */
export function readScope(item: unknown, index: number): ListedScope {
  const remarks: string[] = [];
  const raw = typeof item === 'object' && item !== null && !Array.isArray(item) ? (item as Record<string, unknown>) : {};
  if (raw !== item) remarks.push(`scopes[${index}] is not an object`);
  const ids = items(raw, 'db_ids', remarks);
  const names = items(raw, 'db_names', remarks);
  const idsAll = ids.find(isAllIds);
  const namesAll = names.find(isAllNames);
  let databases: ScopeDatabases;
  if (idsAll !== undefined || namesAll !== undefined) databases = ALL_DATABASES;
  else if (normalList(ids).length === 0 && normalList(names).length === 0) {
    remarks.push('listed without databases: read as all databases');
    databases = ALL_DATABASES;
  } else databases = { ids: normalList(ids), names: normalList(names) };
  const spec: ScopeSpec = {
    databases,
    actions: normalList(items(raw, 'action', remarks)),
    db_users: normalList(items(raw, 'db_users', remarks)),
    source_ips: normalList(items(raw, 'source_ips', remarks)),
    source_ports: normalList(items(raw, 'source_ports', remarks)),
    exception_ips: normalList(items(raw, 'exception_ips', remarks)),
    status: statusOf(raw.status, remarks),
  };
  const object: LiveObject = {
    id: text(raw.id) ?? '',
    key: text(raw.name) ?? '',
    builtIn: allAudit(raw.all_audit),
    spec: specJson(spec),
  };
  const allSpelled = { ...(idsAll === undefined ? {} : { db_ids: idsAll.trim() }), ...(namesAll === undefined ? {} : { db_names: namesAll.trim() }) };
  const word = String(raw.status).trim().toUpperCase();
  const statusWord = word === 'ON' || word === 'OFF' ? 'switch' : word === 'ENABLED' || word === 'DISABLED' ? 'enabled' : 'other';
  return { object, remarks, allSpelled, statusWord };
}

/** The list path (ListAuditRuleScopesNew, GET; CreateAuditScopeRule, POST). */
export const SCOPES_PATH = '/v1/{project_id}/audit/{instance_id}/rule/scopes';

/** The largest `limit` the list takes (SDK: "大于0小于等于1000"). */
export const MAX_LIMIT = 1000;

/** One page of the list: offset and limit are strings in the SDK. */
export const listCall = (offset: number, limit: number): KindCall => ({
  operation: 'ListAuditRuleScopesNew',
  method: 'GET',
  path: SCOPES_PATH,
  query: [
    ['offset', String(offset)],
    ['limit', String(limit)],
  ],
});

/** One answered page: its items and total (absent when not answered as a number). */
export function readPage(answer: unknown): { readonly items: readonly unknown[]; readonly total?: number } {
  const raw = typeof answer === 'object' && answer !== null && !Array.isArray(answer) ? (answer as Record<string, unknown>) : undefined;
  const scopes = raw?.scopes;
  // a list answer without its list is never "no scopes"
  if (raw === undefined || !Array.isArray(scopes)) {
    throw new DbssApiError({
      operation: 'ListAuditRuleScopesNew',
      method: 'GET',
      path: SCOPES_PATH,
      pathTemplate: SCOPES_PATH,
      kind: 'bad-response',
      detail: `expected {"scopes": [...]}, got ${JSON.stringify(answer)?.slice(0, 80) ?? 'nothing'}`,
    });
  }
  const total = typeof raw.total === 'number' ? raw.total : typeof raw.total === 'string' && /^\d+$/.test(raw.total) ? Number(raw.total) : undefined;
  return { items: scopes, ...(total === undefined ? {} : { total }) };
}

/** The write body `RuleScopeRequest` of a spec: every field sent (an update is a full replacement). */
export function scopeBody(name: string, spec: ScopeSpec, all: AllSpelling): Json {
  const join = (list: readonly string[]): string => list.join(',');
  const dbs = spec.databases;
  return {
    rule_name: name,
    db_ids: dbs === ALL_DATABASES ? all.db_ids : join(dbs.ids),
    db_names: dbs === ALL_DATABASES ? all.db_names : join(dbs.names),
    action: join(spec.actions),
    db_users: join(spec.db_users),
    source_ips: join(spec.source_ips),
    source_ports: join(spec.source_ports),
    exception_ips: join(spec.exception_ips),
  };
}

/** The spelling of "all databases" the listed scopes use (each field on its own: the first seen), else the SDK's. */
export function learnedAllSpelling(listed: readonly Partial<AllSpelling>[]): AllSpelling {
  return {
    db_ids: listed.find((l) => l.db_ids !== undefined)?.db_ids ?? SDK_ALL_SPELLING.db_ids,
    db_names: listed.find((l) => l.db_names !== undefined)?.db_names ?? SDK_ALL_SPELLING.db_names,
  };
}
