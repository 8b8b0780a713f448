import type { RiskRuleSpec, SchemaTarget, Threshold } from '../domain.js';

/**
 * How rule fields and values are spelled for people (plan reasons and renderers). Field labels
 * are the policy/wire names (snake_case) that reviewers know from the YAML and the API docs.
 */

/** Label of each rule field. */
export const FIELD_LABELS: Readonly<Record<keyof RiskRuleSpec, string>> = {
  name: 'rule_name',
  riskLevel: 'risk_level',
  status: 'status',
  actions: 'actions',
  affectRows: 'affect_rows',
  executionTime: 'execution_time',
  dbIds: 'db_ids',
  clientIps: 'client_ips',
  exceptionIps: 'exception_ips',
  schemas: 'schemas',
  ignoreCase: 'ignore_case',
};

/** `GREATER 1000`. */
export function formatThreshold(t: Threshold): string {
  return `${t.symbol} ${t.value}`;
}

/** `finance.ledger`, `finance.*.pan`, `*` for an entry naming nothing. */
export function formatSchema(s: SchemaTarget): string {
  const parts = [s.schema || '*', s.table || '*', s.column || '*'];
  while (parts.length > 1 && parts[parts.length - 1] === '*') parts.pop();
  return parts.join('.');
}

/** `[a, b]`. */
export function formatList(items: readonly string[]): string {
  return `[${items.join(', ')}]`;
}

const isThreshold = (v: unknown): v is Threshold =>
  typeof v === 'object' && v !== null && 'symbol' in v && 'value' in v;

/** The display lines of one list-valued field (one entry per line), or undefined for scalars. */
export function listEntries(field: keyof RiskRuleSpec, value: unknown): string[] | undefined {
  if (!Array.isArray(value)) return undefined;
  return field === 'schemas' ? (value as SchemaTarget[]).map(formatSchema) : (value as unknown[]).map(String);
}

/** One field value on one line: lists in brackets, thresholds as `SYMBOL value`. */
export function formatValue(field: keyof RiskRuleSpec, value: unknown): string {
  const entries = listEntries(field, value);
  if (entries) return formatList(entries);
  if (isThreshold(value)) return formatThreshold(value);
  return String(value);
}
