import { badRequest, DBSS } from './wire-errors.js';

/**
 * Validation of path parameters, paging and other query parameters. Each failure is a 400
 * DBSS error whose message names the parameter and what is wrong with it.
 */

const ID_CHARS = /^[A-Za-z0-9_-]+$/;

function checkId(label: string, value: string, min: number, max: number): string {
  if (value.length < min || value.length > max || !ID_CHARS.test(value)) {
    throw badRequest(`invalid ${label} "${value.slice(0, 80)}": must be ${min}-${max} letters, digits, "-" or "_"`, DBSS.invalidId);
  }
  return value;
}

/** project_id: 32-64 characters (IAM). */
export const checkProjectId = (v: string): string => checkId('project_id', v, 32, 64);
/** instance_id: 32-64 characters (instance list `id`). */
export const checkInstanceId = (v: string): string => checkId('instance_id', v, 32, 64);
/** Rule id: 16-64 characters. */
export const checkRuleId = (v: string): string => checkId('rule id', v, 16, 64);

/** A non-negative decimal integer query parameter, or the default when absent. */
function intParam(query: URLSearchParams, name: string, fallback: number, min: number, max: number): number {
  const raw = query.get(name);
  if (raw === null) return fallback;
  if (!/^\d{1,10}$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw badRequest(`invalid ${name} "${raw.slice(0, 40)}": must be an integer from ${min} to ${max}`);
  }
  return Number(raw);
}

/** Paging of a new-style list: `offset` ≥ 0 (default 0), `limit` 1..maxLimit (default 100). */
export interface Paging {
  /** Records to skip. */
  readonly offset: number;
  /** Page size. */
  readonly limit: number;
}

/** Reads `offset` and `limit`; `maxLimit` is 1000 on the new endpoints. */
export function paging(query: URLSearchParams, maxLimit: number, defaultLimit = 100): Paging {
  return {
    offset: intParam(query, 'offset', 0, 0, Number.MAX_SAFE_INTEGER),
    limit: intParam(query, 'limit', defaultLimit, 1, maxLimit),
  };
}

/** One page of a list. */
export function page<T>(items: readonly T[], p: Paging): T[] {
  return items.slice(p.offset, p.offset + p.limit);
}

/** A required enum value from a query or body. */
export function enumValue<T extends string>(name: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !allowed.includes(value as T)) {
    const shown = typeof value === 'string' ? `"${value.slice(0, 40)}"` : JSON.stringify(value) ?? 'nothing';
    throw badRequest(`invalid ${name} ${shown}: must be one of ${allowed.join(', ')}`);
  }
  return value as T;
}

/** A JSON object body; anything else is a 400. */
export function jsonObjectBody(raw: Buffer): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(raw.toString('utf8'));
  } catch {
    throw badRequest(raw.length === 0 ? 'request body is required' : 'request body is not valid JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw badRequest('request body must be a JSON object');
  }
  return value as Record<string, unknown>;
}
