import type { ReadableRuleSpec, SchemaTarget, Threshold } from '../domain.js';
import { operationsOrAny } from '../domain.js';
import { canonicalIp } from '../policy/ip.js';

/**
 * The comparable form of a rule's readable content, so that a plan after a successful apply is
 * always empty: lists the API treats as sets are de-duplicated and sorted, IP entries are
 * canonicalised (`2001:DB8::0:1` = `2001:db8::1`), enum spellings are upper-cased, absent
 * values read as their defaults. Only for comparing: the wire always gets the desired spelling.
 */
export interface NormalisedRule {
  /** Rule name (compared exactly). */
  readonly name: string;
  /** Upper-cased risk level. */
  readonly riskLevel: string;
  /** Upper-cased ON/OFF. */
  readonly status: string;
  /** Upper-cased, de-duplicated, sorted operation tokens; empty = any operation (also for `OPERATE ALL`, `OPERATE_ALL`, `ALL`). */
  readonly actions: readonly string[];
  /** Affected-rows threshold with an upper-cased symbol. */
  readonly affectRows: Threshold;
  /** Execution-time threshold with an upper-cased symbol. */
  readonly executionTime: Threshold;
  /** De-duplicated, sorted database ids (empty = all databases). */
  readonly dbIds: readonly string[];
  /** Canonical, de-duplicated, sorted client IP entries (empty = any client). */
  readonly clientIps: readonly string[];
  /** De-duplicated, sorted targets with absent parts as '' (all-empty entries dropped). */
  readonly schemas: readonly Required<SchemaTarget>[];
  /** Case-insensitive matching. */
  readonly ignoreCase: boolean;
}

/** The readable fields the planner compares, in display order. `name` is the match key, not a field. */
export const COMPARED_FIELDS = [
  'riskLevel',
  'status',
  'actions',
  'affectRows',
  'executionTime',
  'dbIds',
  'clientIps',
  'schemas',
  'ignoreCase',
] as const satisfies readonly (keyof ReadableRuleSpec)[];

/** One compared field. */
export type ComparedField = (typeof COMPARED_FIELDS)[number];

/** A threshold the API fills in when none is given: matches every value. */
export const DEFAULT_THRESHOLD: Threshold = { symbol: 'GREATER_EQUAL', value: 0 };

/** What an absent list reads as. */
const NONE: readonly never[] = [];

const sortedSet = (xs: readonly string[]): string[] => [...new Set(xs)].sort();

/** Canonical, de-duplicated, sorted IP entries. */
export function normaliseIps(entries: readonly string[] | undefined): string[] {
  return sortedSet((entries ?? NONE).map(canonicalIp));
}

/** Targets as comparable triples, sorted; an entry naming nothing is dropped. */
export function normaliseSchemas(schemas: readonly SchemaTarget[] | undefined): Required<SchemaTarget>[] {
  const triples = (schemas ?? NONE)
    .map((s) => ({ schema: s.schema ?? '', table: s.table ?? '', column: s.column ?? '' }))
    .filter((s) => s.schema !== '' || s.table !== '' || s.column !== '');
  const byKey = new Map(triples.map((s) => [JSON.stringify([s.schema, s.table, s.column]), s]));
  return [...byKey.keys()].sort().map((k) => byKey.get(k)!);
}

function normaliseThreshold(t: Threshold | undefined): Threshold {
  const th = t ?? DEFAULT_THRESHOLD;
  return { symbol: String(th.symbol).toUpperCase() as Threshold['symbol'], value: Number(th.value) };
}

/**
 * The comparable form of a rule. Tolerates absent lists and thresholds (read as empty / the
 * default) even though the types promise them, because a live detail comes from the network.
 */
export function normaliseRule(spec: ReadableRuleSpec): NormalisedRule {
  const rule = { name: spec.name } as Record<string, unknown>;
  for (const field of COMPARED_FIELDS) rule[field] = normaliseField(spec, field);
  return rule as unknown as NormalisedRule;
}

/** The comparable form of one field of a rule (see normaliseRule). */
export function normaliseField<F extends ComparedField>(spec: ReadableRuleSpec, field: F): NormalisedRule[F];
export function normaliseField(spec: ReadableRuleSpec, field: ComparedField): NormalisedRule[ComparedField] {
  switch (field) {
    case 'riskLevel':
      return String(spec.riskLevel).toUpperCase();
    case 'status':
      return String(spec.status).toUpperCase();
    case 'actions':
      return sortedSet(operationsOrAny(spec.actions ?? NONE).map((a) => a.trim().toUpperCase()));
    case 'affectRows':
      return normaliseThreshold(spec.affectRows);
    case 'executionTime':
      return normaliseThreshold(spec.executionTime);
    case 'dbIds':
      return sortedSet((spec.dbIds ?? NONE).map((d) => d.trim()));
    case 'clientIps':
      return normaliseIps(spec.clientIps);
    case 'schemas':
      return normaliseSchemas(spec.schemas);
    case 'ignoreCase':
      return spec.ignoreCase === true;
  }
}

/** The compared fields whose normalised values differ, in COMPARED_FIELDS order. */
export function differingFields(live: ReadableRuleSpec, desired: ReadableRuleSpec): ComparedField[] {
  // Fast path: a field spelled the same on both sides needs no normalising (on a large estate
  // almost every field of almost every rule is), and normalising is what costs. Only a suspect
  // field is normalised: a changed rule usually differs in one or two fields.
  const differing: ComparedField[] = [];
  for (const f of COMPARED_FIELDS) {
    // Stryker disable next-line ConditionalExpression: only a shortcut, the normalised comparison decides the same
    if (sameValue(live[f], desired[f])) continue;
    if (!sameValue(normaliseField(live, f), normaliseField(desired, f))) differing.push(f);
  }
  return differing;
}

/**
 * Deep equality of values as read or normalised: strings, numbers, booleans, arrays, plain
 * objects (compared by their enumerable keys; the values of one field have one shape). Plain
 * loops: this runs for every field of every declared rule, and garbage is most of a large plan's
 * cost.
 */
function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  // Stryker disable next-line ConditionalExpression,BlockStatement: arrays compare the same way below (by index keys); this is only faster
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = a.length; i--; ) if (!sameValue(a[i], b[i])) return false;
    return true;
  }
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  let keys = 0;
  for (const k in ra) {
    keys++;
    if (!sameValue(ra[k], rb[k])) return false;
  }
  for (const _ in rb) keys--;
  return keys === 0;
}
