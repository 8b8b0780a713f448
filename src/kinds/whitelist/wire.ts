import type { Json, KindCall, LiveObject } from '../kind.js';
import { normaliseSql } from './sql-text.js';

/**
 * The whitelist calls and the decoding of their answers (dbss-api-more.md §4): the only place
 * of the client side that knows a wire field name of this kind. Reading is tolerant: every
 * field of `WhitelistBean` is optional in the SDK, so an absent, null or mistyped field becomes
 * an absent domain field (and an observation), never a crash.
 */

const PATH = '/v1/{project_id}/audit/{instance_id}/whitelists';

/** The smallest and largest `limit` ListWhitelists takes (integers, unlike the other lists' strings). */
export const LIMIT_MIN = 10;
/** See LIMIT_MIN. */
export const LIMIT_MAX = 100;

/** The page size sent: the client's, raised to 10 and capped at 100. */
export const listLimit = (pageSize: number): number => Math.min(LIMIT_MAX, Math.max(LIMIT_MIN, Math.floor(pageSize)));

/** The writable content of an entry (domain form). */
export interface EntryContent {
  /** The SQL text, normalised (create only: it cannot be edited). */
  readonly sql: string;
  /** db_ids; empty = every database. */
  readonly databases: readonly string[];
  /** desc. */
  readonly description: string;
  /** enabled: always sent (its default on create is unsettled; on update it is required). */
  readonly enabled: boolean;
}

/** One page of the list: integer offset and limit. */
export const listCall = (offset: number, limit: number): KindCall => ({
  operation: 'ListWhitelists',
  method: 'GET',
  path: PATH,
  query: [
    ['offset', String(offset)],
    ['limit', String(limit)],
  ],
});

/** Adds every entry in one call (no ids in the answer). */
export const createCall = (entries: readonly EntryContent[]): KindCall => ({
  operation: 'BatchAddAuditWhitelist',
  method: 'POST',
  path: PATH,
  body: { whitelists: entries.map((e) => ({ sql: e.sql, db_ids: [...e.databases], desc: e.description, enabled: e.enabled })) },
});

/** Updates one entry's databases, description and enabled (no `sql`: the text cannot change). */
export const updateCall = (id: string, e: Omit<EntryContent, 'sql'>): KindCall => ({
  operation: 'UpdateAuditWhitelist',
  method: 'PUT',
  path: `${PATH}/{id}`,
  params: { id },
  body: { db_ids: [...e.databases], desc: e.description, enabled: e.enabled },
});

/** Deletes entries by id in one call (the field is `whitelists`, not `ids`). */
export const deleteCall = (ids: readonly string[]): KindCall => ({
  operation: 'DeleteAuditWhitelist',
  method: 'POST',
  path: `${PATH}/batch-delete`,
  body: { whitelists: [...ids] },
});

/** One page of the list answer. */
export interface ListPage {
  /** The entries of the page (items that are not even objects are dropped, and said). */
  readonly entries: readonly LiveObject[];
  /** Number of items the page held (the next offset moves by it). */
  readonly items: number;
  /** `total`, when it is a non-negative integer. */
  readonly total: number | undefined;
  /** What was odd about the page. */
  readonly oddities: readonly string[];
  /** How the first entry of every database (no ids) spelled its db_ids on this page: `[]`, null or left out. */
  readonly noDatabases?: 'empty' | 'null' | 'absent';
}

const record = (v: unknown): Readonly<Record<string, unknown>> | undefined => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined);

const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' && Number.isFinite(v) ? String(v) : undefined);

const integer = (v: unknown): number | undefined => {
  const n = typeof v === 'string' && /^\s*\d+\s*$/.test(v) ? Number(v) : v;
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0 ? n : undefined;
};

/** `enabled`: a boolean, or the strings and numbers a lenient server might send instead. */
function readEnabled(v: unknown): boolean | undefined {
  if (typeof v === 'boolean') return v;
  const t = text(v)?.trim().toUpperCase();
  if (t === 'TRUE' || t === 'ON' || t === '1' || t === 'ENABLED') return true;
  if (t === 'FALSE' || t === 'OFF' || t === '0' || t === 'DISABLED') return false;
  return undefined;
}

/** `db_ids`: an array of ids (the SDK's), a comma-joined string (the scopes' spelling), or nothing (= no list: every database). */
function readDatabases(v: unknown): { databases: string[] | undefined; odd?: string } {
  if (v === undefined || v === null) return { databases: [] };
  if (Array.isArray(v)) {
    const ids = v.map(text);
    if (ids.some((x) => x === undefined)) return { databases: undefined, odd: 'db_ids holds something other than ids' };
    return { databases: [...new Set(ids as string[])].sort() };
  }
  if (typeof v === 'string') return { databases: [...new Set(v.split(',').map((x) => x.trim()).filter((x) => x !== ''))].sort(), odd: 'db_ids came as a comma-joined string' };
  return { databases: undefined, odd: `db_ids ${JSON.stringify(v)} not understood` };
}

/** One list item as a live object; undefined when it is not even an object. */
function decodeEntry(raw: unknown, at: string, oddities: string[]): LiveObject | undefined {
  const r = record(raw);
  if (r === undefined) {
    oddities.push(`${at}: not an object, skipped`);
    return undefined;
  }
  const sql = text(r.sql);
  const key = sql === undefined ? '' : normaliseSql(sql);
  const name = `${at} (${JSON.stringify(key)})`;
  if (key === '') oddities.push(`${at}: no SQL text`);
  const spec: Record<string, Json> = {};
  const db = readDatabases(r.db_ids);
  if (db.databases !== undefined) spec.databases = db.databases;
  if (db.odd !== undefined) oddities.push(`${name}: ${db.odd}`);
  spec.description = r.desc === undefined || r.desc === null ? '' : (text(r.desc) ?? '');
  const enabled = readEnabled(r.enabled);
  if (enabled !== undefined) spec.enabled = enabled;
  else oddities.push(`${name}: enabled ${r.enabled === undefined ? 'not listed' : `${JSON.stringify(r.enabled)} not understood`}`);
  return { id: text(r.id) ?? '', key, builtIn: false, spec };
}

/** One page of the list answer, tolerantly: `whitelists` absent or not a list reads as no entries. */
export function decodeListPage(answer: unknown, offset: number): ListPage {
  const a = record(answer) ?? {};
  const items = Array.isArray(a.whitelists) ? (a.whitelists as unknown[]) : [];
  const oddities: string[] = [];
  if (a.whitelists !== undefined && a.whitelists !== null && !Array.isArray(a.whitelists)) oddities.push(`offset ${offset}: whitelists is not a list, read as none`);
  const entries = items.flatMap((raw, i) => decodeEntry(raw, `whitelists[${offset + i}]`, oddities) ?? []);
  const spellings = items.flatMap((raw) => {
    const db = record(raw)?.db_ids;
    return db === undefined ? ['absent' as const] : db === null ? ['null' as const] : Array.isArray(db) && db.length === 0 ? ['empty' as const] : [];
  });
  return { entries, items: items.length, total: integer(a.total), oddities, ...(spellings[0] ? { noDatabases: spellings[0] } : {}) };
}
