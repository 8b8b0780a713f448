import type { BusiType, Comparison, RiskLevel, SchemaTarget, Switch } from '../domain.js';
import type { PathSegment, PolicyDocument } from './policy-document.js';
import type { DesiredInstance, DesiredRiskRule, DesiredState, DesiredSummaryTask, DesiredSystemRule } from './types.js';

/**
 * A version-1 policy document as it stands after schema validation: snake_case keys as
 * written, defaults filled in by the schema (see schemas/policy.schema.json).
 */
interface DocumentV1 {
  readonly region: string;
  readonly project_id: string;
  readonly summary_tasks?: Readonly<Partial<Record<BusiType, 'on' | 'off'>>>;
  readonly instances?: readonly InstanceV1[];
}

interface InstanceV1 {
  readonly name?: string;
  readonly id?: string;
  readonly prune: boolean;
  readonly system_rules?: Readonly<Record<string, Switch>>;
  readonly risk_rules?: readonly RiskRuleV1[];
}

interface ThresholdV1 {
  readonly symbol: Comparison;
  readonly value: number;
}

interface RiskRuleV1 {
  readonly name: string;
  readonly risk_level: RiskLevel;
  readonly status: Switch;
  readonly actions: readonly string[];
  readonly affect_rows: ThresholdV1;
  readonly execution_time: ThresholdV1;
  readonly db_ids: readonly string[];
  readonly client_ips: readonly string[];
  readonly exception_ips: readonly string[];
  readonly schemas: readonly SchemaTarget[];
  readonly ignore_case: boolean;
}

function riskRule(doc: PolicyDocument, path: readonly PathSegment[], r: RiskRuleV1): DesiredRiskRule {
  return {
    name: r.name,
    riskLevel: r.risk_level,
    status: r.status,
    actions: [...r.actions],
    affectRows: { symbol: r.affect_rows.symbol, value: r.affect_rows.value },
    executionTime: { symbol: r.execution_time.symbol, value: r.execution_time.value },
    dbIds: [...r.db_ids],
    clientIps: r.client_ips.map((ip) => ip.trim()),
    exceptionIps: r.exception_ips.map((ip) => ip.trim()),
    schemas: r.schemas.map((s) => ({
      ...(s.schema !== undefined && { schema: s.schema }),
      ...(s.table !== undefined && { table: s.table }),
      ...(s.column !== undefined && { column: s.column }),
    })),
    ignoreCase: r.ignore_case,
    source: doc.locate(path),
  };
}

function instance(doc: PolicyDocument, d: DocumentV1, index: number, i: InstanceV1): DesiredInstance {
  const path = ['instances', index];
  const systemRules = Object.entries(i.system_rules ?? {}).map(
    ([name, status]): DesiredSystemRule => ({ name, status, source: doc.locate([...path, 'system_rules', name], 'key') }),
  );
  return {
    region: d.region,
    projectId: d.project_id,
    ref: i.id !== undefined ? { kind: 'id', id: i.id } : { kind: 'name', name: i.name ?? '' },
    prune: i.prune,
    systemRules,
    riskRules: (i.risk_rules ?? []).map((r, n) => riskRule(doc, [...path, 'risk_rules', n], r)),
    source: doc.locate(path),
  };
}

/**
 * The desired state of schema-valid documents (in file, then document order), in domain form.
 * Cross-document conflicts are the validator's job; this only translates.
 */
export function buildDesiredState(docs: readonly PolicyDocument[]): DesiredState {
  const instances: DesiredInstance[] = [];
  const summaryTasks: DesiredSummaryTask[] = [];
  for (const doc of docs) {
    const d = doc.data as unknown as DocumentV1;
    instances.push(...(d.instances ?? []).map((i, n) => instance(doc, d, n, i)));
    for (const [busiType, code] of Object.entries(d.summary_tasks ?? {})) {
      summaryTasks.push({
        region: d.region,
        projectId: d.project_id,
        busiType: busiType as BusiType,
        enabled: code === 'on',
        source: doc.locate(['summary_tasks', busiType]),
      });
    }
  }
  return { instances, summaryTasks };
}
