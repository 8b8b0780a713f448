import type { BusiType, Comparison, RiskLevel, SchemaTarget, Switch } from '../domain.js';
import type { ExpandedRule, SetUse } from './expand-rules.js';
import type { DesiredKind, Json, KindValues } from '../kinds/kind.js';
import { KINDS } from '../kinds/registry.js';
import { definedAt, expandRules } from './expand-rules.js';
import type { PolicyDocument } from './policy-document.js';
import type { InstanceEntry, RuleSetEntry } from './policy-entries.js';
import { instanceEntries, ruleSetIndex } from './policy-entries.js';
import { tidyIpEntry } from './ip-entry-text.js';
import type {
  DesiredInstance,
  DesiredRiskRule,
  DesiredSelector,
  DesiredState,
  DesiredSummaryTask,
  DesiredSystemRule,
  RuleSetOrigin,
} from './types.js';

/**
 * A version-1 policy document as it stands after schema validation: snake_case keys as
 * written, defaults filled in by the schema (see schemas/policy.schema.json).
 */
interface DocumentV1 {
  readonly region: string;
  readonly project_id: string;
  readonly summary_tasks?: Readonly<Partial<Record<BusiType, 'on' | 'off'>>>;
}

interface InstanceV1 {
  readonly name?: string;
  readonly id?: string;
  readonly match?: string;
  readonly prune: boolean;
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

/** Where a rule from a rule set was pulled in (and overridden), in the instance entry's document. */
function origin(entry: InstanceEntry, rule: ExpandedRule): { origin?: RuleSetOrigin } {
  if (!rule.via) return {};
  const appliedAt = entry.doc.locate(rule.via.usePath);
  const overriddenAt = rule.overridePath && entry.doc.locate(rule.overridePath, 'key');
  return { origin: { ruleSet: rule.via.set.name, appliedAt, ...(overriddenAt ? { overriddenAt } : {}) } };
}

function riskRule(entry: InstanceEntry, rule: ExpandedRule): DesiredRiskRule {
  const r = rule.data as unknown as RiskRuleV1;
  return {
    name: r.name,
    riskLevel: r.risk_level,
    status: r.status,
    actions: [...r.actions],
    affectRows: { symbol: r.affect_rows.symbol, value: r.affect_rows.value },
    executionTime: { symbol: r.execution_time.symbol, value: r.execution_time.value },
    dbIds: [...r.db_ids],
    clientIps: r.client_ips.map(tidyIpEntry),
    exceptionIps: r.exception_ips.map(tidyIpEntry),
    schemas: r.schemas.map((s) => ({
      ...(s.schema !== undefined && { schema: s.schema }),
      ...(s.table !== undefined && { table: s.table }),
      ...(s.column !== undefined && { column: s.column }),
    })),
    ignoreCase: r.ignore_case,
    source: definedAt(rule),
    ...origin(entry, rule),
  };
}

const systemRule = (entry: InstanceEntry, rule: ExpandedRule): DesiredSystemRule => ({
  name: rule.name,
  status: rule.data['status'] as Switch,
  source: definedAt(rule),
  ...origin(entry, rule),
});

/** The other kinds an entry declares (its rule sets' values first, then its own), by kind name; undefined when none. */
function kindsOf(entry: InstanceEntry, uses: readonly SetUse[], prune: boolean): Record<string, DesiredKind> | undefined {
  const valuesOf = (owner: { readonly doc: InstanceEntry['doc']; readonly path: InstanceEntry['path']; readonly data: Readonly<Record<string, unknown>> }, keys: readonly string[]) =>
    ({
      values: Object.fromEntries(keys.filter((k) => owner.data[k] !== undefined).map((k) => [k, owner.data[k] as Json])),
      at: (path: readonly (string | number)[]) => owner.doc.locate([...owner.path, ...path]),
    }) satisfies KindValues;
  const out: Record<string, DesiredKind> = {};
  for (const kind of KINDS) {
    const values: KindValues[] = [
      ...uses.map((u) => ({ ...valuesOf(u.set, kind.policyKeys), ruleSet: { name: u.set.name, appliedAt: entry.doc.locate(u.usePath) } })),
      valuesOf(entry, kind.policyKeys),
    ].filter((v) => Object.keys(v.values).length > 0);
    const declared = values.length > 0 ? kind.desired(values, prune) : undefined;
    if (declared) out[kind.name] = declared;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** An instance entry (by name or id) or a selector (by match), its rule sets expanded. */
function entryOf(entry: InstanceEntry, sets: ReadonlyMap<string, RuleSetEntry>): DesiredInstance | DesiredSelector {
  const d = entry.doc.data as unknown as DocumentV1;
  const i = entry.data as unknown as InstanceV1;
  const rules = expandRules(entry, sets);
  const kinds = kindsOf(entry, rules.uses, i.prune);
  const common = {
    ...(kinds ? { kinds } : {}),
    region: d.region,
    projectId: d.project_id,
    prune: i.prune,
    systemRules: rules.systemRules.map((r) => systemRule(entry, r)),
    riskRules: rules.riskRules.map((r) => riskRule(entry, r)),
    source: entry.doc.locate(entry.path),
  };
  if (i.match !== undefined) return { ...common, pattern: i.match };
  return { ...common, ref: i.id !== undefined ? { kind: 'id', id: i.id } : { kind: 'name', name: i.name ?? '' } };
}

/**
 * The desired state of schema-valid documents (in file, then document order), in domain form,
 * with rule sets expanded into each entry's rules. Cross-document conflicts are the validator's
 * job; this only translates.
 */
export function buildDesiredState(docs: readonly PolicyDocument[]): DesiredState {
  const sets = ruleSetIndex(docs);
  const instances: DesiredInstance[] = [];
  const selectors: DesiredSelector[] = [];
  for (const entry of instanceEntries(docs)) {
    const built = entryOf(entry, sets);
    if ('pattern' in built) selectors.push(built);
    else instances.push(built);
  }
  const summaryTasks: DesiredSummaryTask[] = [];
  for (const doc of docs) {
    const d = doc.data as unknown as DocumentV1;
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
  return { instances, summaryTasks, selectors };
}
