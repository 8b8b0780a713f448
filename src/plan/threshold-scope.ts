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
      // Stryker disable next-line ArrayDeclaration: an entry that is no interval is dropped by matched() as empty
      return [];
  }
}

/**
 * The non-empty intervals clipped to >= 0. The intervals of one threshold never touch (NO_MATCH
 * leaves out its value), so no merging is needed for the containment test below.
 */
const matched = (t: Threshold): Interval[] =>
  matchedIntervals(t)
    .map((i) => ({ lo: Math.max(0, i.lo), hi: i.hi }))
    .filter((i) => i.lo <= i.hi);

/** True when every value `before` matches is also matched by `after` (the rule did not get looser). */
export function thresholdCovers(after: Threshold, before: Threshold): boolean {
  const wider = matched(after);
  return matched(before).every((b) => wider.some((a) => a.lo <= b.lo && b.hi <= a.hi));
}
