import { instanceKey, selectorKey } from '../domain.js';
import type { DesiredInstance, DesiredRiskRule, DesiredSelector, DesiredState, DesiredSystemRule } from '../policy/types.js';
import type { CelData } from './cel-values.js';
import { celNumber, celRecord } from './cel-values.js';
import { KINDS } from '../kinds/registry.js';
import type { KindRegistry } from './kind-variables.js';
import { desiredKindVariables } from './kind-variables.js';
import type { GuardrailSubject, SubjectRule } from './subjects.js';
import { objectsOf, placeOf, taskMap } from './subjects.js';

/** The variable `rule` of a declared risk rule (policy field names, defaults filled in). */
export function desiredRiskRuleVars(r: DesiredRiskRule): CelData {
  // Lists and schema targets are the declaration's own (read-only data, never changed here).
  return new Map<string, CelData>([
    ['name', r.name],
    ['risk_level', r.riskLevel],
    ['status', r.status],
    ['actions', r.actions],
    ['affect_rows', celRecord({ symbol: r.affectRows.symbol, value: celNumber(r.affectRows.value) })],
    ['execution_time', celRecord({ symbol: r.executionTime.symbol, value: celNumber(r.executionTime.value) })],
    ['db_ids', r.dbIds],
    ['client_ips', r.clientIps],
    ['exception_ips', r.exceptionIps],
    ['schemas', r.schemas as CelData],
    ['ignore_case', r.ignoreCase],
    ['rule_set', r.origin?.ruleSet ?? ''],
  ]);
}

const systemRuleVars = (r: DesiredSystemRule): CelData => celRecord({ name: r.name, status: r.status, rule_set: r.origin?.ruleSet ?? '' });

/** One declared instance, or a selector taken as an instance named by its glob. */
function subject(d: DesiredInstance | DesiredSelector, tasks: Record<string, CelData>, registry: KindRegistry): GuardrailSubject {
  const selector = 'pattern' in d ? d.pattern : d.selector;
  const name = 'pattern' in d ? d.pattern : d.ref.kind === 'name' ? d.ref.name : '';
  const id = 'pattern' in d || d.ref.kind === 'name' ? '' : d.ref.id;
  const target = 'pattern' in d ? selectorKey(d) : instanceKey(d);
  const riskRules: SubjectRule[] = d.riskRules.map((r) => ({ name: r.name, vars: desiredRiskRuleVars(r), at: r.source }));
  const systemRules: SubjectRule[] = d.systemRules.map((r) => ({ name: r.name, vars: systemRuleVars(r), at: r.source }));
  const kinds = desiredKindVariables(d.kinds, registry);
  const objects: Record<string, SubjectRule[]> = {};
  for (const [kind, vars] of Object.entries(kinds)) {
    const declared = d.kinds?.[kind]?.objects ?? [];
    objects[kind] = objectsOf(vars).map((o, i) => ({ name: declared[i]?.key ?? '', vars: o, at: declared[i] ? placeOf(declared[i].source) : d.source }));
  }
  return {
    target,
    name,
    region: d.region,
    projectId: d.projectId,
    at: d.source,
    instance: celRecord({
      name,
      id,
      key: target,
      region: d.region,
      project_id: d.projectId,
      selector: selector ?? '',
      prune: d.prune,
      risk_rules: riskRules.map((r) => r.vars),
      system_rules: systemRules.map((r) => r.vars),
      summary_tasks: tasks,
      kinds,
    }),
    riskRules,
    systemRules,
    objects,
  };
}

/**
 * The subjects of a desired state: every instance (those a selector found in the live lists
 * included, when the state is the planned one) and, with `selectors`, every selector entry as
 * itself (validate: nothing is read, so a selector stands for the instances it will match).
 */
export function desiredSubjects(desired: DesiredState, opts: { selectors: boolean; registry?: KindRegistry }): GuardrailSubject[] {
  const tasksOf = (region: string, projectId: string) =>
    taskMap(desired.summaryTasks.filter((t) => t.region === region && t.projectId === projectId));
  const entries: (DesiredInstance | DesiredSelector)[] = [...desired.instances, ...(opts.selectors ? (desired.selectors ?? []) : [])];
  return entries.map((d) => subject(d, tasksOf(d.region, d.projectId), opts.registry ?? KINDS));
}
