import type { Json } from '../kinds/kind.js';

/**
 * Guardrail variables as the CEL evaluator takes them: plain objects are maps, arrays lists,
 * strings, booleans and null themselves. Whole numbers become bigints (CEL `int`), so that
 * `rule.affect_rows.value > 100` and `== 0` compare as a reader expects; other numbers stay
 * doubles.
 */

/** A CEL input value built from plain data (a `Map` is a CEL map as well as an object). */
export type CelData =
  | null
  | boolean
  | bigint
  | number
  | string
  | readonly CelData[]
  | ReadonlyMap<string, CelData>
  | { readonly [key: string]: CelData };

/**
 * A record as a `Map`: the evaluator wraps a `Map` as it is, but copies a plain object's entries
 * into a new map on every access. Instances and rules, read once per rule of every guardrail,
 * are built this way (at 1000 × 100, the copies were most of the evaluation time, in GC).
 */
export const celRecord = (fields: { readonly [key: string]: CelData }): ReadonlyMap<string, CelData> => new Map(Object.entries(fields));

/** A whole number as a CEL int, another number as a double. */
export const celNumber = (n: number): bigint | number => (Number.isSafeInteger(n) ? BigInt(n) : n);

/** JSON (a kind's spec or setting) as CEL data: whole numbers become ints. */
export function celJson(value: Json): CelData {
  if (typeof value === 'number') return celNumber(value);
  if (Array.isArray(value)) return (value as readonly Json[]).map(celJson);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, CelData> = {};
    for (const [k, v] of Object.entries(value as { readonly [key: string]: Json })) out[k] = celJson(v);
    return out;
  }
  return value as null | boolean | string;
}

