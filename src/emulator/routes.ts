import { listInstancesLast, listInstancesNew, listInstancesOld } from './handlers/instance-handlers.js';
import { listRulesNew, listRulesOld, showRule } from './handlers/rule-read-handlers.js';
import { createRule, deleteRule, rankRule, switchRules, updateRule } from './handlers/rule-write-handlers.js';
import { showSummaryTask, updateSummaryTask } from './handlers/summary-handlers.js';
import { KIND_ROUTES } from './kind-routes.js';
import type { Handler } from './service-context.js';
import type { ErrorStyle } from './wire-errors.js';

/**
 * The DBSS API surface the emulator serves, one route per documented operation. Operation
 * names are the API reference's page names; they label the request log, the counters and
 * fault injection. The old path families (`/v1/{project_id}/{instance_id}/dbss/audit/...`
 * and `/v1/{project_id}/{instance_id}/audit/...`) answer errors nested in `error{}`; the
 * others answer them flat.
 */
export interface Route {
  /** Operation name, e.g. CreateAuditRiskRule. */
  readonly operation: OperationName;
  /** HTTP method. */
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Path template; `{name}` segments are parameters. */
  readonly path: string;
  /** Error body shape of this path family. */
  readonly errors: ErrorStyle;
  /** True when the operation changes state (persisted after it runs). */
  readonly write: boolean;
  /** The operation. */
  readonly handle: Handler;
}

/** Every operation the emulator serves. */
export const OPERATIONS = [
  'ListAuditInstances',
  'ListAuditInstancesNew',
  'ListAuditInstancesLast',
  'ListAuditRuleRisks',
  'ListAuditRuleRisksNew',
  'ShowAuditRuleRisk',
  'ShowAuditRuleRiskNew',
  'CreateAuditRiskRule',
  'SetRiskOperationPolicy',
  'DeleteAuditRuleRisk',
  'SwitchRiskRule',
  'SwitchRiskRuleNew',
  'SetRiskRuleRank',
  'ShowAuditTaskStatus',
  'UpdateAuditTaskStatus',
] as const;
/** One operation name: a risk-rule, instance or task operation, or one of a kind's (src/kinds). */
export type OperationName = (typeof OPERATIONS)[number] | (string & {});

const RULES_NEW = '/audit/{instance_id}/rule/risk';

/** The route table: every documented path with its method, operation name and error shape. */
export const ROUTES: readonly Route[] = [
  { operation: 'ListAuditInstances', method: 'GET', path: '/v1/{project_id}/dbss/audit/instances', errors: 'nested', write: false, handle: listInstancesOld },
  { operation: 'ListAuditInstancesNew', method: 'GET', path: '/v1/{project_id}/audit/instances', errors: 'flat', write: false, handle: listInstancesNew },
  { operation: 'ListAuditInstancesLast', method: 'GET', path: '/v2/{project_id}/audit/instances', errors: 'flat', write: false, handle: listInstancesLast },
  { operation: 'ListAuditRuleRisks', method: 'GET', path: '/v1/{project_id}/{instance_id}/dbss/audit/rule/risk', errors: 'nested', write: false, handle: listRulesOld },
  { operation: 'ListAuditRuleRisksNew', method: 'GET', path: `/v1/{project_id}${RULES_NEW}`, errors: 'flat', write: false, handle: listRulesNew },
  { operation: 'ShowAuditRuleRisk', method: 'GET', path: '/v1/{project_id}/{instance_id}/dbss/audit/rule/risk/{rule_id}', errors: 'nested', write: false, handle: showRule },
  { operation: 'ShowAuditRuleRiskNew', method: 'GET', path: `/v2/{project_id}${RULES_NEW}/{rule_id}`, errors: 'flat', write: false, handle: showRule },
  { operation: 'CreateAuditRiskRule', method: 'POST', path: `/v1/{project_id}${RULES_NEW}`, errors: 'flat', write: true, handle: createRule },
  { operation: 'SetRiskOperationPolicy', method: 'PUT', path: `/v2/{project_id}${RULES_NEW}/{rule_id}`, errors: 'flat', write: true, handle: updateRule },
  { operation: 'DeleteAuditRuleRisk', method: 'DELETE', path: `/v1/{project_id}${RULES_NEW}/{rule_id}`, errors: 'flat', write: true, handle: deleteRule },
  { operation: 'SwitchRiskRule', method: 'POST', path: '/v1/{project_id}/{instance_id}/audit/rule/risk/switch', errors: 'nested', write: true, handle: switchRules },
  { operation: 'SwitchRiskRuleNew', method: 'POST', path: `/v2/{project_id}${RULES_NEW}/switch`, errors: 'flat', write: true, handle: switchRules },
  { operation: 'SetRiskRuleRank', method: 'POST', path: `/v2/{project_id}${RULES_NEW}/rank`, errors: 'flat', write: true, handle: rankRule },
  { operation: 'ShowAuditTaskStatus', method: 'GET', path: '/v3/{project_id}/audit/summary/{busi_type}/task-status', errors: 'flat', write: false, handle: showSummaryTask },
  { operation: 'UpdateAuditTaskStatus', method: 'POST', path: '/v1/{project_id}/audit/summary/{busi_type}/task-status', errors: 'flat', write: true, handle: updateSummaryTask },
  ...KIND_ROUTES,
];

const COMPILED = ROUTES.map((route) => ({ route, segments: route.path.split('/').slice(1) }));

/** A matched route with its decoded path parameters. */
export interface RouteMatch {
  /** The route. */
  readonly route: Route;
  /** Path parameters by name. */
  readonly params: Record<string, string>;
}

/**
 * Finds the route of a method and raw pathname. Literal segments win over parameters, so
 * `/v2/.../rule/risk/switch` is the switch, not a rule whose id is "switch". Unknown paths
 * and methods match nothing (the gateway answers 404 APIG.0101).
 */
export function matchRoute(method: string, pathname: string): RouteMatch | undefined {
  let segments: string[];
  try {
    segments = pathname.split('/').slice(1).map((s) => decodeURIComponent(s));
  } catch {
    return undefined;
  }
  let best: { match: RouteMatch; literals: number } | undefined;
  for (const { route, segments: pattern } of COMPILED) {
    if (route.method !== method || pattern.length !== segments.length) continue;
    const params: Record<string, string> = {};
    let literals = 0;
    const ok = pattern.every((p, i) => {
      const actual = segments[i] ?? '';
      if (p.startsWith('{')) {
        params[p.slice(1, -1)] = actual;
        return actual !== '';
      }
      literals++;
      return p === actual;
    });
    if (ok && (!best || literals > best.literals)) best = { match: { route, params }, literals };
  }
  return best?.match;
}
