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
import { collectPages } from './paging.js';
import { RequestRateLimiter } from './rate-limiter.js';
import { CallStats } from './stats.js';
import type { AuditInstance, DbssClient, RuleList } from './types.js';
import { instancesPage, ruleDetail, ruleRequestBody, rulesPage, summaryTask, type Page } from './wire.js';

const INSTANCES = '/v1/{project_id}/audit/instances';
const RULES = '/v1/{project_id}/audit/{instance_id}/rule/risk';
const RULE_V1 = '/v1/{project_id}/audit/{instance_id}/rule/risk/{id}';
const RULE_V2 = '/v2/{project_id}/audit/{instance_id}/rule/risk/{id}';
const TASK_V1 = '/v1/{project_id}/audit/summary/{busi_type}/task-status';
const TASK_V3 = '/v3/{project_id}/audit/summary/{busi_type}/task-status';

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
  const run = createCallRunner({
    endpoint,
    credentials: o.credentials,
    transport,
    limiter: new RequestRateLimiter(o.rateLimit, clock, o.learnRateLimit),
    concurrency: pLimit(o.concurrency),
    stats,
    emit,
    maxAttempts: o.maxAttempts,
    timeoutMs: o.timeoutMs,
    backoff: o.backoff,
    clock,
  });

  async function op<T>(operation: string, body: () => Promise<T>): Promise<T> {
    try {
      return await body();
    } finally {
      stats.operationDone(operation);
    }
  }

  const rulePath = (projectId: string, instanceId: string, id?: string): Record<string, string> => ({
    project_id: projectId,
    instance_id: instanceId,
    ...(id === undefined ? {} : { id }),
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
    const fixed = { pathTemplate: RULES, pathParams: rulePath(projectId, instanceId), contentType: JSON_TYPE, projectId };
    let customizeTotal: number | undefined;
    const page: Decode<Page<RuleList[number]>> = (answer, fail) => {
      const p = rulesPage(answer, fail);
      customizeTotal ??= p.customizeTotal;
      return p;
    };
    const rules = await pagedList('listRules', fixed, filter.name ? [['name', filter.name]] : [], page);
    return customizeTotal === undefined ? rules : Object.assign(rules, { customizeTotal });
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
          { operation: 'showRule', method: 'GET', pathTemplate: RULE_V2, pathParams: rulePath(projectId, instanceId, ruleId), contentType: JSON_TYPE, projectId, expect: 'json' },
          (answer, fail) => ruleDetail(answer, ruleId, fail),
        ),
      ),

    // The create answer carries no id. A 429 or a refused connection never reached the backend
    // and is resent; after an ambiguous failure (5xx, reset, timeout) the rules are listed by
    // name, and the create is resent only when no rule has exactly that name.
    createRule: (projectId, instanceId, spec: RiskRuleSpec) =>
      op('createRule', () =>
        run(
          { operation: 'createRule', method: 'POST', pathTemplate: RULES, pathParams: rulePath(projectId, instanceId), body: ruleRequestBody(spec), contentType: JSON_TYPE, projectId, expect: 'write-status' },
          ignoreAnswer,
          { wasApplied: async () => (await listRules(projectId, instanceId, { name: spec.name })).some((r) => r.name === spec.name) },
        ),
      ),

    updateRule: (projectId, instanceId, ruleId, spec) => write('updateRule', 'PUT', RULE_V2, rulePath(projectId, instanceId, ruleId), projectId, ruleRequestBody(spec)),

    deleteRule: (projectId, instanceId, ruleId) => write('deleteRule', 'DELETE', RULE_V1, rulePath(projectId, instanceId, ruleId), projectId, undefined),

    switchRules: async (projectId, instanceId, ruleIds, status: Switch) => {
      if (ruleIds.length === 0) return;
      await write('switchRules', 'POST', '/v2/{project_id}/audit/{instance_id}/rule/risk/switch', rulePath(projectId, instanceId), projectId, { ids: ruleIds.join(','), status }, JSON_UTF8_TYPE);
    },

    setRank: async (projectId, instanceId, ruleId, newRank) => {
      if (!Number.isSafeInteger(newRank) || newRank < 1) throw new RangeError(`setRank: rank must be a positive integer, got ${newRank}`);
      await write('setRank', 'POST', '/v2/{project_id}/audit/{instance_id}/rule/risk/rank', rulePath(projectId, instanceId), projectId, { id: ruleId, new_rank: newRank });
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

    stats: () => stats.snapshot(),

    close: () => transport.close(),
  };
}
