import { ruleId } from '../../emulator/prng.js';
import type { HandlerRequest, HandlerResponse } from '../../emulator/service-context.js';
import { checkRuleId, jsonObjectBody } from '../../emulator/validate-request.js';
import { badRequest, DBSS } from '../../emulator/wire-errors.js';
import type { EmulatedKind, KindHandlerContext, KindRoute } from '../emulated-kind.js';

/**
 * The emulator's SQL whitelist (dbss-api-more.md §4), written from the API facts alone: it
 * shares no wire code with the client side of the kind. Each open point is an option:
 * - whitelistEnabledDefault: `enabled` of an entry added without one (true or false).
 * - whitelistEmptyDatabases: how an entry with no databases (= every database) is listed:
 *   `db_ids: []`, `db_ids: null`, or no db_ids at all.
 * - whitelistPageCap: `limit` honoured (10..100), or every page capped at 3 entries.
 * - whitelistTotal: the list answers carry `total`, or not.
 * - whitelistDuplicateSql: adding an SQL text already listed (or twice in one batch) answers
 *   FAILED for the whole batch, or is stored again.
 * Batches are all or nothing: one bad item (or unknown id) and nothing of the batch is done.
 * SQL texts are stored exactly as sent.
 */

/** One entry as stored. */
interface StoredEntry {
  /** Opaque id. */
  id: string;
  /** sql, as sent. */
  sql: string;
  /** db_ids; empty = every database. */
  dbIds: string[];
  /** desc. */
  desc: string;
  /** enabled. */
  enabled: boolean;
  /** create_timestamp_ms. */
  created: number;
  /** update_timestamp_ms. */
  updated: number;
}

/** The kind's state on one instance. */
interface WhitelistState {
  /** Entries in the order added. */
  entries: StoredEntry[];
}

const OK: HandlerResponse = { status: 200, body: { status: 'SUCCESS' } };
const FAILED: HandlerResponse = { status: 200, body: { status: 'FAILED' } };

const entriesOf = (ctx: KindHandlerContext): StoredEntry[] => (ctx.state as WhitelistState).entries;

function freshId(ctx: KindHandlerContext): string {
  let id = ruleId(ctx.service.ids);
  while (entriesOf(ctx).some((e) => e.id === id)) id = ruleId(ctx.service.ids);
  return id;
}

/** An integer query parameter from min to max, or the fallback when absent. */
function intQuery(req: HandlerRequest, name: string, fallback: number, min: number, max: number): number {
  const raw = req.query.get(name);
  if (raw === null) return fallback;
  if (!/^\d{1,10}$/.test(raw) || Number(raw) < min || Number(raw) > max) throw badRequest(`invalid ${name} "${raw.slice(0, 40)}": must be an integer from ${min} to ${max}`);
  return Number(raw);
}

/** An optional list of database ids. */
function dbIdsOf(v: unknown, at: string): string[] | undefined {
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || !v.every((x): x is string => typeof x === 'string' && x !== '')) throw badRequest(`${at}db_ids must be a list of database ids`);
  return [...v];
}

function optionalText(v: unknown, field: string): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw badRequest(`${field} must be a string`);
  return v;
}

function optionalBool(v: unknown, field: string): boolean | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') throw badRequest(`${field} must be true or false`);
  return v;
}

const listWhitelists = (ctx: KindHandlerContext, req: HandlerRequest): HandlerResponse => {
  const offset = intQuery(req, 'offset', 0, 0, 2_147_483_647);
  const asked = intQuery(req, 'limit', 100, 10, 100);
  const limit = ctx.options.whitelistPageCap === 'none' ? asked : Math.min(asked, Number(ctx.options.whitelistPageCap));
  const all = entriesOf(ctx);
  const emptyAs = ctx.options.whitelistEmptyDatabases;
  const whitelists = all.slice(offset, offset + limit).map((e) => ({
    id: e.id,
    sql: e.sql,
    ...(e.dbIds.length > 0 ? { db_ids: [...e.dbIds] } : emptyAs === 'empty' ? { db_ids: [] } : emptyAs === 'null' ? { db_ids: null } : {}),
    desc: e.desc,
    enabled: e.enabled,
    create_timestamp_ms: e.created,
    update_timestamp_ms: e.updated,
  }));
  return { status: 200, body: { ...(ctx.options.whitelistTotal === 'present' ? { total: all.length } : {}), whitelists } };
};

const addWhitelists = (ctx: KindHandlerContext, req: HandlerRequest): HandlerResponse => {
  const body = jsonObjectBody(req.body);
  const items = body.whitelists;
  if (!Array.isArray(items) || items.length === 0) throw badRequest('whitelists is required: a non-empty list of SQL whitelist entries');
  const now = ctx.service.now();
  const added = items.map((raw, i): Omit<StoredEntry, 'id'> => {
    const at = `whitelists[${i}].`;
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw badRequest(`${at.slice(0, -1)} must be an object`);
    const item = raw as Record<string, unknown>;
    if (typeof item.sql !== 'string' || item.sql.trim() === '') throw badRequest(`${at}sql is required: a non-empty string`);
    return {
      sql: item.sql,
      dbIds: dbIdsOf(item.db_ids, at) ?? [],
      desc: optionalText(item.desc, `${at}desc`) ?? '',
      enabled: optionalBool(item.enabled, `${at}enabled`) ?? ctx.options.whitelistEnabledDefault === 'true',
      created: now,
      updated: now,
    };
  });
  if (ctx.options.whitelistDuplicateSql === 'refused') {
    const texts = [...entriesOf(ctx).map((e) => e.sql), ...added.map((e) => e.sql)];
    if (new Set(texts).size !== texts.length) return FAILED;
  }
  for (const e of added) entriesOf(ctx).push({ id: freshId(ctx), ...e });
  return OK;
};

const updateWhitelist = (ctx: KindHandlerContext, req: HandlerRequest): HandlerResponse => {
  const id = checkRuleId(req.params.id ?? '');
  const entry = entriesOf(ctx).find((e) => e.id === id);
  if (!entry) throw badRequest(`whitelist entry ${id} not found on instance ${ctx.instance.id}`, DBSS.invalidId);
  const body = jsonObjectBody(req.body);
  if (typeof body.enabled !== 'boolean') throw badRequest('enabled is required: true or false');
  if (body.sql !== undefined) throw badRequest('sql cannot be changed');
  const dbIds = dbIdsOf(body.db_ids, '');
  const desc = optionalText(body.desc, 'desc');
  entry.enabled = body.enabled;
  if (dbIds !== undefined) entry.dbIds = dbIds;
  if (desc !== undefined) entry.desc = desc;
  entry.updated = ctx.service.now();
  return OK;
};

const deleteWhitelists = (ctx: KindHandlerContext, req: HandlerRequest): HandlerResponse => {
  const body = jsonObjectBody(req.body);
  const ids = body.whitelists;
  if (!Array.isArray(ids) || ids.length === 0 || !ids.every((x): x is string => typeof x === 'string')) throw badRequest('whitelists is required: a non-empty list of whitelist entry ids');
  const entries = entriesOf(ctx);
  for (const id of ids) {
    if (!entries.some((e) => e.id === checkRuleId(id))) throw badRequest(`whitelist entry ${id} not found on instance ${ctx.instance.id}`, DBSS.invalidId);
  }
  (ctx.state as WhitelistState).entries = entries.filter((e) => !ids.includes(e.id));
  return OK;
};

const PATH = '/v1/{project_id}/audit/{instance_id}/whitelists';

const routes: readonly KindRoute[] = [
  { operation: 'ListWhitelists', method: 'GET', path: PATH, errors: 'flat', write: false, handle: listWhitelists },
  { operation: 'BatchAddAuditWhitelist', method: 'POST', path: PATH, errors: 'flat', write: true, handle: addWhitelists },
  { operation: 'UpdateAuditWhitelist', method: 'PUT', path: `${PATH}/{id}`, errors: 'flat', write: true, handle: updateWhitelist },
  { operation: 'DeleteAuditWhitelist', method: 'POST', path: `${PATH}/batch-delete`, errors: 'flat', write: true, handle: deleteWhitelists },
];

/** The emulator part of the `whitelist` kind. */
export const EMULATED_WHITELIST: EmulatedKind = {
  name: 'whitelist',
  options: {
    whitelistEnabledDefault: ['true', 'false'],
    whitelistEmptyDatabases: ['empty', 'null', 'absent'],
    whitelistPageCap: ['none', '3'],
    whitelistTotal: ['present', 'absent'],
    whitelistDuplicateSql: ['refused', 'accepted'],
  },
  profiles: {
    default: {},
    terse: { whitelistEmptyDatabases: 'absent', whitelistTotal: 'absent' },
    gapped: { whitelistPageCap: '3' },
    'custom-ranks': { whitelistDuplicateSql: 'accepted', whitelistEmptyDatabases: 'null' },
    hostile: {
      whitelistEnabledDefault: 'false',
      whitelistEmptyDatabases: 'null',
      whitelistPageCap: '3',
      whitelistTotal: 'absent',
      whitelistDuplicateSql: 'accepted',
    },
  },
  initial: (): WhitelistState => ({ entries: [] }),
  routes,
};
