import { isIP } from 'node:net';
import { ACTIONS, COMPARISONS, RISK_LEVELS } from '../domain.js';
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

const actionProblem = (e: string): string | undefined =>
  (ACTIONS as readonly string[]).includes(e) ? undefined : `unknown operation "${e}"`;
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

/** A rule-list item: no policy fields (no action, schemas, IPs, thresholds or ignore_case). */
export function listItem(rule: RuleState, rank: number): Record<string, unknown> {
  return {
    id: rule.id,
    name: rule.name,
    type: ruleKind(rule),
    feature: feature(rule),
    status: rule.status,
    rank,
    risk_level: rule.riskLevel,
    rule_type: rule.ruleType,
  };
}

/** The show body: every readable field; never `exception_ips` (write-only) nor `rule_type`. */
export function showBody(rule: RuleState, rank: number): Record<string, unknown> {
  return {
    rule_id: rule.id,
    rule_name: rule.name,
    status: rule.status,
    action: rule.action,
    schemas: rule.schemas.map((s) => ({ ...s })),
    rank,
    ignore_case: rule.ignoreCase,
    risk_level: rule.riskLevel,
    db_ids: rule.dbIds,
    client_ips: rule.clientIps,
    execution_symbol: rule.executionSymbol,
    execution_time: rule.executionTime,
    affect_symbol: rule.affectSymbol,
    affect_rows: rule.affectRows,
  };
}
