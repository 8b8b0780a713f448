import { ruleId } from '../../emulator/prng.js';
import type { HandlerRequest, HandlerResponse } from '../../emulator/service-context.js';
import { checkRuleId, enumValue, jsonObjectBody, page, paging } from '../../emulator/validate-request.js';
import { badRequest, DBSS } from '../../emulator/wire-errors.js';
import type { EmulatedKind, KindHandlerContext, KindRoute } from '../emulated-kind.js';

/**
 * The emulator's audit scopes, written from the API reference (dbss-api-more.md §1) on their
 * own: nothing here is shared with the client side of the kind. What the reference leaves open
 * is an option (first value = default), bundled into the named profiles:
 * - scopeAllDatabases: how the list spells "all databases": `brackets` [ALL] / [全部数据库] (the
 *   SDK comment), `plain` ALL / 全部数据库, `english` [ALL] / [All databases];
 * - scopeAllDatabasesWrite: `any` spelling of "all" is accepted on write, or only the `listed` one;
 * - scopeBuiltInName: the built-in full-audit scope is listed as `chinese` 全审计规则, `english`
 *   Full audit rule, or is `absent` (not listed at all);
 * - scopeEditEnabled: editing or deleting an enabled scope is `allowed`, or `refused` (400, as
 *   the console's "disable it first");
 * - scopeCreatedStatus: a created scope (create has no status field) starts `ON` or `OFF`;
 * - scopeStatusWords: the list says `switch` ON/OFF, or `enabled` Enabled/Disabled (eu-west-0);
 * - scopeListFields: `full` items and total, or `sparse`: empty fields left out, all_audit only
 *   on the built-in scope and as the text "true", no total.
 * Writes answer HTTP 200 {"status":"SUCCESS"}; a name already used on the instance answers
 * {"status":"FAILED"}; an unknown id is a 400 invalid id; the built-in scope can only be switched.
 */

/** One scope as the emulator stores it (wire strings as sent). */
interface StoredScope {
  id: string;
  name: string;
  builtIn: boolean;
  status: 'ON' | 'OFF';
  /** The write said "all databases" (any accepted spelling). */
  allDatabases: boolean;
  dbIds: string;
  dbNames: string;
  action: string;
  dbUsers: string;
  sourceIps: string;
  sourcePorts: string;
  exceptionIps: string;
}

/** The audit scopes of one instance. */
interface ScopeStore {
  scopes: StoredScope[];
}

const OPTIONS = {
  scopeAllDatabases: ['brackets', 'plain', 'english'],
  scopeAllDatabasesWrite: ['any', 'listed'],
  scopeBuiltInName: ['chinese', 'english', 'absent'],
  scopeEditEnabled: ['allowed', 'refused'],
  scopeCreatedStatus: ['ON', 'OFF'],
  scopeStatusWords: ['switch', 'enabled'],
  scopeListFields: ['full', 'sparse'],
} as const;

type Options = { readonly [option: string]: string };

const SPELLINGS: { readonly [reading: string]: { readonly ids: string; readonly names: string } } = {
  brackets: { ids: '[ALL]', names: '[全部数据库]' },
  plain: { ids: 'ALL', names: '全部数据库' },
  english: { ids: '[ALL]', names: '[All databases]' },
};
const ANY_ALL_IDS = ['[ALL]', 'ALL'];
const ANY_ALL_NAMES = ['[全部数据库]', '全部数据库', '[All databases]', 'All databases'];
const BUILT_IN_NAMES: { readonly [reading: string]: string } = { chinese: '全审计规则', english: 'Full audit rule' };

const SUCCESS: HandlerResponse = { status: 200, body: { status: 'SUCCESS' } };
const FAILED: HandlerResponse = { status: 200, body: { status: 'FAILED' } };

const store = (ctx: KindHandlerContext): ScopeStore => ctx.state as ScopeStore;

function freshId(ctx: KindHandlerContext): string {
  let id = ruleId(ctx.service.ids);
  while (store(ctx).scopes.some((s) => s.id === id)) id = ruleId(ctx.service.ids);
  return id;
}

function listItem(s: StoredScope, options: Options): Record<string, unknown> {
  const spelled = SPELLINGS[options.scopeAllDatabases ?? 'brackets']!;
  const status = options.scopeStatusWords === 'enabled' ? (s.status === 'ON' ? 'Enabled' : 'Disabled') : s.status;
  const fields: Record<string, string> = {
    id: s.id,
    name: s.name,
    action: s.action,
    status,
    exception_ips: s.exceptionIps,
    source_ips: s.sourceIps,
    source_ports: s.sourcePorts,
    db_ids: s.allDatabases ? spelled.ids : s.dbIds,
    db_names: s.allDatabases ? spelled.names : s.dbNames,
    db_users: s.dbUsers,
  };
  if (options.scopeListFields !== 'sparse') return { ...fields, all_audit: s.builtIn };
  const present = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== ''));
  return s.builtIn ? { ...present, all_audit: 'true' } : present;
}

/** GET …/rule/scopes: offset/limit (limit 1-1000, default 100), every scope of the instance. */
function listScopes(ctx: KindHandlerContext, req: HandlerRequest): HandlerResponse {
  const p = paging(req.query, 1000);
  const now = ctx.service.now();
  const listed = store(ctx).scopes.filter((s) => ctx.service.listLag.listed(s.id, now));
  const scopes = page(listed, p).map((s) => listItem(s, ctx.options));
  return { status: 200, body: ctx.options.scopeListFields === 'sparse' ? { scopes } : { scopes, total: listed.length } };
}

function optionalText(body: Record<string, unknown>, name: string): string {
  const v = body[name];
  if (v === undefined || v === null) return '';
  if (typeof v !== 'string') throw badRequest(`invalid ${name}: must be a string`);
  return v.trim();
}

function requiredText(body: Record<string, unknown>, name: string): string {
  if (typeof body[name] !== 'string') throw badRequest(`${name} is required and must be a string`);
  return optionalText(body, name);
}

type Content = Omit<StoredScope, 'id' | 'builtIn' | 'status'>;

/** A RuleScopeRequest body (rule_name, db_ids, db_names required; the rest optional strings). */
function scopeContent(ctx: KindHandlerContext, raw: Buffer): Content {
  const body = jsonObjectBody(raw);
  const name = body.rule_name;
  if (typeof name !== 'string' || name.length === 0 || name.length > 255) throw badRequest('rule_name is required: 1-255 characters');
  const dbIds = requiredText(body, 'db_ids');
  const dbNames = requiredText(body, 'db_names');
  const allIds = ANY_ALL_IDS.includes(dbIds);
  const allNames = ANY_ALL_NAMES.includes(dbNames);
  if (ctx.options.scopeAllDatabasesWrite === 'listed') {
    const spelled = SPELLINGS[ctx.options.scopeAllDatabases ?? 'brackets']!;
    if (allIds && dbIds !== spelled.ids) throw badRequest(`invalid db_ids "${dbIds}": all databases is ${spelled.ids}`);
    if (allNames && dbNames !== spelled.names) throw badRequest(`invalid db_names "${dbNames}": all databases is ${spelled.names}`);
  }
  if (!allIds && !allNames && dbIds === '' && dbNames === '') throw badRequest('db_ids or db_names must name a database (or all databases)');
  return {
    name,
    allDatabases: allIds || allNames,
    dbIds: allIds || allNames ? '' : dbIds,
    dbNames: allIds || allNames ? '' : dbNames,
    action: optionalText(body, 'action'),
    dbUsers: optionalText(body, 'db_users'),
    sourceIps: optionalText(body, 'source_ips'),
    sourcePorts: optionalText(body, 'source_ports'),
    exceptionIps: optionalText(body, 'exception_ips'),
  };
}

const nameTaken = (ctx: KindHandlerContext, name: string, exceptId?: string): boolean => store(ctx).scopes.some((s) => s.name === name && s.id !== exceptId);

/** POST …/rule/scopes: no id in the answer; status as scopeCreatedStatus says. */
function createScope(ctx: KindHandlerContext, req: HandlerRequest): HandlerResponse {
  const content = scopeContent(ctx, req.body);
  if (nameTaken(ctx, content.name)) return FAILED;
  const id = freshId(ctx);
  store(ctx).scopes.push({ id, builtIn: false, status: ctx.options.scopeCreatedStatus === 'OFF' ? 'OFF' : 'ON', ...content });
  ctx.service.listLag.created(id, ctx.service.now());
  return SUCCESS;
}

/** The custom scope a path names, writable as the options say. */
function writableScope(ctx: KindHandlerContext, req: HandlerRequest, what: string): StoredScope {
  const id = checkRuleId(req.params.id ?? '');
  const scope = store(ctx).scopes.find((s) => s.id === id);
  if (!scope) throw badRequest(`audit scope ${id} not found`, DBSS.invalidId);
  if (scope.builtIn) throw badRequest(`the full-audit scope cannot be ${what}; it can only be switched ON or OFF`);
  if (scope.status === 'ON' && ctx.options.scopeEditEnabled === 'refused') throw badRequest(`audit scope ${id} is enabled: disable it before it is ${what}`);
  return scope;
}

/** POST /v3/…/rule/scopes/{id}: a full replacement; the status is kept. */
function updateScope(ctx: KindHandlerContext, req: HandlerRequest): HandlerResponse {
  const scope = writableScope(ctx, req, 'edited');
  const content = scopeContent(ctx, req.body);
  if (nameTaken(ctx, content.name, scope.id)) return FAILED;
  Object.assign(scope, content);
  return SUCCESS;
}

/** DELETE /v1/…/rule/scopes/{id}. */
function deleteScope(ctx: KindHandlerContext, req: HandlerRequest): HandlerResponse {
  const scope = writableScope(ctx, req, 'deleted');
  store(ctx).scopes = store(ctx).scopes.filter((s) => s !== scope);
  return SUCCESS;
}

/** POST /v2/…/rule/scopes/switch {ids: [...], status: ON|OFF}: every id must be known (built-in included). */
function switchScopes(ctx: KindHandlerContext, req: HandlerRequest): HandlerResponse {
  const body = jsonObjectBody(req.body);
  const ids = body.ids;
  if (!Array.isArray(ids) || ids.length === 0 || !ids.every((i) => typeof i === 'string')) throw badRequest('ids is required: a non-empty list of scope ids');
  const status = enumValue('status', body.status, ['ON', 'OFF'] as const);
  const scopes: StoredScope[] = [];
  for (const id of ids as string[]) {
    const scope = store(ctx).scopes.find((s) => s.id === id);
    if (!scope) throw badRequest(`audit scope ${id.slice(0, 80)} not found`, DBSS.invalidId);
    scopes.push(scope);
  }
  for (const s of scopes) s.status = status;
  return SUCCESS;
}

const SCOPES = '/v1/{project_id}/audit/{instance_id}/rule/scopes';

const ROUTES: readonly KindRoute[] = [
  { operation: 'ListAuditRuleScopesNew', method: 'GET', path: SCOPES, errors: 'flat', write: false, handle: listScopes },
  { operation: 'CreateAuditScopeRule', method: 'POST', path: SCOPES, errors: 'flat', write: true, handle: createScope },
  { operation: 'UpdateAuditScopeRule', method: 'POST', path: '/v3/{project_id}/audit/{instance_id}/rule/scopes/{id}', errors: 'flat', write: true, handle: updateScope },
  { operation: 'DeleteAuditScope', method: 'DELETE', path: `${SCOPES}/{id}`, errors: 'flat', write: true, handle: deleteScope },
  { operation: 'SetAuditScopeRuleSwitch', method: 'POST', path: '/v2/{project_id}/audit/{instance_id}/rule/scopes/switch', errors: 'flat', write: true, handle: switchScopes },
];

/** The emulator part of audit scopes. */
export const EMULATED_AUDIT_SCOPES: EmulatedKind = {
  name: 'audit-scope',
  options: OPTIONS,
  profiles: {
    default: {},
    terse: { scopeListFields: 'sparse' },
    'renamed-system-rules': { scopeBuiltInName: 'english' },
    'custom-ranks': { scopeAllDatabases: 'english', scopeCreatedStatus: 'OFF' },
    gapped: { scopeAllDatabases: 'plain', scopeEditEnabled: 'refused' },
    hostile: {
      scopeAllDatabases: 'plain',
      scopeAllDatabasesWrite: 'listed',
      scopeBuiltInName: 'english',
      scopeEditEnabled: 'refused',
      scopeCreatedStatus: 'OFF',
      scopeStatusWords: 'enabled',
      scopeListFields: 'sparse',
    },
  },
  initial: (service, options): ScopeStore => {
    const name = BUILT_IN_NAMES[options.scopeBuiltInName ?? 'chinese'];
    if (name === undefined) return { scopes: [] };
    const builtIn: StoredScope = {
      id: ruleId(service.ids),
      name,
      builtIn: true,
      status: 'ON',
      allDatabases: true,
      dbIds: '',
      dbNames: '',
      action: '',
      dbUsers: '',
      sourceIps: '',
      sourcePorts: '',
      exceptionIps: '',
    };
    return { scopes: [builtIn] };
  },
  routes: ROUTES,
};
