import { ruleId } from '../../emulator/prng.js';
import type { HandlerRequest, HandlerResponse, ServiceContext } from '../../emulator/service-context.js';
import { checkRuleId, enumValue, jsonObjectBody } from '../../emulator/validate-request.js';
import { badRequest, DBSS } from '../../emulator/wire-errors.js';
import type { EmulatedKind, KindHandlerContext, KindRoute } from '../emulated-kind.js';

/**
 * The emulator's SQL-injection rules (dbss-api-more.md §2), written from the API facts alone:
 * it shares no wire code with the client side of the kind. Each open point of §7 is an option:
 * - sqlRulePageBase: `page` counts from 0; from 1 with page 0 read as page 1; from 1 with page
 *   0 answered empty; from 1 with page 0 refused (400).
 * - sqlRuleSizeCap: `size` taken as asked, capped at 3 rules a page, or refused (400) above 100.
 * - sqlRuleTotal: the list answers carry `total`, or not.
 * - sqlRuleRank: list items carry `rank` (1..n, one numbering for every rule), or not.
 * - sqlRankList: what SetSqlRuleRank needs: any subset (the rules named take the places they
 *   hold, in the order given), every custom rule, or every rule.
 * - sqlRankIncomplete: a list short of that answers FAILED, or SUCCESS doing nothing.
 * - sqlRuleCreatedRank: a created rule goes last or first.
 * - sqlRuleRiskCase: risk_level read back upper or lower case.
 */

const RISK = ['HIGH', 'MEDIUM', 'LOW', 'NO_RISK'] as const;
const STATUS = ['ON', 'OFF'] as const;

/** One SQL-injection rule as stored. */
interface StoredSqlRule {
  /** Opaque id. */
  id: string;
  /** SYSTEM (switch only) or CUSTOMIZE. */
  type: 'SYSTEM' | 'CUSTOMIZE';
  /** rule_name / name. */
  name: string;
  /** sql_regex / regex. */
  regex: string;
  /** risk_level. */
  riskLevel: (typeof RISK)[number];
  /** status. */
  status: (typeof STATUS)[number];
  /** feature (system rules describe what they detect). */
  feature: string;
}

/** The kind's state on one instance: every rule, highest priority first. */
interface SqlRulesState {
  /** Rules in priority order. */
  rules: StoredSqlRule[];
}

/** Built-in rules every instance has. Their real names are not documented: these are the emulator's. */
const SYSTEM_RULES: readonly (readonly [string, string, (typeof RISK)[number]])[] = [
  ['SQL injection: UNION query', 'UNION SELECT', 'HIGH'],
  ['SQL injection: stacked queries', 'stacked statements', 'HIGH'],
  ['SQL injection: boolean blind', 'always-true condition', 'MEDIUM'],
  ['SQL injection: time blind', 'SLEEP/BENCHMARK/WAITFOR', 'MEDIUM'],
  ['SQL injection: error based', 'error-raising functions', 'MEDIUM'],
  ['SQL injection: comment evasion', 'inline comments', 'LOW'],
];

const OK: HandlerResponse = { status: 200, body: { status: 'SUCCESS' } };
const FAILED: HandlerResponse = { status: 200, body: { status: 'FAILED' } };

const rulesOf = (ctx: KindHandlerContext): StoredSqlRule[] => (ctx.state as SqlRulesState).rules;

function freshId(ctx: KindHandlerContext): string {
  let id = ruleId(ctx.service.ids);
  while (rulesOf(ctx).some((r) => r.id === id)) id = ruleId(ctx.service.ids);
  return id;
}

function ruleById(ctx: KindHandlerContext, req: HandlerRequest): StoredSqlRule {
  const id = checkRuleId(req.params.id ?? '');
  const rule = rulesOf(ctx).find((r) => r.id === id);
  if (!rule) throw badRequest(`SQL rule ${id} not found on instance ${ctx.instance.id}`, DBSS.invalidId);
  return rule;
}

function customOnly(rule: StoredSqlRule, what: string): void {
  if (rule.type === 'SYSTEM') throw badRequest(`system SQL rule ${rule.name} cannot be ${what}; it can only be switched ON or OFF`);
}

/** A required non-empty string field of a body. */
function requiredText(body: Record<string, unknown>, field: string): string {
  const v = body[field];
  if (typeof v !== 'string' || v.trim() === '') throw badRequest(`${field} is required: a non-empty string`);
  return v;
}

/** The body of create and update (RuleAddSqlRequest): all four fields required. */
function ruleContent(raw: Buffer): Pick<StoredSqlRule, 'name' | 'regex' | 'riskLevel' | 'status'> {
  const body = jsonObjectBody(raw);
  return {
    name: requiredText(body, 'rule_name'),
    regex: requiredText(body, 'sql_regex'),
    riskLevel: enumValue('risk_level', body.risk_level, RISK),
    status: enumValue('status', body.status, STATUS),
  };
}

/** A non-negative integer of the list body, or the fallback when absent. */
function bodyInt(body: Record<string, unknown>, field: string, fallback: number, min: number): number {
  const v = body[field];
  if (v === undefined || v === null) return fallback;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) throw badRequest(`invalid ${field} ${JSON.stringify(v)}: must be an integer of at least ${min}`);
  return v;
}

const listRules = (ctx: KindHandlerContext, req: HandlerRequest): HandlerResponse => {
  const body = req.body.length === 0 ? {} : jsonObjectBody(req.body);
  const base = ctx.options.sqlRulePageBase!;
  const page = bodyInt(body, 'page', base === '0' ? 0 : 1, 0);
  const asked = bodyInt(body, 'size', 10, 1);
  const cap = ctx.options.sqlRuleSizeCap!;
  if (cap === '100-refused' && asked > 100) throw badRequest(`invalid size ${asked}: must be at most 100`);
  const size = cap === '3' ? Math.min(asked, 3) : asked;
  const levels = typeof body.risk_levels === 'string' && body.risk_levels !== '' ? body.risk_levels.split(',') : undefined;
  const all = rulesOf(ctx).map((r, i) => ({ r, rank: i + 1 })).filter(({ r }) => levels === undefined || levels.includes(r.riskLevel));
  let index: number | undefined;
  if (base === '0') index = page;
  else if (page >= 1) index = page - 1;
  else if (base === '1') index = 0;
  else if (base === '1-refused') throw badRequest('invalid page 0: pages are numbered from 1');
  const shown = index === undefined ? [] : all.slice(index * size, (index + 1) * size);
  const lower = ctx.options.sqlRuleRiskCase === 'lower';
  const rules = shown.map(({ r, rank }) => ({
    id: r.id,
    name: r.name,
    type: r.type,
    status: r.status,
    risk_level: lower ? r.riskLevel.toLowerCase() : r.riskLevel,
    ...(ctx.options.sqlRuleRank === 'present' ? { rank } : {}),
    feature: r.feature,
    regex: r.regex,
  }));
  return { status: 200, body: { rules, ...(ctx.options.sqlRuleTotal === 'present' ? { total: all.length } : {}) } };
};

const createRule = (ctx: KindHandlerContext, req: HandlerRequest): HandlerResponse => {
  const content = ruleContent(req.body);
  const rules = rulesOf(ctx);
  if (rules.some((r) => r.name === content.name)) return FAILED;
  const rule: StoredSqlRule = { id: freshId(ctx), type: 'CUSTOMIZE', feature: '', ...content };
  if (ctx.options.sqlRuleCreatedRank === 'first') rules.unshift(rule);
  else rules.push(rule);
  return OK;
};

const updateRule = (ctx: KindHandlerContext, req: HandlerRequest): HandlerResponse => {
  const rule = ruleById(ctx, req);
  customOnly(rule, 'edited');
  const content = ruleContent(req.body);
  if (rulesOf(ctx).some((r) => r.name === content.name && r.id !== rule.id)) return FAILED;
  Object.assign(rule, content);
  return OK;
};

const deleteRule = (ctx: KindHandlerContext, req: HandlerRequest): HandlerResponse => {
  const rule = ruleById(ctx, req);
  customOnly(rule, 'deleted');
  const rules = rulesOf(ctx);
  rules.splice(rules.indexOf(rule), 1);
  return OK;
};

const switchRule = (ctx: KindHandlerContext, req: HandlerRequest): HandlerResponse => {
  const body = jsonObjectBody(req.body);
  if (typeof body.id !== 'string') throw badRequest('id is required: one SQL rule id (a string)');
  const rule = ruleById(ctx, { ...req, params: { ...req.params, id: body.id } });
  rule.status = enumValue('status', body.status, STATUS);
  return OK;
};

/** The rules named take the places the rules of `places` hold, in the order named. */
function reorder(rules: StoredSqlRule[], places: readonly StoredSqlRule[], named: readonly StoredSqlRule[]): void {
  const slots = places.map((r) => rules.indexOf(r)).sort((a, b) => a - b);
  slots.forEach((slot, i) => {
    rules[slot] = named[i]!;
  });
}

const rankRules = (ctx: KindHandlerContext, req: HandlerRequest): HandlerResponse => {
  const body = jsonObjectBody(req.body);
  const ids = body.ids;
  if (!Array.isArray(ids) || ids.length === 0 || !ids.every((id): id is string => typeof id === 'string')) throw badRequest('ids is required: a non-empty list of SQL rule ids');
  if (new Set(ids).size !== ids.length) throw badRequest('ids names a rule twice');
  const rules = rulesOf(ctx);
  const named = ids.map((id) => {
    const rule = rules.find((r) => r.id === checkRuleId(id));
    if (!rule) throw badRequest(`SQL rule ${id} not found on instance ${ctx.instance.id}`, DBSS.invalidId);
    return rule;
  });
  const extent = ctx.options.sqlRankList;
  const needed = extent === 'all' ? rules : extent === 'customs' ? rules.filter((r) => r.type === 'CUSTOMIZE') : named;
  const complete = needed.length === named.length && needed.every((r) => named.includes(r));
  if (!complete) return ctx.options.sqlRankIncomplete === 'ignored' ? OK : FAILED;
  reorder(rules, named, named);
  return OK;
};

const V1 = '/v1/{project_id}/audit/{instance_id}/rule';
const V2 = '/v2/{project_id}/audit/{instance_id}/rule';

const routes: readonly KindRoute[] = [
  { operation: 'ListSqlInjectionRulesNew', method: 'POST', path: `${V1}/sqls`, errors: 'flat', write: false, handle: listRules },
  { operation: 'CreateAuditSqlRule', method: 'POST', path: `${V1}/sql`, errors: 'flat', write: true, handle: createRule },
  { operation: 'UpdateAuditSqlRule', method: 'POST', path: `${V1}/sql/{id}`, errors: 'flat', write: true, handle: updateRule },
  { operation: 'DeleteAuditRuleSql', method: 'DELETE', path: `${V1}/sql/{id}`, errors: 'flat', write: true, handle: deleteRule },
  { operation: 'SetAuditSqlRuleSwitch', method: 'POST', path: `${V2}/sql/switch`, errors: 'flat', write: true, handle: switchRule },
  { operation: 'SetSqlRuleRank', method: 'POST', path: `${V2}/sql/rank`, errors: 'flat', write: true, handle: rankRules },
];

/** The emulator part of the `sql-injection-rule` kind. */
export const EMULATED_SQL_INJECTION: EmulatedKind = {
  name: 'sql-injection-rule',
  options: {
    sqlRulePageBase: ['0', '1', '1-empty', '1-refused'],
    sqlRuleSizeCap: ['none', '3', '100-refused'],
    sqlRuleTotal: ['present', 'absent'],
    sqlRuleRank: ['present', 'absent'],
    sqlRankList: ['declared', 'customs', 'all'],
    sqlRankIncomplete: ['failed', 'ignored'],
    sqlRuleCreatedRank: ['last', 'first'],
    sqlRuleRiskCase: ['upper', 'lower'],
  },
  profiles: {
    default: {},
    'instances-list': { sqlRulePageBase: '1-empty', sqlRuleSizeCap: '100-refused' },
    'custom-ranks': { sqlRankList: 'customs' },
    'custom-ranks-negative': { sqlRankList: 'customs', sqlRulePageBase: '1-refused' },
    'custom-ranks-own': { sqlRankList: 'customs', sqlRuleCreatedRank: 'first' },
    'system-pinned': { sqlRankList: 'all', sqlRuleCreatedRank: 'first' },
    // not `gapped`: probe-e2e expects a probed `gapped` region to read as `gapped`, and probe does not learn kind options yet
    'renamed-system-rules': { sqlRulePageBase: '1', sqlRuleSizeCap: '3' },
    terse: { sqlRuleTotal: 'absent', sqlRuleRank: 'absent', sqlRuleRiskCase: 'lower' },
    hostile: {
      sqlRulePageBase: '1',
      sqlRuleSizeCap: '3',
      sqlRuleTotal: 'absent',
      // rank absent would leave no order to check; `terse` covers it
      sqlRuleRank: 'present',
      sqlRankList: 'all',
      sqlRankIncomplete: 'ignored',
      sqlRuleCreatedRank: 'first',
      sqlRuleRiskCase: 'lower',
    },
  },
  initial(service: ServiceContext): SqlRulesState {
    const rules = SYSTEM_RULES.map(([name, feature, riskLevel]): StoredSqlRule => ({ id: ruleId(service.ids), type: 'SYSTEM', name, regex: '', riskLevel, status: 'ON', feature }));
    return { rules };
  },
  routes,
};
