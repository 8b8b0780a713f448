import { RISK_LEVELS, type RiskLevel, type Switch } from '../../domain.js';
import type { Json, KindCall, LiveObject } from '../kind.js';

/**
 * The SQL-injection rule calls and the decoding of their answers (dbss-api-more.md §2). The
 * only place of the client side that knows a wire field name of this kind. Reading is
 * tolerant: every field of `SqlRuleResponseRules` is optional in the SDK, so an absent, null
 * or mistyped field becomes an absent domain field (and an observation), never a crash.
 */

const V1 = '/v1/{project_id}/audit/{instance_id}/rule';
const V2 = '/v2/{project_id}/audit/{instance_id}/rule';
/** The list op's content type (the SDK's, unlike every other call of the kind). */
const LIST_TYPE = 'application/json;charset=UTF-8';

/** The domain form of a custom rule's writable content (policy field names). */
export interface SqlRuleContent {
  /** rule_name. */
  readonly name: string;
  /** sql_regex on write, regex on read. */
  readonly regex: string;
  /** risk_level. */
  readonly risk_level: RiskLevel;
  /** status. */
  readonly status: Switch;
}

/** One page of the list: `page` as numbered by DBSS (base learned by the reader), `size` asked. */
export const listCall = (page: number, size: number): KindCall => ({
  operation: 'ListSqlInjectionRulesNew',
  method: 'POST',
  path: `${V1}/sqls`,
  body: { page, size },
  contentType: LIST_TYPE,
});

const ruleBody = (c: SqlRuleContent): Json => ({ rule_name: c.name, sql_regex: c.regex, risk_level: c.risk_level, status: c.status });

/** Create (all four fields required; no id in the answer). */
export const createCall = (c: SqlRuleContent): KindCall => ({ operation: 'CreateAuditSqlRule', method: 'POST', path: `${V1}/sql`, body: ruleBody(c) });

/** Update: a full replacement with the same body as create. */
export const updateCall = (id: string, c: SqlRuleContent): KindCall => ({ operation: 'UpdateAuditSqlRule', method: 'POST', path: `${V1}/sql/{id}`, params: { id }, body: ruleBody(c) });

/** Delete one custom rule. */
export const deleteCall = (id: string): KindCall => ({ operation: 'DeleteAuditRuleSql', method: 'DELETE', path: `${V1}/sql/{id}`, params: { id } });

/** Switch ONE rule (custom or system): the body takes a single id. */
export const switchCall = (id: string, status: Switch): KindCall => ({ operation: 'SetAuditSqlRuleSwitch', method: 'POST', path: `${V2}/sql/switch`, body: { id, status } });

/** Rank: the ids in priority order (how many of them DBSS needs is learned, see rank-write.ts). */
export const rankCall = (ids: readonly string[]): KindCall => ({ operation: 'SetSqlRuleRank', method: 'POST', path: `${V2}/sql/rank`, body: { ids: [...ids] } });

/** One page of the list answer. */
export interface ListPage {
  /** The rules of the page, decoded. */
  readonly rules: readonly DecodedRule[];
  /** `total`, when it is a non-negative integer. */
  readonly total: number | undefined;
}

/** A listed rule, decoded, with what could not be understood. */
export interface DecodedRule {
  /** The domain object. */
  readonly object: LiveObject;
  /** What was odd about the item (absent fields, unknown values), for observations. */
  readonly oddities: readonly string[];
  /** How risk_level was spelled: all upper or all lower case (undefined: neither, or absent). */
  readonly riskCase?: 'upper' | 'lower';
}

const record = (v: unknown): Readonly<Record<string, unknown>> | undefined => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined);

const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' && Number.isFinite(v) ? String(v) : undefined);

const integer = (v: unknown): number | undefined => {
  const n = typeof v === 'string' && /^\s*-?\d+\s*$/.test(v) ? Number(v) : v;
  return typeof n === 'number' && Number.isSafeInteger(n) ? n : undefined;
};

/** risk_level in any case and with any separator; NO_RISK is not in the response comment but create accepts it. */
export function readRiskLevel(v: unknown): RiskLevel | undefined {
  const t = text(v)?.trim().toUpperCase().replace(/[\s-]+/g, '_');
  if (t === undefined) return undefined;
  if (t === 'NORISK' || t === 'NONE') return 'NO_RISK';
  return (RISK_LEVELS as readonly string[]).includes(t) ? (t as RiskLevel) : undefined;
}

/** status ON/OFF in any case; the legacy Enabled/Disabled and booleans are read too. */
export function readSwitch(v: unknown): Switch | undefined {
  const t = (typeof v === 'boolean' ? String(v) : text(v))?.trim().toUpperCase();
  if (t === 'ON' || t === 'ENABLED' || t === 'TRUE' || t === '1') return 'ON';
  if (t === 'OFF' || t === 'DISABLED' || t === 'FALSE' || t === '0') return 'OFF';
  return undefined;
}

/**
 * Built in or custom: `SYSTEM` or `CUSTOMIZE` in any case. Anything else (absent, another
 * word) counts as built in, so that the rule is only ever switched, never edited or deleted.
 */
function readBuiltIn(v: unknown): { builtIn: boolean; known: boolean } {
  const t = text(v)?.trim().toUpperCase();
  if (t === 'CUSTOMIZE' || t === 'CUSTOM') return { builtIn: false, known: true };
  return { builtIn: true, known: t === 'SYSTEM' };
}

/** One list item as a live object; undefined when it is not even an object. */
function decodeRule(raw: unknown, at: string): DecodedRule | undefined {
  const r = record(raw);
  if (r === undefined) return undefined;
  const oddities: string[] = [];
  const id = text(r.id) ?? '';
  const name = text(r.name) ?? '';
  if (name === '') oddities.push(`${at}: no name`);
  const type = readBuiltIn(r.type);
  if (!type.known) oddities.push(`${at} (${JSON.stringify(name)}): type ${JSON.stringify(r.type ?? null)} is neither SYSTEM nor CUSTOMIZE, read as SYSTEM (switched only)`);
  const spec: Record<string, Json> = {};
  const regex = text(r.regex);
  if (regex !== undefined) spec.regex = regex;
  const level = readRiskLevel(r.risk_level);
  if (level !== undefined) spec.risk_level = level;
  else if (!type.builtIn) oddities.push(`${at} (${JSON.stringify(name)}): risk_level ${JSON.stringify(r.risk_level ?? null)} not understood`);
  const status = readSwitch(r.status);
  if (status !== undefined) spec.status = status;
  const rank = integer(r.rank);
  const spelled = text(r.risk_level);
  const riskCase = level === undefined || spelled === undefined ? undefined : spelled === spelled.toUpperCase() ? 'upper' : spelled === spelled.toLowerCase() ? 'lower' : undefined;
  return { object: { id, key: name, builtIn: type.builtIn, spec, ...(rank === undefined ? {} : { rank }) }, oddities, ...(riskCase ? { riskCase } : {}) };
}

/** One page of the list answer, tolerantly: `rules` absent or not a list reads as no rules. */
export function decodeListPage(answer: unknown, page: number): ListPage {
  const a = record(answer) ?? {};
  const items = Array.isArray(a.rules) ? (a.rules as unknown[]) : [];
  const total = integer(a.total);
  const rules = items.flatMap((raw, i) => {
    const d = decodeRule(raw, `page ${page} rules[${i}]`);
    return d === undefined ? [] : [d];
  });
  return { rules, total: total !== undefined && total >= 0 ? total : undefined };
}
