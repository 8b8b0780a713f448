import type { BusiType, Comparison, RiskLevel, RiskRuleSpec, SchemaTarget, Switch } from '../domain.js';
import { COMPARISONS, operationsOrAny } from '../domain.js';
import { STATUS_NOT_GIVEN, type AuditInstance, type RuleDetail, type RuleSummary, type RuleType, type SummaryTask } from './types.js';
import { WireObject, type Fail } from './wire-reader.js';

/** Wire ⇄ domain mapping: the only place that knows DBSS field names (API reference §2-§4). */

/** One page of a list answer. */
export interface Page<T> {
  /** Items of this page. */
  readonly items: T[];
  /** `total` of the answer, when given. */
  readonly total: number | undefined;
  /** `customize_total` of a rule list answer, when given. */
  readonly customizeTotal?: number;
}

const definedOnly = (o: Record<string, string | undefined>): Record<string, string> =>
  Object.fromEntries(Object.entries(o).filter((e): e is [string, string] => e[1] !== undefined));

/** Risk level, also from the old display strings ("No Risk", "Low", "Moderate", "High"). */
function riskLevel(o: WireObject, name: string): RiskLevel {
  const raw = o.string(name).trim().toUpperCase().replace(/[\s-]+/g, '_');
  const level = raw === 'MODERATE' ? 'MEDIUM' : raw === 'NORISK' ? 'NO_RISK' : raw;
  return level === 'LOW' || level === 'MEDIUM' || level === 'HIGH' || level === 'NO_RISK' ? level : o.fail(name, 'LOW, MEDIUM, HIGH or NO_RISK');
}

/** An optional risk level: absent or null reads as undefined; a value it cannot read still fails. */
function optionalRiskLevel(o: WireObject, name: string): RiskLevel | undefined {
  return o.get(name) === undefined || o.get(name) === '' ? undefined : riskLevel(o, name);
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

/**
 * ListAuditInstancesNew. Two shapes are read (which one a region answers is unconfirmed): the
 * Go SDK's `{ servers: [{id, name, status}], total }` and the Node.js SDK 3.1.204 one,
 * `{ instances: [{instance_id, name, status}], total }`; camelCase spellings (seen by Terraform)
 * are read too. An answer with neither list is malformed, never "no instances".
 */
export function instancesPage(body: unknown, fail: Fail): Page<AuditInstance> {
  const root = new WireObject(body, '', fail);
  const shape = root.get('servers') !== undefined ? 'servers' : root.get('instances') !== undefined ? 'instances' : undefined;
  if (shape === undefined) return root.fail('servers', 'a list under "servers" or "instances"');
  const idKeys = shape === 'servers' ? (['id', 'instance_id'] as const) : (['instance_id', 'id'] as const);
  const items = root.objects(shape).map((s) => ({
    id: s.optionalString(idKeys[0]) ?? s.optionalString(idKeys[1]) ?? s.fail(idKeys[0], `a non-empty string (or ${idKeys[1]})`),
    name: s.optionalString('name') ?? '',
    status: s.optionalString('status') ?? STATUS_NOT_GIVEN,
  }));
  return { items, total: root.optionalInteger('total') };
}

/**
 * rule_type: SYSTEM or CUSTOMIZE (any case); absent or null is UNKNOWN (src/live may resolve
 * it); any other value (BUILT_IN, "", a number) is OTHER, never custom: CUSTOMIZE rules may be
 * deleted, so only what is known to be custom is.
 */
function ruleType(o: WireObject): RuleType {
  const raw = o.get('rule_type');
  if (raw === undefined || raw === null) return 'UNKNOWN';
  const text = typeof raw === 'string' ? raw.trim().toUpperCase() : undefined;
  return text === 'SYSTEM' || text === 'CUSTOMIZE' ? text : 'OTHER';
}

/**
 * ListAuditRuleRisksNew: `{ rules: [...], total, customize_total }`. Only id, name, type and
 * status are required (SDK); rank, risk_level, rule_type and feature may be absent or null.
 * The live reader (src/live/rule-kinds.ts) decides what an UNKNOWN rule_type means.
 */
export function rulesPage(body: unknown, fail: Fail): Page<RuleSummary> {
  const root = new WireObject(body, '', fail);
  const items = root.objects('rules').map((r): RuleSummary => {
    const rank = r.optionalInteger('rank');
    const level = optionalRiskLevel(r, 'risk_level');
    return {
      id: r.string('id'),
      name: r.string('name'),
      ruleType: ruleType(r),
      status: ruleSwitch(r, 'status'),
      ...(rank === undefined ? {} : { rank }),
      ...(level === undefined ? {} : { riskLevel: level }),
      ...definedOnly({ feature: r.optionalString('feature') }),
    };
  });
  const customizeTotal = root.optionalInteger('customize_total');
  return { items, total: root.optionalInteger('total'), ...(customizeTotal === undefined ? {} : { customizeTotal }) };
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

/**
 * ShowAuditRuleRiskNew (v2). The answer has no exception_ips and no rule_type, and every field
 * is optional (SDK): absent name, risk level, status and rank stay undefined. `action` reads
 * "any operation" in every spelling (absent, "", `OPERATE ALL`, `OPERATE_ALL`, `ALL`) as [].
 */
export function ruleDetail(body: unknown, requestedId: string, fail: Fail): RuleDetail {
  const r = new WireObject(body, '', fail);
  const name = r.optionalString('rule_name') ?? r.optionalString('name');
  const level = optionalRiskLevel(r, 'risk_level');
  const status = r.get('status') === undefined || r.get('status') === '' ? undefined : ruleSwitch(r, 'status');
  const rank = r.optionalInteger('rank');
  return {
    id: r.optionalString('rule_id') ?? r.optionalString('id') ?? requestedId,
    ...(name === undefined ? {} : { name }),
    ...(level === undefined ? {} : { riskLevel: level }),
    ...(status === undefined ? {} : { status }),
    ...(rank === undefined ? {} : { rank }),
    actions: [...operationsOrAny(r.commaList('action'))],
    affectRows: threshold(r, 'affect_symbol', 'affect_rows'),
    executionTime: threshold(r, 'execution_symbol', 'execution_time'),
    dbIds: r.commaList('db_ids'),
    clientIps: r.commaList('client_ips'),
    schemas: r.optionalObjects('schemas').map(schemaTarget),
    ignoreCase: r.boolean('ignore_case', false),
  };
}

const TASK_STATUS: Readonly<Record<string, SummaryTask['status']>> = { '0': 'ready', '1': 'running', '2': 'succeeded', '3': 'failed' };

const SWITCH_WORDS: Readonly<Record<string, boolean>> = { on: true, off: false, true: true, false: false, '1': true, '0': false };

/**
 * ShowAuditTaskStatus (v3). Every field is optional and task_switch's values are undocumented
 * (the write side's code is on/off): on/off in any case, true/false and 1/0 (as strings,
 * booleans or numbers) are read; anything else, or no task_switch, is unknown (`enabled`
 * undefined) rather than an error, so the plan can still set the declared value.
 */
export function summaryTask(body: unknown, busiType: BusiType, fail: Fail): SummaryTask {
  const t = new WireObject(body, '', fail);
  const sw = t.get('task_switch');
  const text = typeof sw === 'string' || typeof sw === 'number' || typeof sw === 'boolean' ? String(sw).trim() : undefined;
  const enabled = text === undefined ? undefined : SWITCH_WORDS[text.toLowerCase()];
  const rawStatus = t.get('task_status');
  const status = typeof rawStatus === 'string' || typeof rawStatus === 'number' ? String(rawStatus) : 'unknown';
  return {
    busiType,
    enabled,
    ...(sw === undefined ? {} : { switchText: typeof sw === 'string' ? sw : JSON.stringify(sw) }),
    status: TASK_STATUS[status] ?? status,
  };
}

/**
 * RuleAddRiskRuleRequest, for create (v1) and update (v2, a full replacement). The required
 * fields are always sent; an optional list (action, client_ips, exception_ips, db_ids,
 * schemas) is left out when empty, as the SDK leaves its unset pointers out. Unconfirmed
 * (API reference §9): what the API does with "" (one reading clears, one keeps, one refuses
 * it with a 400) and whether leaving a field out of an update clears or keeps it. Leaving it
 * out is right under every reading that lets a field be cleared at all; a region that keeps
 * the old value shows up as a pending change after apply. Whatever the API reads back for
 * "any operation" is read as [] by ruleDetail.
 */
export function ruleRequestBody(spec: RiskRuleSpec): Record<string, unknown> {
  const list = (wire: string, items: readonly string[]): Record<string, string> => (items.length === 0 ? {} : { [wire]: items.join(',') });
  return {
    rule_name: spec.name,
    risk_level: spec.riskLevel,
    status: spec.status,
    ...list('action', spec.actions),
    affect_symbol: spec.affectRows.symbol,
    affect_rows: spec.affectRows.value,
    execution_symbol: spec.executionTime.symbol,
    execution_time: spec.executionTime.value,
    ...list('client_ips', spec.clientIps),
    ...list('exception_ips', spec.exceptionIps),
    ...list('db_ids', spec.dbIds),
    ignore_case: spec.ignoreCase,
    ...(spec.schemas.length === 0 ? {} : { schemas: spec.schemas.map(({ schema, table, column }) => definedOnly({ schema, table, column })) }),
  };
}
