import type { ReadableRuleSpec, RiskLevel, SchemaTarget, Threshold } from '../domain.js';
import { canonicalIp } from '../policy/ip.js';

/**
 * The mapping of a live rule's readable content (domain form) to a `risk_rules` entry of a
 * policy: snake_case keys in the schema's order, and only the values that differ from the
 * policy defaults (status ON, thresholds GREATER_EQUAL 0, ignore_case false, empty lists), so
 * the loader's defaults give the live rule back. exception_ips is never readable, so never here.
 */
export interface RiskRuleEntry {
  /** Rule name (rule_name). */
  readonly name: string;
  /** Risk level. */
  readonly risk_level: RiskLevel;
  /** Only when OFF (ON is the default). */
  readonly status?: 'OFF';
  /** Operation tokens, upper case, each once, in live order; absent = any operation. */
  readonly actions?: readonly string[];
  /** Affected-rows threshold, when not GREATER_EQUAL 0. */
  readonly affect_rows?: Threshold;
  /** Execution-time threshold, when not GREATER_EQUAL 0. */
  readonly execution_time?: Threshold;
  /** Database ids, each once; absent = all databases. */
  readonly db_ids?: readonly string[];
  /** Client IP entries as DBSS spells them, each meaning once; absent = any client. */
  readonly client_ips?: readonly string[];
  /** Target objects with their non-empty parts, each once; absent = any object. */
  readonly schemas?: readonly SchemaTarget[];
  /** Only when true (false is the default). */
  readonly ignore_case?: true;
}

/** The policy's default threshold: matches every statement. */
const DEFAULT_THRESHOLD: Threshold = { symbol: 'GREATER_EQUAL', value: 0 };

/** The first entry of each key, in order (the schema wants unique list items). */
function uniqueBy<T>(items: readonly T[], key: (item: T) => string): T[] {
  const seen = new Map<string, T>();
  for (const item of items) if (!seen.has(key(item))) seen.set(key(item), item);
  return [...seen.values()];
}

const threshold = (t: Threshold): Threshold | undefined =>
  t.symbol === DEFAULT_THRESHOLD.symbol && t.value === DEFAULT_THRESHOLD.value ? undefined : { symbol: t.symbol, value: t.value };

const nonEmpty = <T>(items: readonly T[]): readonly T[] | undefined => (items.length > 0 ? items : undefined);

function schemaTargets(schemas: readonly SchemaTarget[]): SchemaTarget[] {
  const targets = schemas
    .map((s) => ({
      ...(s.schema ? { schema: s.schema } : {}),
      ...(s.table ? { table: s.table } : {}),
      ...(s.column ? { column: s.column } : {}),
    }))
    .filter((s) => Object.keys(s).length > 0);
  return uniqueBy(targets, (s) => JSON.stringify([s.schema, s.table, s.column]));
}

/** The policy entry of a live custom rule. */
export function riskRuleEntry(rule: ReadableRuleSpec): RiskRuleEntry {
  const entry = {
    name: rule.name,
    risk_level: rule.riskLevel,
    status: rule.status === 'OFF' ? 'OFF' : undefined,
    actions: nonEmpty(uniqueBy(rule.actions.map((a) => a.trim().toUpperCase()), (a) => a)),
    affect_rows: threshold(rule.affectRows),
    execution_time: threshold(rule.executionTime),
    db_ids: nonEmpty(uniqueBy(rule.dbIds.map((d) => d.trim()), (d) => d)),
    client_ips: nonEmpty(uniqueBy(rule.clientIps.map((ip) => ip.trim()), canonicalIp)),
    schemas: nonEmpty(schemaTargets(rule.schemas)),
    ignore_case: rule.ignoreCase ? true : undefined,
  } as const;
  return Object.fromEntries(Object.entries(entry).filter(([, v]) => v !== undefined)) as unknown as RiskRuleEntry;
}
