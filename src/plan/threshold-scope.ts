import type { Threshold } from '../domain.js';

/**
 * What a threshold matches, as a set of non-negative integers (affected rows, milliseconds), so
 * that a change can be judged by meaning: `GREATER 1000 → GREATER_EQUAL 1001` is the same set,
 * `GREATER 1000 → GREATER 5000` matches less (a looser rule, so weakening). NO_MATCH is read as
 * "not equal", per the domain vocabulary. An unknown symbol matches nothing, so any change away
 * from it is not weakening and any change to it is (the conservative side).
 */

/** A closed interval of integers; `hi` may be Infinity. */
interface Interval {
  readonly lo: number;
  readonly hi: number;
}

function matchedIntervals(t: Threshold): Interval[] {
  const v = t.value;
  switch (String(t.symbol).toUpperCase()) {
    case 'GREATER':
      return [{ lo: v + 1, hi: Infinity }];
    case 'GREATER_EQUAL':
      return [{ lo: v, hi: Infinity }];
    case 'LESS':
      return [{ lo: 0, hi: v - 1 }];
    case 'LESS_EQUAL':
      return [{ lo: 0, hi: v }];
    case 'EQUAL':
      return [{ lo: v, hi: v }];
    case 'NO_MATCH':
      return [
        { lo: 0, hi: v - 1 },
        { lo: v + 1, hi: Infinity },
      ];
    default:
      return [];
  }
}

/** Non-empty intervals clipped to >= 0, sorted, with touching ones merged. */
function merged(intervals: readonly Interval[]): Interval[] {
  const sorted = intervals
    .map((i) => ({ lo: Math.max(0, i.lo), hi: i.hi }))
    .filter((i) => i.lo <= i.hi)
    .sort((a, b) => a.lo - b.lo);
  const out: Interval[] = [];
  for (const i of sorted) {
    const last = out[out.length - 1];
    if (last && i.lo <= last.hi + 1) out[out.length - 1] = { lo: last.lo, hi: Math.max(last.hi, i.hi) };
    else out.push(i);
  }
  return out;
}

/** True when every value `before` matches is also matched by `after` (the rule did not get looser). */
export function thresholdCovers(after: Threshold, before: Threshold): boolean {
  const wider = merged(matchedIntervals(after));
  return merged(matchedIntervals(before)).every((b) => wider.some((a) => a.lo <= b.lo && b.hi <= a.hi));
}
