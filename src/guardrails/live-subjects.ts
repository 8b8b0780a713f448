import type { SourceLocation } from '../domain.js';
import { instanceKey } from '../domain.js';
import type { RuleSummary } from '../api/types.js';
import type { LiveInstance, LiveRuleDetail, LiveState } from '../live/types.js';
import type { DesiredInstance, DesiredState } from '../policy/types.js';
import type { CelData } from './cel-values.js';
import { celNumber, celRecord } from './cel-values.js';
import { KINDS } from '../kinds/registry.js';
import type { KindRegistry } from './kind-variables.js';
import { liveKindVariables } from './kind-variables.js';
import type { GuardrailSubject, SubjectRule } from './subjects.js';
import { objectsOf, placeOf, taskMap } from './subjects.js';

/**
 * The variable `rule` of a live rule: what the list says (name, id, status, rule_type, and
 * risk_level, rank and feature when answered), plus the readable fields of its details when
 * they were read (the plan reads details of declared rules only). exception_ips is never read
 * (the API does not return it). An absent field is absent: guard with `has(rule.client_ips)`.
 */
function liveRuleVars(r: RuleSummary, detail: LiveRuleDetail | undefined): CelData {
  const vars = new Map<string, CelData>([
    ['name', r.name],
    ['id', r.id],
    ['status', r.status],
    ['rule_type', r.ruleType],
  ]);
  const riskLevel = detail?.riskLevel ?? r.riskLevel;
  if (riskLevel !== undefined) vars.set('risk_level', riskLevel);
  if (r.rank !== undefined) vars.set('rank', celNumber(r.rank));
  if (r.feature !== undefined) vars.set('feature', r.feature);
  if (!detail) return vars;
  vars.set('actions', detail.actions);
  vars.set('affect_rows', celRecord({ symbol: detail.affectRows.symbol, value: celNumber(detail.affectRows.value) }));
  vars.set('execution_time', celRecord({ symbol: detail.executionTime.symbol, value: celNumber(detail.executionTime.value) }));
  vars.set('db_ids', detail.dbIds);
  vars.set('client_ips', detail.clientIps);
  vars.set('schemas', detail.schemas as CelData);
  vars.set('ignore_case', detail.ignoreCase);
  return vars;
}

/** Built-in rules (SYSTEM, or another type that is never custom). */
const isSystem = (r: RuleSummary): boolean => r.ruleType === 'SYSTEM' || r.ruleType === 'OTHER';

function subject(l: LiveInstance, declared: DesiredInstance | undefined, tasks: Record<string, CelData>, registry: KindRegistry): GuardrailSubject {
  const at: SourceLocation = declared?.source ?? { file: l.key, line: 0, col: 0 };
  const declaredAt = (name: string, system: boolean): SourceLocation =>
    (system ? declared?.systemRules : declared?.riskRules)?.find((r) => r.name === name)?.source ?? at;
  const rule = (r: RuleSummary, system: boolean): SubjectRule => ({
    name: r.name,
    vars: system ? liveRuleVars(r, undefined) : liveRuleVars(r, l.details[r.id]),
    at: declaredAt(r.name, system),
  });
  const riskRules = l.rules.filter((r) => !isSystem(r)).map((r) => rule(r, false));
  const systemRules = l.rules.filter(isSystem).map((r) => rule(r, true));
  const kinds = liveKindVariables(l.kinds, registry);
  const objects: Record<string, SubjectRule[]> = {};
  for (const [kind, vars] of Object.entries(kinds)) {
    const read = l.kinds?.[kind]?.objects ?? [];
    const declaredAt = (key: string): SourceLocation => {
      const found = declared?.kinds?.[kind]?.objects.find((o) => o.key === key);
      return found ? placeOf(found.source) : at;
    };
    objects[kind] = objectsOf(vars).map((o, i) => ({ name: read[i]?.key ?? '', vars: o, at: declaredAt(read[i]?.key ?? '') }));
  }
  return {
    target: l.key,
    name: l.name,
    region: l.region,
    projectId: l.projectId,
    at,
    instance: celRecord({
      name: l.name,
      id: l.id,
      key: l.key,
      region: l.region,
      project_id: l.projectId,
      selector: declared?.selector ?? '',
      status: l.status,
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

/** The subjects of a live state: every instance read, located at the entry that declares it (the planned desired state). */
export function liveSubjects(live: LiveState, desired: DesiredState, registry: KindRegistry = KINDS): GuardrailSubject[] {
  const declared = new Map(desired.instances.map((d) => [instanceKey(d), d]));
  const tasksOf = (region: string, projectId: string) =>
    taskMap(live.summaryTasks.filter((t) => t.region === region && t.projectId === projectId));
  return live.instances.map((l) => subject(l, declared.get(l.key), tasksOf(l.region, l.projectId), registry));
}
