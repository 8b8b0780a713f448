import type { RuleSummary } from '../../src/api/types.js';
import type { LiveRuleDetail as RuleDetail } from '../../src/live/types.js';
import type { ReadableRuleSpec, SourceLocation } from '../../src/domain.js';
import { instanceKey, SYSTEM_RULE_NAMES } from '../../src/domain.js';
import type { LiveInstance, LiveState, LiveSummaryTask } from '../../src/live/types.js';
import type { DesiredInstance, DesiredRiskRule, DesiredState, DesiredSummaryTask } from '../../src/policy/types.js';

/** Small builders of desired and live state for planner and renderer tests. */

export const P1 = '0f1e2d3c4b5a69788796a5b4c3d2e1f0';
export const REGION = 'cn-north-4';
export const FILE = 'policies/payments/cn-north-4.yaml';

export const at = (line: number, file = FILE): SourceLocation => ({ file, line, col: 5 });

/** A declared rule: HIGH, ON, SELECT, thresholds GREATER_EQUAL 0, nothing else. */
export function rule(name: string, over: Partial<DesiredRiskRule> = {}): DesiredRiskRule {
  return {
    name,
    riskLevel: 'HIGH',
    status: 'ON',
    actions: ['SELECT'],
    affectRows: { symbol: 'GREATER_EQUAL', value: 0 },
    executionTime: { symbol: 'GREATER_EQUAL', value: 0 },
    dbIds: [],
    clientIps: [],
    exceptionIps: [],
    schemas: [],
    ignoreCase: false,
    source: at(10),
    ...over,
  };
}

/** A declared instance (by name unless `id` is given). */
export function instance(
  name: string,
  over: Partial<Omit<DesiredInstance, 'ref'>> & { id?: string } = {},
): DesiredInstance {
  const { id, ...rest } = over;
  return {
    region: REGION,
    projectId: P1,
    ref: id ? { kind: 'id', id } : { kind: 'name', name },
    prune: false,
    systemRules: [],
    riskRules: [],
    source: at(1),
    ...rest,
  };
}

export function task(busiType: 'risk' | 'audit', enabled: boolean, over: Partial<DesiredSummaryTask> = {}): DesiredSummaryTask {
  return { region: REGION, projectId: P1, busiType, enabled, source: at(40), ...over };
}

export function desired(instances: DesiredInstance[], summaryTasks: DesiredSummaryTask[] = []): DesiredState {
  return { instances, summaryTasks };
}

/** A live custom rule: readable content plus its id (rank is given by position). */
export interface LiveCustom extends Partial<ReadableRuleSpec> {
  readonly id: string;
  readonly name: string;
}

/**
 * A live instance answering `d`: the four system rules (ranks 1-4, ON unless listed in
 * `systemOff`), then the custom rules in the given order, each with its detail.
 */
export function live(
  d: DesiredInstance,
  customs: LiveCustom[] = [],
  opts: { systemOff?: string[]; name?: string; id?: string; status?: string; withoutDetail?: string[] } = {},
): LiveInstance {
  const rules: RuleSummary[] = SYSTEM_RULE_NAMES.map((name, i) => ({
    id: `sys${i + 1}-${name.slice(0, 8)}`,
    name,
    ruleType: 'SYSTEM',
    status: (opts.systemOff ?? []).includes(name) ? 'OFF' : 'ON',
    rank: i + 1,
    riskLevel: 'HIGH',
  }));
  const details: Record<string, RuleDetail> = {};
  customs.forEach((c, i) => {
    const { id, ...spec } = c;
    const { source: _s, exceptionIps: _e, ...readable } = rule(c.name);
    const detail: RuleDetail = { ...readable, ...spec, id, rank: 5 + i };
    rules.push({ id, name: c.name, ruleType: 'CUSTOMIZE', status: detail.status, rank: 5 + i, ...(detail.riskLevel ? { riskLevel: detail.riskLevel } : {}) });
    if (!(opts.withoutDetail ?? []).includes(c.name)) details[id] = detail;
  });
  return {
    key: instanceKey(d),
    region: d.region,
    projectId: d.projectId,
    id: opts.id ?? `inst-${d.ref.kind === 'name' ? d.ref.name : d.ref.id}`,
    name: opts.name ?? (d.ref.kind === 'name' ? d.ref.name : 'by-id'),
    status: opts.status ?? 'ACTIVE',
    rules,
    details,
  };
}

export function liveState(
  instances: LiveInstance[],
  summaryTasks: LiveSummaryTask[] = [],
  errors: LiveState['errors'] = [],
): LiveState {
  return { instances, summaryTasks, errors };
}

export function liveTask(busiType: 'risk' | 'audit', enabled: boolean): LiveSummaryTask {
  return { region: REGION, projectId: P1, busiType, enabled };
}
