import type { Comparison, RiskLevel } from '../src/domain.js';
import type { EmulatorState } from '../src/emulator/index.js';
import type { LiveInstance, LiveRuleDetail, LiveState } from '../src/live/types.js';
import type { DesiredState } from '../src/policy/types.js';
import { instanceKey } from '../src/domain.js';
import { policyRuleOf } from './policy-tree.js';
import type { PolicyProject, PolicyRule } from './policy-tree.js';

/**
 * The planner's two inputs built in memory, without files or HTTP: the live state as the reader
 * would produce it from an estate, and the desired state as the loader would build it from a
 * policy. Used to time computePlan alone.
 */

const at = (file: string, line: number) => ({ file, line, col: 1 });

function spec(r: PolicyRule) {
  return {
    name: r.name,
    riskLevel: r.risk_level as RiskLevel,
    status: r.status,
    actions: [...r.actions],
    affectRows: { symbol: r.affect_rows.symbol as Comparison, value: r.affect_rows.value },
    executionTime: { symbol: r.execution_time.symbol as Comparison, value: r.execution_time.value },
    dbIds: [...r.db_ids],
    clientIps: [...r.client_ips],
    exceptionIps: [...r.exception_ips],
    schemas: r.schemas.map((s) => ({ ...s })),
    ignoreCase: r.ignore_case,
  };
}

/** The desired state of a policy (what loadPolicies would build from it, with made-up source lines). */
export function desiredStateOf(projects: readonly PolicyProject[]): DesiredState {
  return {
    instances: projects.flatMap((p) =>
      p.instances.map((inst) => {
        const file = `${p.project_id}/${inst.name}.yaml`;
        return {
          region: p.region,
          projectId: p.project_id,
          ref: { kind: 'name' as const, name: inst.name },
          prune: inst.prune,
          systemRules: Object.entries(inst.system_rules).map(([name, status], i) => ({ name, status, source: at(file, 10 + i) })),
          riskRules: inst.risk_rules.map((r, i) => ({ ...spec(r), source: at(file, 20 + i * 12) })),
          source: at(file, 5),
        };
      }),
    ),
    summaryTasks: [],
  };
}

/** The live state of an estate as readLiveState would return it for `desired` (details of declared rules only). */
export function liveStateOf(state: EmulatorState, desired: DesiredState): LiveState {
  const instances: LiveInstance[] = [];
  for (const d of desired.instances) {
    const project = state.projects[d.projectId];
    const inst = project?.instances.find((i) => d.ref.kind === 'name' && i.name === d.ref.name);
    if (!project || !inst) continue;
    const declared = new Set(d.riskRules.map((r) => r.name));
    const details: Record<string, LiveRuleDetail> = {};
    inst.rules.forEach((r, i) => {
      if (r.ruleType !== 'CUSTOMIZE' || !declared.has(r.name)) return;
      const { exceptionIps: _writeOnly, ...readable } = spec(policyRuleOf(r));
      details[r.id] = { ...readable, id: r.id, rank: i + 1 };
    });
    instances.push({
      key: instanceKey(d),
      region: d.region,
      projectId: d.projectId,
      id: inst.id,
      name: inst.name,
      status: inst.status,
      rules: inst.rules.map((r, i) => ({ id: r.id, name: r.name, ruleType: r.ruleType, status: r.status, rank: i + 1, riskLevel: r.riskLevel })),
      details,
    });
  }
  return { instances, summaryTasks: [], errors: [] };
}
