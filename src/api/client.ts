import pLimit from 'p-limit';
import type { BusiType, RiskRuleSpec, Switch } from '../domain.js';
import { JSON_TYPE, JSON_UTF8_TYPE, type ApiCall } from './api-call.js';
import { callSite, createCallRunner, type Decode } from './call-runner.js';
import { resolveClientOptions, type ClientEvent, type ClientOptions } from './client-options.js';
import { systemClock } from './clock.js';
import { resolveEndpoint } from './endpoint.js';
import { DbssApiError } from './errors.js';
import { createTransport } from './http.js';
import { InconsistentListing } from './list-consistency.js';
import { idProblem, unusableIdMessage } from './usable-id.js';
import { DbssPolicyError } from '../errors.js';
import { collectPages } from './paging.js';
import { RequestRateLimiter } from './rate-limiter.js';
import { settledListing } from './settle.js';
import { CallStats } from './stats.js';
import type { AuditInstance, DbssClient, RuleList } from './types.js';
import type { KindCall, KindTarget } from '../kinds/kind.js';
import { instancesPage, ruleDetail, ruleRequestBody, rulesPage, summaryTask, type Page } from './wire.js';

const INSTANCES = '/v1/{project_id}/audit/instances';
const RULES = '/v1/{project_id}/audit/{instance_id}/rule/risk';
const RULE_V1 = '/v1/{project_id}/audit/{instance_id}/rule/risk/{id}';
const RULE_V2 = '/v2/{project_id}/audit/{instance_id}/rule/risk/{id}';
const TASK_V1 = '/v1/{project_id}/audit/summary/{busi_type}/task-status';
const TASK_V3 = '/v3/{project_id}/audit/summary/{busi_type}/task-status';

/** True when a listing has a rule of exactly this name (the list's name filter is fuzzy). */
const named = (rules: RuleList, name: string): boolean => rules.some((r) => r.name === name);

/** The id, or a refusal to send it when it cannot be one path segment or list item (usable-id.ts). */
function usable(operation: string, what: string, id: string): string {
  const problem = idProblem(id);
  if (problem !== undefined) throw new DbssPolicyError('API', `${operation}: ${unusableIdMessage(what, id, problem)}; not sent`);
  return id;
}

/** The ApiCall of a kind's call: project and instance filled in, every path parameter checked as one usable segment. */
function kindCall(target: KindTarget, call: KindCall, expect: ApiCall['expect']): ApiCall {
  const params: Record<string, string> = { project_id: usable(call.operation, 'project', target.projectId), instance_id: usable(call.operation, 'instance', target.instanceId) };
  for (const [name, value] of Object.entries(call.params ?? {})) params[name] = usable(call.operation, name, value);
  return {
    operation: call.operation,
    method: call.method,
    pathTemplate: call.path,
    pathParams: params,
    ...(call.query ? { query: call.query } : {}),
    ...(call.body !== undefined ? { body: call.body } : {}),
    contentType: call.contentType ?? JSON_TYPE,
    projectId: target.projectId,
    expect,
  };
}

/** Writes answer `{status}`/`{result}` (checked by the runner) or nothing. */
const ignoreAnswer: Decode<void> = () => undefined;

/**
 * A DBSS client for one region endpoint. Every request goes through the client's concurrency
 * limit, its shared adaptive rate budget and bounded retries; only creates are never resent
 * blindly (see createRule). Configuration errors (endpoint, option ranges) throw a ConfigError
 * here, before any request.
 */
export function createDbssClient(options: ClientOptions): DbssClient {
  const o = resolveClientOptions(options);
  const endpoint = resolveEndpoint(o.region, o.endpoint);
  const transport = createTransport(endpoint, { timeoutMs: o.timeoutMs, maxBodyBytes: o.maxBodyBytes, connections: o.concurrency });
  const stats = new CallStats();
  const clock = o.clock ?? systemClock;
  const emit = (event: ClientEvent): void => {
    try {
      o.onEvent?.(event);
    } catch {
      // a progress listener's failure must not fail API calls
    }
  };
  const limiter = new RequestRateLimiter(o.rateLimit, clock, o.learnRateLimit);
  const run = createCallRunner({
    endpoint,
    credentials: o.credentials,
    transport,
    limiter,
    concurrency: pLimit(o.concurrency),
    stats,
    emit,
    maxAttempts: o.maxAttempts,
    timeoutMs: o.timeoutMs,
    backoff: o.backoff,
    clock,
    ...(o.cutoff ? { cutoff: o.cutoff } : {}),
  });

  async function op<T>(operation: string, body: () => Promise<T>): Promise<T> {
    try {
      return await body();
    } finally {
      stats.operationDone(operation);
    }
  }

  const rulePath = (operation: string, projectId: string, instanceId: string, id?: string): Record<string, string> => ({
    project_id: usable(operation, 'project', projectId),
    instance_id: usable(operation, 'instance', instanceId),
    ...(id === undefined ? {} : { id: usable(operation, 'rule', id) }),
  });

  /** Every item of a paged GET list (offset/limit), deduplicated by id. */
  function pagedList<T extends { id: string }>(
    operation: string,
    fixed: Omit<ApiCall, 'operation' | 'method' | 'query' | 'expect'>,
    extraQuery: readonly (readonly [string, string])[],
    decodePage: Decode<Page<T>>,
  ): Promise<T[]> {
    const call = (offset: number, limit: number): ApiCall => ({
      ...fixed,
      operation,
      method: 'GET',
      query: [['offset', String(offset)], ['limit', String(limit)], ...extraQuery],
      expect: 'json',
    });
    return op(operation, async () => {
      try {
        return await collectPages((offset, limit) => run(call(offset, limit), decodePage), o.pageSize, (item) => item.id);
      } catch (err) {
        if (!(err instanceof InconsistentListing)) throw err;
        throw new DbssApiError({ ...callSite(endpoint, call(0, 0)), kind: 'bad-response', errorCode: 'INCONSISTENT_LISTING', detail: `inconsistent listing: ${err.message}` });
      }
    });
  }

  async function listRules(projectId: string, instanceId: string, filter: { name?: string } = {}): Promise<RuleList> {
    const fixed = { pathTemplate: RULES, pathParams: rulePath('listRules', projectId, instanceId), contentType: JSON_TYPE, projectId };
    let customizeTotal: number | undefined;
    const page: Decode<Page<RuleList[number]>> = (answer, fail) => {
      const p = rulesPage(answer, fail);
      customizeTotal ??= p.customizeTotal;
      return p;
    };
    const rules = await pagedList('listRules', fixed, filter.name ? [['name', filter.name]] : [], page);
    return customizeTotal === undefined ? rules : Object.assign(rules, { customizeTotal });
  }

  function listRulesSettled(projectId: string, instanceId: string, settled: (rules: RuleList) => boolean, filter: { name?: string } = {}): Promise<RuleList> {
    return settledListing(() => listRules(projectId, instanceId, filter), settled, o.settleMs, clock);
  }

  function write(operation: string, method: ApiCall['method'], pathTemplate: string, pathParams: Record<string, string>, projectId: string, body: unknown, contentType = JSON_TYPE, expect: ApiCall['expect'] = 'write-status'): Promise<void> {
    return op(operation, () => run({ operation, method, pathTemplate, pathParams, body, contentType, projectId, expect }, ignoreAnswer));
  }

  return {
    listInstances: (projectId) =>
      pagedList<AuditInstance>(
        'listInstances',
        { pathTemplate: INSTANCES, pathParams: { project_id: projectId }, contentType: JSON_TYPE, projectId },
        [],
        instancesPage,
      ),

    listRules,

    showRule: (projectId, instanceId, ruleId) =>
      op('showRule', () =>
        run(
          { operation: 'showRule', method: 'GET', pathTemplate: RULE_V2, pathParams: rulePath('showRule', projectId, instanceId, ruleId), contentType: JSON_TYPE, projectId, expect: 'json' },
          (answer, fail) => ruleDetail(answer, ruleId, fail),
        ),
      ),

    listRulesSettled,

    // The create answer carries no id. A 429 or a refused connection never reached the backend
    // and is resent; after an ambiguous failure (5xx, reset, timeout) the rules are listed by
    // name, and the create is resent only when no listing over the settle window (a listing
    // may lag the create) has a rule of exactly that name.
    createRule: (projectId, instanceId, spec: RiskRuleSpec) =>
      op('createRule', () =>
        run(
          { operation: 'createRule', method: 'POST', pathTemplate: RULES, pathParams: rulePath('createRule', projectId, instanceId), body: ruleRequestBody(spec), contentType: JSON_TYPE, projectId, expect: 'write-status' },
          ignoreAnswer,
          { wasApplied: async () => named(await listRulesSettled(projectId, instanceId, (rules) => named(rules, spec.name), { name: spec.name }), spec.name) },
        ),
      ),

    updateRule: async (projectId, instanceId, ruleId, spec) => write('updateRule', 'PUT', RULE_V2, rulePath('updateRule', projectId, instanceId, ruleId), projectId, ruleRequestBody(spec)),

    deleteRule: async (projectId, instanceId, ruleId) => write('deleteRule', 'DELETE', RULE_V1, rulePath('deleteRule', projectId, instanceId, ruleId), projectId, undefined),

    switchRules: async (projectId, instanceId, ruleIds, status: Switch) => {
      if (ruleIds.length === 0) return;
      const ids = ruleIds.map((id) => usable('switchRules', 'rule', id)).join(',');
      await write('switchRules', 'POST', '/v2/{project_id}/audit/{instance_id}/rule/risk/switch', rulePath('switchRules', projectId, instanceId), projectId, { ids, status }, JSON_UTF8_TYPE);
    },

    setRank: async (projectId, instanceId, ruleId, newRank) => {
      if (!Number.isSafeInteger(newRank) || newRank < 1) throw new RangeError(`setRank: rank must be a positive integer, got ${newRank}`);
      await write('setRank', 'POST', '/v2/{project_id}/audit/{instance_id}/rule/risk/rank', rulePath('setRank', projectId, instanceId), projectId, { id: usable('setRank', 'rule', ruleId), new_rank: newRank });
    },

    showSummaryTask: (projectId, busiType: BusiType) =>
      op('showSummaryTask', () =>
        run(
          { operation: 'showSummaryTask', method: 'GET', pathTemplate: TASK_V3, pathParams: { project_id: projectId, busi_type: busiType }, contentType: JSON_TYPE, projectId, expect: 'json' },
          (answer, fail) => summaryTask(answer, busiType, fail),
        ),
      ),

    setSummaryTask: (projectId, busiType, enabled) =>
      write('setSummaryTask', 'POST', TASK_V1, { project_id: projectId, busi_type: busiType }, projectId, { oper_type: 'switch', code: enabled ? 'on' : 'off' }, JSON_TYPE, 'write-empty-or-status'),

    executeSummaryTask: (projectId, busiType) =>
      write('executeSummaryTask', 'POST', TASK_V1, { project_id: projectId, busi_type: busiType }, projectId, { oper_type: 'execute' }, JSON_TYPE, 'write-empty-or-status'),

    kinds: {
      pageSize: o.pageSize,
      read: (target, call) => op(call.operation, () => run(kindCall(target, call, 'json'), (answer) => answer)),
      write: (target, call, wasApplied) =>
        op(call.operation, () => run(kindCall(target, call, 'write-status'), ignoreAnswer, wasApplied ? { wasApplied } : undefined)),
      settle: (read, settled) => settledListing(read, settled, o.settleMs, clock),
    },

    stats: () => ({ ...stats.snapshot(), requestsPerSecond: limiter.requestsPerSecond }),

    close: () => transport.close(),
  };
}
