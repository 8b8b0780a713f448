import { RISK_LEVELS } from '../../domain.js';
import type { Handler, HandlerRequest, ServiceContext } from '../service-context.js';
import { activeInstance } from '../service-context.js';
import { listedRuleType } from '../hostile-answers.js';
import { rankedRules } from '../rule-numbering.js';
import type { InstanceState } from '../types.js';
import { checkRuleId, enumValue, page, paging } from '../validate-request.js';
import { badRequest, unknownRule } from '../wire-errors.js';
import { listItem, showBody, shownName } from '../wire-rule.js';

/**
 * Reading rules (dbss-api.md §3.2-3.4): the lists, in rank order, with a fuzzy `name` filter
 * (case-insensitive substring) and a `risk_levels` filter (one enum value); `total` and
 * `customize_total` count the filtered rules. A rule created within the list lag is not listed
 * yet (list-lag.ts). The old list has no paging.
 */

type Ranked = ReturnType<typeof rankedRules>[number];

function filtered(ctx: ServiceContext, instance: InstanceState, query: URLSearchParams): Ranked[] {
  const name = query.get('name')?.toLowerCase();
  const level = query.has('risk_levels') ? enumValue('risk_levels', query.get('risk_levels'), RISK_LEVELS) : undefined;
  const classify = query.get('support_db_classify_rule');
  if (classify !== null && classify !== 'true' && classify !== 'false') {
    throw badRequest(`invalid support_db_classify_rule "${classify.slice(0, 20)}": must be true or false`);
  }
  const now = ctx.now();
  return rankedRules(instance.rules, ctx.profile)
    .filter(({ rule }) => ctx.listLag.listed(rule.id, now))
    .filter(({ rule }) => (name ? shownName(rule, ctx.profile).toLowerCase().includes(name) : true))
    .filter(({ rule }) => (level ? rule.riskLevel === level : true));
}

function listBody(ctx: ServiceContext, matches: Ranked[], shown: Ranked[]) {
  const item = (rule: Ranked['rule'], rank: number | undefined) => {
    const listed = listItem(rule, rank, ctx.profile);
    return listed.rule_type === undefined ? listed : { ...listed, rule_type: listedRuleType(rule, ctx.hostile) };
  };
  const rules = shown.map(({ rule, rank }) => item(rule, rank));
  if (ctx.profile.listTotal === 'absent') return { rules };
  return {
    rules,
    total: matches.length,
    ...(ctx.hostile.builtInType ? {} : { customize_total: matches.filter(({ rule }) => rule.ruleType === 'CUSTOMIZE').length }),
  };
}

/**
 * GET /v1/{project_id}/audit/{instance_id}/rule/risk: paged, limit 1-1000 (default 100); a
 * profile's pageCap holds each page below the limit asked for, as a capping gateway would.
 */
export const listRulesNew: Handler = (ctx, req) => {
  const instance = activeInstance(ctx, req);
  const asked = paging(req.query, 1000);
  const p = ctx.profile.pageCap > 0 ? { ...asked, limit: Math.min(asked.limit, ctx.profile.pageCap) } : asked;
  const matches = filtered(ctx, instance, req.query);
  return { status: 200, body: listBody(ctx, matches, page(matches, p)) };
};

/** GET /v1/{project_id}/{instance_id}/dbss/audit/rule/risk: every matching rule, no paging. */
export const listRulesOld: Handler = (ctx, req) => {
  const matches = filtered(ctx, activeInstance(ctx, req), req.query);
  return { status: 200, body: listBody(ctx, matches, matches) };
};

/** The rule a path's id names, with its shown rank; an unknown id answers as the profile says (400 or 404; unconfirmed). */
export function ruleOf(ctx: ServiceContext, req: HandlerRequest, instance = activeInstance(ctx, req)) {
  const id = ctx.hostile.ruleIds ? (req.params.rule_id ?? '') : checkRuleId(req.params.rule_id ?? '');
  const found = rankedRules(instance.rules, ctx.profile).find((r) => r.rule.id === id);
  if (!found) throw unknownRule(`rule ${id} not found on instance ${instance.id}`, ctx.profile.unknownId);
  return { instance, rule: found.rule, rank: found.rank };
}

/** GET /v2/{project_id}/audit/{instance_id}/rule/risk/{id} and the old v1 show. */
export const showRule: Handler = (ctx, req) => {
  const { rule, rank } = ruleOf(ctx, req);
  return { status: 200, body: showBody(rule, rank, ctx.profile) };
};
