import type { BusiType, Comparison, RiskLevel, RiskRuleSpec, SchemaTarget, Switch } from '../domain.js';
import { COMPARISONS } from '../domain.js';
import type { AuditInstance, RuleDetail, RuleSummary, SummaryTask } from './types.js';
import { WireObject, type Fail } from './wire-reader.js';

/** Wire ⇄ domain mapping: the only place that knows DBSS field names (API reference §2-§4). */

/** One page of a list answer. */
export interface Page<T> {
  /** Items of this page. */
  readonly items: T[];
  /** `total` of the answer, when given. */
  readonly total: number | undefined;
}

const definedOnly = (o: Record<string, string | undefined>): Record<string, string> =>
  Object.fromEntries(Object.entries(o).filter((e): e is [string, string] => e[1] !== undefined));

/** Risk level, also from the old display strings ("No Risk", "Low", "Moderate", "High"). */
function riskLevel(o: WireObject, name: string): RiskLevel {
  const raw = o.string(name).trim().toUpperCase().replace(/[\s-]+/g, '_');
  const level = raw === 'MODERATE' ? 'MEDIUM' : raw === 'NORISK' ? 'NO_RISK' : raw;
  return level === 'LOW' || level === 'MEDIUM' || level === 'HIGH' || level === 'NO_RISK' ? level : o.fail(name, 'LOW, MEDIUM, HIGH or NO_RISK');
}

/** ON/OFF, case-insensitive (old docs show "On"). */
function ruleSwitch(o: WireObject, name: string): Switch {
  const v = o.string(name).trim().toUpperCase();
  return v === 'ON' || v === 'OFF' ? v : o.fail(name, 'ON or OFF');
}

function comparison(o: WireObject, name: string): Comparison {
  const v = o.string(name).trim().toUpperCase() as Comparison;
  return COMPARISONS.includes(v) ? v : o.fail(name, COMPARISONS.join(', '));
}

/** ListAuditInstancesNew: `{ servers: [...], total }`. */
export function instancesPage(body: unknown, fail: Fail): Page<AuditInstance> {
  const root = new WireObject(body, '', fail);
  const items = root.objects('servers', true).map((s) => ({ id: s.string('id'), name: s.optionalString('name') ?? '', status: s.optionalString('status') ?? 'UNKNOWN' }));
  return { items, total: root.optionalInteger('total') };
}

/**
 * ListAuditRuleRisksNew: `{ rules: [...], total, customize_total }`. A null or missing
 * `rule_type` (old EU docs) reads as CUSTOMIZE; any other unknown type is refused rather
 * than guessed, since CUSTOMIZE rules may be deleted.
 */
export function rulesPage(body: unknown, fail: Fail): Page<RuleSummary> {
  const root = new WireObject(body, '', fail);
  const items = root.objects('rules', true).map((r): RuleSummary => {
    const raw = r.optionalString('rule_type')?.trim().toUpperCase() ?? 'CUSTOMIZE';
    const type = raw === 'SYSTEM' || raw === 'CUSTOMIZE' ? raw : r.fail('rule_type', 'SYSTEM, CUSTOMIZE or null');
    return {
      id: r.string('id'),
      name: r.string('name'),
      ruleType: type,
      status: ruleSwitch(r, 'status'),
      rank: r.integer('rank'),
      riskLevel: riskLevel(r, 'risk_level'),
      ...definedOnly({ feature: r.optionalString('feature') }),
    };
  });
  return { items, total: root.optionalInteger('total') };
}

function schemaTarget(s: WireObject): SchemaTarget {
  return definedOnly({ schema: s.optionalString('schema'), table: s.optionalString('table'), column: s.optionalString('column') });
}

/**
 * A threshold of a show answer. Both fields are documented as returned; an answer without them
 * (null or absent) is read as the API's default, GREATER_EQUAL 0 (matches everything), so a
 * terser implementation is not an error (unconfirmed which the real API does for an unset one).
 */
function threshold(o: WireObject, symbolName: string, valueName: string): { symbol: Comparison; value: number } {
  const symbol = o.get(symbolName) == null ? 'GREATER_EQUAL' : comparison(o, symbolName);
  return { symbol, value: o.optionalInteger(valueName) ?? 0 };
}

/** ShowAuditRuleRiskNew (v2). The answer has no exception_ips and no rule_type. */
export function ruleDetail(body: unknown, requestedId: string, fail: Fail): RuleDetail {
  const r = new WireObject(body, '', fail);
  return {
    id: r.optionalString('rule_id') ?? r.optionalString('id') ?? requestedId,
    name: r.optionalString('rule_name') ?? r.string('name'),
    riskLevel: riskLevel(r, 'risk_level'),
    status: ruleSwitch(r, 'status'),
    rank: r.optionalInteger('rank') ?? 0,
    actions: r.commaList('action'),
    affectRows: threshold(r, 'affect_symbol', 'affect_rows'),
    executionTime: threshold(r, 'execution_symbol', 'execution_time'),
    dbIds: r.commaList('db_ids'),
    clientIps: r.commaList('client_ips'),
    schemas: r.objects('schemas', false).map(schemaTarget),
    ignoreCase: r.boolean('ignore_case', false),
  };
}

const TASK_STATUS: Readonly<Record<string, SummaryTask['status']>> = { '0': 'ready', '1': 'running', '2': 'succeeded', '3': 'failed' };

/** ShowAuditTaskStatus (v3). task_switch on/off (case-insensitive; a boolean is accepted). */
export function summaryTask(body: unknown, busiType: BusiType, fail: Fail): SummaryTask {
  const t = new WireObject(body, '', fail);
  const sw = t.get('task_switch');
  const text = typeof sw === 'boolean' ? String(sw) : t.string('task_switch').trim().toLowerCase();
  if (!['on', 'off', 'true', 'false'].includes(text)) t.fail('task_switch', 'on or off');
  const status = t.optionalString('task_status') ?? 'unknown';
  return { busiType, enabled: text === 'on' || text === 'true', status: TASK_STATUS[status] ?? status };
}

/**
 * RuleAddRiskRuleRequest, for create (v1) and update (v2, a full replacement). Every field is
 * sent, empty lists as "" and [], so an update clears what the spec leaves empty.
 */
export function ruleRequestBody(spec: RiskRuleSpec): Record<string, unknown> {
  return {
    rule_name: spec.name,
    risk_level: spec.riskLevel,
    status: spec.status,
    action: spec.actions.join(','),
    affect_symbol: spec.affectRows.symbol,
    affect_rows: spec.affectRows.value,
    execution_symbol: spec.executionTime.symbol,
    execution_time: spec.executionTime.value,
    client_ips: spec.clientIps.join(','),
    exception_ips: spec.exceptionIps.join(','),
    db_ids: spec.dbIds.join(','),
    ignore_case: spec.ignoreCase,
    schemas: spec.schemas.map(({ schema, table, column }) => definedOnly({ schema, table, column })),
  };
}
