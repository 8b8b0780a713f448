import { RISK_LEVELS } from '../../domain.js';
import type { Handler, HandlerRequest, ServiceContext } from '../service-context.js';
import { activeInstance } from '../service-context.js';
import type { InstanceState, RuleState } from '../types.js';
import { checkRuleId, enumValue, page, paging } from '../validate-request.js';
import { badRequest, DBSS } from '../wire-errors.js';
import { listItem, showBody } from '../wire-rule.js';

/**
 * Reading rules (dbss-api.md §3.2-3.4): the lists, in rank order, with a fuzzy `name` filter
 * (case-insensitive substring) and a `risk_levels` filter (one enum value); `total` and
 * `customize_total` count the filtered rules. The old list has no paging.
 */

function filtered(instance: InstanceState, query: URLSearchParams): { rule: RuleState; rank: number }[] {
  const name = query.get('name')?.toLowerCase();
  const level = query.has('risk_levels') ? enumValue('risk_levels', query.get('risk_levels'), RISK_LEVELS) : undefined;
  const classify = query.get('support_db_classify_rule');
  if (classify !== null && classify !== 'true' && classify !== 'false') {
    throw badRequest(`invalid support_db_classify_rule "${classify.slice(0, 20)}": must be true or false`);
  }
  return instance.rules
    .map((rule, index) => ({ rule, rank: index + 1 }))
    .filter(({ rule }) => (name ? rule.name.toLowerCase().includes(name) : true))
    .filter(({ rule }) => (level ? rule.riskLevel === level : true));
}

function listBody(matches: { rule: RuleState; rank: number }[], shown: { rule: RuleState; rank: number }[]) {
  return {
    rules: shown.map(({ rule, rank }) => listItem(rule, rank)),
    total: matches.length,
    customize_total: matches.filter(({ rule }) => rule.ruleType === 'CUSTOMIZE').length,
  };
}

/** GET /v1/{project_id}/audit/{instance_id}/rule/risk: paged, limit 1-1000 (default 100). */
export const listRulesNew: Handler = (ctx, req) => {
  const instance = activeInstance(ctx, req);
  const p = paging(req.query, 1000);
  const matches = filtered(instance, req.query);
  return { status: 200, body: listBody(matches, page(matches, p)) };
};

/** GET /v1/{project_id}/{instance_id}/dbss/audit/rule/risk: every matching rule, no paging. */
export const listRulesOld: Handler = (ctx, req) => {
  const matches = filtered(activeInstance(ctx, req), req.query);
  return { status: 200, body: listBody(matches, matches) };
};

/** The rule a path's id names, with its rank; unknown ids are a 400 (real code unconfirmed). */
export function ruleOf(ctx: ServiceContext, req: HandlerRequest, instance = activeInstance(ctx, req)) {
  const id = checkRuleId(req.params.rule_id ?? '');
  const index = instance.rules.findIndex((r) => r.id === id);
  const rule = instance.rules[index];
  if (!rule) throw badRequest(`rule ${id} not found on instance ${instance.id}`, DBSS.invalidId);
  return { instance, rule, rank: index + 1 };
}

/** GET /v2/{project_id}/audit/{instance_id}/rule/risk/{id} and the old v1 show. */
export const showRule: Handler = (ctx, req) => {
  const { rule, rank } = ruleOf(ctx, req);
  return { status: 200, body: showBody(rule, rank) };
};
