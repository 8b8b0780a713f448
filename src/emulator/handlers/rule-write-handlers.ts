import { ruleId } from '../prng.js';
import { removeRule } from '../rule-order.js';
import { insertCreated, moveRanked } from '../rule-numbering.js';
import type { Handler, ServiceContext } from '../service-context.js';
import { activeInstance } from '../service-context.js';
import type { InstanceState, RuleState } from '../types.js';
import { checkRuleId, enumValue, jsonObjectBody } from '../validate-request.js';
import { badRequest, unknownRule } from '../wire-errors.js';
import { parseRuleBody, shownName } from '../wire-rule.js';
import type { RuleContent } from '../wire-rule.js';
import { ruleOf } from './rule-read-handlers.js';
import { hostileRuleId, liesAboutCreate } from '../hostile-answers.js';

/**
 * Writing rules (dbss-api.md §3.5-3.9). Business failures answer HTTP 200 with
 * `{"status":"FAILED"}` as the API does: a rule name already used on the instance (by a custom
 * or a system rule) on create or rename. System rules can only be switched; editing, deleting
 * or re-ranking one is a 400 DBSS error (the real error is unconfirmed).
 */

const SUCCESS = { status: 200, body: { status: 'SUCCESS' } } as const;
const FAILED = { status: 200, body: { status: 'FAILED' } } as const;

/** A name already used on the instance; a profile that accepts duplicate names never finds one (unconfirmed point). */
function nameTaken(ctx: ServiceContext, instance: InstanceState, name: string, exceptId?: string): boolean {
  if (ctx.profile.duplicateName === 'accepted') return false;
  return instance.rules.some((r) => shownName(r, ctx.profile) === name && r.id !== exceptId);
}

function refuseSystem(ctx: ServiceContext, rule: RuleState, what: string): void {
  if (rule.ruleType === 'SYSTEM') throw badRequest(`system rule ${shownName(rule, ctx.profile)} cannot be ${what}; it can only be switched ON or OFF`);
}

function freshId(ctx: ServiceContext, instance: InstanceState): string {
  let id = ruleId(ctx.ids);
  while (instance.rules.some((r) => r.id === id)) id = ruleId(ctx.ids);
  return ctx.hostile.ruleIds ? hostileRuleId(id, instance) : id;
}

const OPTIONAL_LISTS = [
  ['action', 'action'],
  ['client_ips', 'clientIps'],
  ['db_ids', 'dbIds'],
  ['exception_ips', 'exceptionIps'],
] as const;

/**
 * The profile's reading of `""` in the optional comma-joined fields (unconfirmed): a 400 when
 * `rejected`; with `kept`, an update that sends "" or leaves a field out keeps its value.
 */
function emptyWrite(ctx: ServiceContext, body: Record<string, unknown>, content: RuleContent, current?: RuleState): RuleContent {
  const how = ctx.profile.emptyWrite;
  if (how === 'rejected') {
    const empty = OPTIONAL_LISTS.find(([wire]) => body[wire] === '');
    if (empty) throw badRequest(`invalid ${empty[0]}: must not be empty (leave the field out for none)`);
  }
  if (how !== 'kept' || !current) return content;
  const kept = { ...content };
  for (const [wire, field] of OPTIONAL_LISTS) if (body[wire] === '' || body[wire] === undefined || body[wire] === null) kept[field] = current[field];
  return kept;
}

/** POST /v1/{project_id}/audit/{instance_id}/rule/risk: placed as the profile says (default: last), ON when the profile ignores `status`; returns no id. */
export const createRule: Handler = (ctx, req) => {
  const instance = activeInstance(ctx, req);
  const body = jsonObjectBody(req.body);
  const content = emptyWrite(ctx, body, parseRuleBody(body));
  if (nameTaken(ctx, instance, content.name)) return FAILED;
  if (liesAboutCreate(ctx.hostile, ctx.lied, instance, content.name)) return SUCCESS;
  const status = ctx.profile.createStatus === 'ignored' ? 'ON' : content.status;
  const id = freshId(ctx, instance);
  insertCreated(instance.rules, ctx.profile, { id, ruleType: 'CUSTOMIZE', ...content, status });
  ctx.listLag.created(id, ctx.now());
  return SUCCESS;
};

/** PUT /v2/{project_id}/audit/{instance_id}/rule/risk/{id}: full replacement, rank kept. */
export const updateRule: Handler = (ctx, req) => {
  const { instance, rule } = ruleOf(ctx, req);
  refuseSystem(ctx, rule, 'edited');
  const body = jsonObjectBody(req.body);
  const content = emptyWrite(ctx, body, parseRuleBody(body), rule);
  if (nameTaken(ctx, instance, content.name, rule.id)) return FAILED;
  Object.assign(rule, content);
  return SUCCESS;
};

/** DELETE /v1/{project_id}/audit/{instance_id}/rule/risk/{id}: the later rules move up. */
export const deleteRule: Handler = (ctx, req) => {
  const { instance, rule } = ruleOf(ctx, req);
  refuseSystem(ctx, rule, 'deleted');
  removeRule(instance.rules, rule.id);
  return SUCCESS;
};

/**
 * POST .../rule/risk/switch (v1 old path and v2): `ids` comma-joined. All or nothing: one
 * unknown id fails the call with a 400 and switches none.
 */
export const switchRules: Handler = (ctx, req) => {
  const instance = activeInstance(ctx, req);
  const body = jsonObjectBody(req.body);
  if (typeof body.ids !== 'string' || body.ids.trim() === '') throw badRequest('ids is required: a comma-separated string of rule ids');
  const status = enumValue('status', body.status, ['ON', 'OFF'] as const);
  const ids = [...new Set(body.ids.split(',').map((id) => (ctx.hostile.ruleIds ? id.trim() : checkRuleId(id.trim()))))];
  // A lenient backend (hostile ruleIds) switches whatever part names a rule and ignores the rest.
  const named = ctx.hostile.ruleIds ? ids.filter((id) => instance.rules.some((r) => r.id === id)) : ids;
  const rules = named.map((id) => {
    const rule = instance.rules.find((r) => r.id === id);
    if (!rule) throw unknownRule(`rule ${id} not found on instance ${instance.id}`, ctx.profile.unknownId);
    return rule;
  });
  for (const rule of rules) rule.status = status;
  return SUCCESS;
};

/** POST /v2/{project_id}/audit/{instance_id}/rule/risk/rank: see rule-numbering.ts and ApiProfile. */
export const rankRule: Handler = (ctx, req) => {
  const instance = activeInstance(ctx, req);
  const body = jsonObjectBody(req.body);
  if (typeof body.id !== 'string') throw badRequest('id is required');
  const id = ctx.hostile.ruleIds ? body.id : checkRuleId(body.id);
  const newRank = body.new_rank;
  if (typeof newRank !== 'number' || !Number.isInteger(newRank) || newRank < 1) {
    throw badRequest(`invalid new_rank ${JSON.stringify(newRank) ?? 'nothing'}: must be an integer starting at 1`);
  }
  const rule = instance.rules.find((r) => r.id === id);
  if (!rule) throw unknownRule(`rule ${id} not found on instance ${instance.id}`, ctx.profile.unknownId);
  refuseSystem(ctx, rule, 're-ranked');
  moveRanked(instance.rules, ctx.profile, id, newRank);
  return { status: 200, body: { result: 'success' } };
};
