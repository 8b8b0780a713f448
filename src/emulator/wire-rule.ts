import { isIP } from 'node:net';
import { COMPARISONS, RISK_LEVELS } from '../domain.js';
import type { ApiProfile } from './api-profile.js';
import { SYSTEM_RULE_VARIANT_NAMES } from './seed-rules.js';
import type { RuleState, SchemaState } from './types.js';
import { enumValue } from './validate-request.js';
import { badRequest } from './wire-errors.js';

/**
 * Rules on the wire: the create/update request body (RuleAddRiskRuleRequest) in, the list item
 * and the show body out. Length limits are unconfirmed by the API reference; the emulator
 * uses 1-255 characters for names and schema parts as a safe, strict reading.
 */

/** What a create or update request sets: every field of a rule but its id and type. */
export type RuleContent = Omit<RuleState, 'id' | 'ruleType'>;

const MAX_NAME = 255;

function requiredInt(body: Record<string, unknown>, name: string, max: number): number {
  const v = body[name];
  if (v === undefined || v === null) throw badRequest(`${name} is required`);
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > max) {
    throw badRequest(`invalid ${name} ${JSON.stringify(v)}: must be an integer from 0 to ${max}`);
  }
  return v;
}

function required(body: Record<string, unknown>, name: string): unknown {
  const v = body[name];
  if (v === undefined || v === null) throw badRequest(`${name} is required`);
  return v;
}

/** An optional comma-joined string: null when absent or empty; each entry checked by `entryProblem`. */
function commaList(body: Record<string, unknown>, name: string, entryProblem: (e: string) => string | undefined): string | null {
  const v = body[name];
  if (v === undefined || v === null || v === '') return null;
  if (typeof v !== 'string') throw badRequest(`invalid ${name}: must be a comma-separated string`);
  for (const entry of v.split(',')) {
    const problem = entry.trim() === '' ? 'empty entry' : entryProblem(entry.trim());
    if (problem) throw badRequest(`invalid ${name} "${v.slice(0, 200)}": ${problem}`);
  }
  return v;
}

function ipProblem(entry: string): string | undefined {
  const [a = '', b, ...rest] = entry.includes('/') ? entry.split('/') : entry.split('-');
  if (rest.length > 0 || isIP(a) === 0) return `"${entry}" is not an IP, IP/nn or IP-IP`;
  if (b === undefined) return undefined;
  if (entry.includes('/')) {
    const max = isIP(a) === 4 ? 32 : 128;
    return /^\d{1,3}$/.test(b) && Number(b) <= max ? undefined : `"${entry}" has a bad prefix length`;
  }
  return isIP(b) === isIP(a) ? undefined : `"${entry}" is not a range of two IPs of one family`;
}

/**
 * Operation tokens the emulator accepts: the documented list (dbss-api.md §9), which ends with
 * "OPERATE ALL", plus REVOKE and ROLLBACK, which old `feature` strings show (unconfirmed, so
 * accepted rather than refused). The emulator's own list: the client's is a separate decision.
 */
const ACCEPTED_ACTIONS: readonly string[] = [
  'LOGIN', 'CREATE_TABLE', 'CREATE_TABLESPACE', 'DROP_TABLE', 'DROP_TABLESPACE', 'DELETE', 'INSERT', 'INSERT_SELECT',
  'SELECT', 'SELECT_FOR_UPDATE', 'UPDATE', 'CREATE_USER', 'DROP_USER', 'GRANT', 'OPERATE ALL', 'REVOKE', 'ROLLBACK',
];

const actionProblem = (e: string): string | undefined => (ACCEPTED_ACTIONS.includes(e) ? undefined : `unknown operation "${e}"`);
const dbIdProblem = (e: string): string | undefined => (e.length < 256 ? undefined : 'a database id is 255 characters at most');

function schemas(body: Record<string, unknown>): SchemaState[] {
  const v = body.schemas;
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw badRequest('invalid schemas: must be an array of {schema, table, column}');
  return v.map((item: unknown, i) => {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) throw badRequest(`invalid schemas[${i}]: must be an object`);
    const out: SchemaState = {};
    for (const key of ['schema', 'table', 'column'] as const) {
      const part = (item as Record<string, unknown>)[key];
      if (part === undefined || part === null) continue;
      if (typeof part !== 'string' || part.length > MAX_NAME) throw badRequest(`invalid schemas[${i}].${key}: must be a string of at most ${MAX_NAME} characters`);
      out[key] = part;
    }
    return out;
  });
}

/** Validates a RuleAddRiskRuleRequest (create, and update's full replacement). */
export function parseRuleBody(body: Record<string, unknown>): RuleContent {
  const name = required(body, 'rule_name');
  if (typeof name !== 'string' || name.trim() === '' || name.length > MAX_NAME) {
    throw badRequest(`invalid rule_name: must be a non-blank string of at most ${MAX_NAME} characters`);
  }
  const ignoreCase = body.ignore_case;
  if (ignoreCase !== undefined && ignoreCase !== null && typeof ignoreCase !== 'boolean') {
    throw badRequest('invalid ignore_case: must be a boolean');
  }
  return {
    name,
    riskLevel: enumValue('risk_level', required(body, 'risk_level'), RISK_LEVELS),
    status: enumValue('status', required(body, 'status'), ['ON', 'OFF'] as const),
    affectSymbol: enumValue('affect_symbol', required(body, 'affect_symbol'), COMPARISONS),
    affectRows: requiredInt(body, 'affect_rows', 2147483647),
    executionSymbol: enumValue('execution_symbol', required(body, 'execution_symbol'), COMPARISONS),
    executionTime: requiredInt(body, 'execution_time', Number.MAX_SAFE_INTEGER),
    action: commaList(body, 'action', actionProblem),
    clientIps: commaList(body, 'client_ips', ipProblem),
    exceptionIps: commaList(body, 'exception_ips', ipProblem),
    dbIds: commaList(body, 'db_ids', dbIdProblem),
    ignoreCase: ignoreCase === true,
    schemas: schemas(body),
  };
}

/** `type` of a list item: LOGIN for login-only rules, OPERATE otherwise. */
function ruleKind(rule: RuleState): 'LOGIN' | 'OPERATE' {
  return rule.action === 'LOGIN' ? 'LOGIN' : 'OPERATE';
}

/** `feature`: the console's one-line summary, e.g. `CLIENT[Any]OPERATE[DELETE]OBJECT[Any]`. */
function feature(rule: RuleState): string {
  const objects = rule.schemas.map((s) => [s.schema, s.table, s.column].filter(Boolean).join('.')).join(',');
  return `CLIENT[${rule.clientIps ?? 'Any'}]OPERATE[${rule.action ?? 'Any'}]OBJECT[${objects || 'Any'}]`;
}

/** The name a rule goes by under the profile (built-in rules may be spelled differently; the model keeps one spelling). */
export function shownName(rule: RuleState, profile: ApiProfile): string {
  if (rule.ruleType !== 'SYSTEM' || profile.systemRuleNames === 'guessed') return rule.name;
  return (SYSTEM_RULE_VARIANT_NAMES as Record<string, string>)[rule.name] ?? rule.name;
}

/** Drops the keys whose value is undefined (an absent field, as opposed to null or ""). */
const present = (o: Record<string, unknown>): Record<string, unknown> => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

/**
 * A rule-list item: no policy fields (no action, schemas, IPs, thresholds or ignore_case).
 * `rank` is absent when the profile shows none for the rule; with `listFields: required` only
 * the fields the SDK marks required (id, name, type, status) and the rank are sent.
 */
export function listItem(rule: RuleState, rank: number | undefined, profile: ApiProfile): Record<string, unknown> {
  const required = { id: rule.id, name: shownName(rule, profile), type: ruleKind(rule), status: rule.status, rank };
  if (profile.listFields === 'required') return present(required);
  return present({ ...required, feature: feature(rule), risk_level: rule.riskLevel, rule_type: rule.ruleType });
}

/** An unset comma-joined field as the profile reads it back: null, "" or absent. */
function emptyAs(value: string | null, how: ApiProfile['emptyFields']): string | null | undefined {
  if (value !== null) return value;
  return how === 'null' ? null : how === 'empty' ? '' : undefined;
}

const ANY_OPERATION: Record<ApiProfile['anyOperation'], string | null | undefined> = { null: null, empty: '', absent: undefined, 'operate-all': 'OPERATE ALL' };

/**
 * The show body: every readable field; never `exception_ips` (write-only) nor `rule_type`.
 * A terse profile leaves out the rank, thresholds at their default (GREATER_EQUAL 0), a false
 * ignore_case and empty schemas (every show field is optional in the SDK).
 */
export function showBody(rule: RuleState, rank: number | undefined, profile: ApiProfile): Record<string, unknown> {
  const terse = profile.showFields === 'terse';
  const atDefault = (symbol: string, value: number) => terse && symbol === 'GREATER_EQUAL' && value === 0;
  const execDefault = atDefault(rule.executionSymbol, rule.executionTime);
  const affectDefault = atDefault(rule.affectSymbol, rule.affectRows);
  return present({
    rule_id: rule.id,
    rule_name: shownName(rule, profile),
    status: rule.status,
    action: rule.action ?? ANY_OPERATION[profile.anyOperation],
    schemas: terse && rule.schemas.length === 0 ? undefined : rule.schemas.map((s) => ({ ...s })),
    rank: terse ? undefined : rank,
    ignore_case: terse && !rule.ignoreCase ? undefined : rule.ignoreCase,
    risk_level: rule.riskLevel,
    db_ids: emptyAs(rule.dbIds, profile.emptyFields),
    client_ips: emptyAs(rule.clientIps, profile.emptyFields),
    execution_symbol: execDefault ? undefined : rule.executionSymbol,
    execution_time: execDefault ? undefined : rule.executionTime,
    affect_symbol: affectDefault ? undefined : rule.affectSymbol,
    affect_rows: affectDefault ? undefined : rule.affectRows,
  });
}
