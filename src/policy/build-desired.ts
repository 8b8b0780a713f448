import type { BusiType, Comparison, RiskLevel, SchemaTarget, Switch } from '../domain.js';
import type { ExpandedRule, SetUse } from './expand-rules.js';
import type { DesiredKind, Json, KindValues } from '../kinds/kind.js';
import { KINDS } from '../kinds/registry.js';
import { definedAt, expandRules } from './expand-rules.js';
import type { PolicyDocument } from './policy-document.js';
import type { InstanceEntry, RuleSetEntry } from './policy-entries.js';
import { instanceEntries, ruleSetIndex } from './policy-entries.js';
import { tidyIpEntry } from './ip-entry-text.js';
import type { DesiredWaiver, ExceptionTerm } from '../governance/types.js';
import type { PathSegment } from './policy-document.js';
import type {
  DesiredInstance,
  DesiredRiskRule,
  DesiredSelector,
  DesiredState,
  DesiredSummaryTask,
  DesiredSystemRule,
  RuleExceptions,
  RuleSetOrigin,
} from './types.js';

/**
 * A version-1 policy document as it stands after schema validation: snake_case keys as
 * written, defaults filled in by the schema (see schemas/policy.schema.json).
 */
interface DocumentV1 {
  readonly region: string;
  readonly project_id: string;
  readonly summary_tasks?: Readonly<Partial<Record<BusiType, 'on' | 'off' | TimedOffV1<'off'>>>>;
  readonly waivers?: readonly WaiverV1[];
}

/** `{ status: OFF, until, reason }` of a system rule or summary task. */
interface TimedOffV1<S extends string> {
  readonly status: S;
  readonly until?: string;
  readonly reason?: string;
}

/** A time-boxed exception IP. */
interface TimedIpV1 {
  readonly ip: string;
  readonly until?: string;
  readonly reason?: string;
}

interface WaiverV1 {
  readonly instance?: string;
  readonly match?: string;
  readonly kind: string;
  readonly object: string;
  readonly field?: string;
  readonly until: string;
  readonly reason: string;
  readonly allow_weakening: boolean;
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
  readonly exception_ips: readonly (string | TimedIpV1)[];
  readonly schemas: readonly SchemaTarget[];
  readonly ignore_case: boolean;
  readonly off_until?: string;
  readonly off_reason?: string;
}

/** The term of an exception that gives until or reason; undefined for a plain one. */
function termOf(value: { readonly until?: string; readonly reason?: string }, source: ExceptionTerm['source']): ExceptionTerm | undefined {
  if (value.until === undefined && value.reason === undefined) return undefined;
  return { ...(value.until !== undefined ? { until: value.until } : {}), ...(value.reason !== undefined ? { reason: value.reason } : {}), source };
}

/** Where a field of an expanded rule is written: in the entry's override when it sets the field, else in the definition. */
function fieldAt(entry: InstanceEntry, rule: ExpandedRule, field: string, rest: readonly PathSegment[] = [], part: 'value' | 'key' = 'value') {
  if (rule.overridePath && hasKey(entry, rule.overridePath, field)) return entry.doc.locate([...rule.overridePath, field, ...rest], part);
  return rule.doc.locate([...rule.path, field, ...rest], part);
}

/** True when the mapping at `path` of the entry's document has `key`. */
function hasKey(entry: InstanceEntry, path: readonly PathSegment[], key: string): boolean {
  let node: unknown = entry.doc.data;
  for (const seg of path) node = (node as Record<string | number, unknown> | undefined)?.[seg];
  return typeof node === 'object' && node !== null && key in node;
}

/** The time-boxed exceptions of a risk rule, or undefined when it has none. */
function ruleExceptions(entry: InstanceEntry, rule: ExpandedRule, r: RiskRuleV1): { exceptions?: RuleExceptions } {
  const ips = r.exception_ips.flatMap((e, i) => {
    if (typeof e === 'string') return [];
    const term = termOf(e, fieldAt(entry, rule, 'exception_ips', [i]));
    return term ? [{ ip: tidyIpEntry(e.ip), term }] : [];
  });
  const offField = r.off_until !== undefined ? 'off_until' : 'off_reason';
  const off = r.status === 'OFF' ? termOf({ until: r.off_until, reason: r.off_reason } as { until?: string; reason?: string }, fieldAt(entry, rule, offField, [], 'key')) : undefined;
  if (ips.length === 0 && !off) return {};
  return { exceptions: { ...(ips.length > 0 ? { exceptionIps: ips } : {}), ...(off ? { off } : {}) } };
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
    exceptionIps: r.exception_ips.map((e) => tidyIpEntry(typeof e === 'string' ? e : e.ip)),
    schemas: r.schemas.map((s) => ({
      ...(s.schema !== undefined && { schema: s.schema }),
      ...(s.table !== undefined && { table: s.table }),
      ...(s.column !== undefined && { column: s.column }),
    })),
    ignoreCase: r.ignore_case,
    source: definedAt(rule),
    ...origin(entry, rule),
    ...ruleExceptions(entry, rule, r),
  };
}

function systemRule(entry: InstanceEntry, rule: ExpandedRule): DesiredSystemRule {
  const data = rule.data as unknown as TimedOffV1<Switch>;
  const where = rule.overridePath && hasKey(entry, rule.overridePath, 'until') ? entry.doc.locate(rule.overridePath, 'key') : definedAt(rule);
  const term = data.status === 'OFF' ? termOf(data, where) : undefined;
  return { name: rule.name, status: data.status, source: definedAt(rule), ...origin(entry, rule), ...(term ? { exception: term } : {}) };
}

/** The `waivers:` of a document. */
function waiversOf(doc: PolicyDocument): DesiredWaiver[] {
  const d = doc.data as unknown as DocumentV1;
  return (d.waivers ?? []).map((w, i) => ({
    region: d.region,
    projectId: d.project_id,
    ...(w.instance !== undefined ? { instance: w.instance } : {}),
    ...(w.match !== undefined ? { match: w.match } : {}),
    kind: w.kind,
    object: w.object,
    ...(w.field !== undefined ? { field: w.field } : {}),
    until: w.until,
    reason: w.reason,
    allowWeakening: w.allow_weakening,
    source: doc.locate(['waivers', i]),
  }));
}

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
    for (const [busiType, value] of Object.entries(d.summary_tasks ?? {})) {
      const code = typeof value === 'string' ? value : value.status;
      const source = doc.locate(['summary_tasks', busiType]);
      const term = typeof value === 'string' ? undefined : termOf(value, doc.locate(['summary_tasks', busiType], 'key'));
      summaryTasks.push({
        region: d.region,
        projectId: d.project_id,
        busiType: busiType as BusiType,
        enabled: code === 'on',
        source,
        ...(term ? { exception: term } : {}),
      });
    }
  }
  const waivers = docs.flatMap(waiversOf);
  return { instances, summaryTasks, selectors, ...(waivers.length > 0 ? { waivers } : {}) };
}
