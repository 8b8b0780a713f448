import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { longestIncreasingRun, movedIds, placeValue, rankMoves, rankedInOrder } from '../../src/plan/rank-moves.js';
import { setRankIn } from './api-model.js';

/** Longest strictly increasing subsequence length, by the O(n²) textbook DP (independent of the code under test). */
function lisLength(xs: readonly number[]): number {
  const best = xs.map(() => 1);
  for (let i = 0; i < xs.length; i++) {
    for (let j = 0; j < i; j++) if (xs[j]! < xs[i]!) best[i] = Math.max(best[i]!, best[j]! + 1);
  }
  return Math.max(0, ...best);
}

/**
 * Applies the moves under the dense-insert reading of a numbering that starts at `base`,
 * checking each newRank is valid when issued.
 */
function simulate(order: readonly string[], moves: readonly { id: string; newRank: number }[], base = 1): string[] {
  let list = [...order];
  for (const m of moves) {
    expect(Number.isInteger(m.newRank) && m.newRank >= base && m.newRank <= list.length + base - 1).toBe(true);
    list = setRankIn(list, (x) => x === m.id, m.newRank - base + 1);
  }
  return list;
}

const ranked = (ids: readonly string[], base = 1): { id: string; rank: number }[] => ids.map((id, i) => ({ id, rank: i + base }));
const calls = (moves: readonly { id: string; newRank: number }[]): { id: string; newRank: number }[] => moves.map(({ id, newRank }) => ({ id, newRank }));

describe('rankMoves', () => {
  it('moves nothing when the declared rules are already in order, whatever lies between them', () => {
    expect(rankMoves(ranked(['s1', 's2', 'a', 'x', 'b', 'c']), ['a', 'b', 'c'])).toEqual([]);
  });

  it('moves the one rule out of place to just after its desired predecessor', () => {
    // s1 s2 a b c d, want d first: d goes just before a (rank 3).
    expect(calls(rankMoves(ranked(['s1', 's2', 'a', 'b', 'c', 'd']), ['d', 'a', 'b', 'c']))).toEqual([{ id: 'd', newRank: 3 }]);
    // want a last: a goes just after d (rank 6 once it is taken out).
    expect(calls(rankMoves(ranked(['s1', 's2', 'a', 'b', 'c', 'd']), ['b', 'c', 'd', 'a']))).toEqual([{ id: 'a', newRank: 6 }]);
  });

  it('reverses three rules in two calls', () => {
    const moves = rankMoves(ranked(['a', 'b', 'c']), ['c', 'b', 'a']);
    expect(moves).toHaveLength(2);
    expect(simulate(['a', 'b', 'c'], moves)).toEqual(['c', 'b', 'a']);
  });

  // The numbering is learned, not assumed: every value comes from the shown ranks, so the same
  // moves work whatever the base and whether system rules are numbered with the custom ones.
  it('computes from the shown values: custom rules numbered on their own, system rules unranked or negative', () => {
    const current = [
      { id: 's1' },
      { id: 's2', rank: -1 },
      { id: 'a', rank: 1 },
      { id: 'b', rank: 2 },
      { id: 'c', rank: 3 },
    ];
    expect(calls(rankMoves(current, ['c', 'a', 'b']))).toEqual([{ id: 'c', newRank: 1 }]);
    expect(calls(rankMoves(current, ['b', 'c', 'a']))).toEqual([{ id: 'a', newRank: 3 }]);
  });

  it('computes from the shown values when system rules are pinned above (custom 5..n)', () => {
    const current = [...ranked(['s1', 's2', 's3', 's4']), ...ranked(['a', 'b', 'c'], 5)];
    expect(calls(rankMoves(current, ['c', 'a', 'b']))).toEqual([{ id: 'c', newRank: 5 }]);
  });

  it('ignores unranked rules and names the neighbours each move must reach', () => {
    const current = [{ id: 'a', rank: 1 }, { id: 'x' }, { id: 'b', rank: 2 }, { id: 'c', rank: 3 }];
    expect(rankMoves(current, ['c', 'x', 'a', 'b'])).toEqual([{ id: 'c', newRank: 1, before: 'a' }]);
  });

  it('ignores desired ids that are not listed and rejects duplicates', () => {
    expect(rankMoves(ranked(['a', 'b']), ['b', 'ghost', 'a'])).toHaveLength(1);
    expect(() => rankMoves(ranked(['a']), ['a', 'a'])).toThrow(/appears twice/);
  });

  it('finds a longest increasing run', () => {
    const xs = [3, 1, 4, 1, 5, 9, 2, 6];
    const run = longestIncreasingRun(xs);
    expect(run.length).toBe(lisLength(xs));
    expect(run.map((i) => xs[i]!).every((v, k, a) => k === 0 || a[k - 1]! < v)).toBe(true);
  });

  it('reaches the desired relative order with the fewest calls, leaving other rules in their relative order', () => {
    const scenario = fc
      .integer({ min: 1, max: 14 })
      .chain((n) => {
        const ids = Array.from({ length: n }, (_, i) => `r${i}`);
        return fc.record({
          current: fc.shuffledSubarray(ids, { minLength: n, maxLength: n }),
          declared: fc.shuffledSubarray(ids),
          base: fc.integer({ min: 1, max: 5 }),
        });
      });
    fc.assert(
      fc.property(scenario, ({ current, declared, base }) => {
        const moves = rankMoves(ranked(current, base), declared);
        const after = simulate(current, moves, base);
        const isDeclared = new Set(declared);
        expect(after.filter((id) => isDeclared.has(id))).toEqual(declared);
        expect(after.filter((id) => !isDeclared.has(id))).toEqual(current.filter((id) => !isDeclared.has(id)));
        const positions = current.filter((id) => isDeclared.has(id)).map((id) => declared.indexOf(id));
        expect(moves).toHaveLength(declared.length - lisLength(positions));
        expect(new Set(moves.map((m) => m.id)).size).toBe(moves.length);
        // the reorder preview after creates names the same rules without computing the calls
        expect(movedIds(ranked(current, base), declared)).toEqual(moves.map((m) => m.id));
      }),
      { numRuns: 400 },
    );
  });
});

describe('rankMoves: exact calls and neighbours', () => {
  it('names both neighbours of a move into the middle, and only the one that exists at either end', () => {
    const five = ranked(['a', 'b', 'c', 'd', 'e']);
    expect(rankMoves(five, ['a', 'd', 'b', 'c', 'e'])).toEqual([{ id: 'd', newRank: 2, after: 'a', before: 'b' }]);
    expect(rankMoves(five, ['b', 'c', 'a'])).toEqual([{ id: 'a', newRank: 3, after: 'c' }]);
    expect(rankMoves(five, ['c', 'a', 'b'])).toEqual([{ id: 'c', newRank: 1, before: 'a' }]);
  });

  it('reverses five rules in four calls, each to the bottom under dense insert', () => {
    expect(rankMoves(ranked(['a', 'b', 'c', 'd', 'e']), ['e', 'd', 'c', 'b', 'a'])).toEqual([
      { id: 'd', newRank: 5, after: 'e' },
      { id: 'c', newRank: 5, after: 'd' },
      { id: 'b', newRank: 5, after: 'c' },
      { id: 'a', newRank: 5, after: 'b' },
    ]);
  });

  it('says which id appears twice', () => {
    expect(() => rankMoves(ranked(['a']), ['b', 'a', 'b'])).toThrow('rankMoves: rule id b appears twice in the desired order');
  });

  it('reads tied ranks in list order', () => {
    const tied = [{ id: 'b', rank: 2 }, { id: 'x' }, { id: 'a', rank: 1 }, { id: 'c', rank: 2 }];
    expect(rankedInOrder(tied)).toEqual([{ id: 'a', rank: 1 }, { id: 'b', rank: 2 }, { id: 'c', rank: 2 }]);
    expect(rankMoves(tied, ['a', 'b', 'c'])).toEqual([]);
  });
});

describe('placeValue: the rank to send under dense insert, from the shown ranks', () => {
  const list = (...xs: [string, number][]) => xs.map(([id, rank]) => ({ id, rank }));
  it('lands just below `after`, from above it or from below it', () => {
    expect(placeValue(list(['m', 1], ['a', 2], ['b', 3]), 'm', 'a', undefined)).toBe(2);
    expect(placeValue(list(['a', 1], ['b', 2], ['m', 3]), 'm', 'a', undefined)).toBe(2);
  });

  it('lands just above `before`, from above it or from below it', () => {
    expect(placeValue(list(['a', 1], ['b', 2], ['m', 3]), 'm', undefined, 'b')).toBe(2);
    expect(placeValue(list(['m', 1], ['a', 2], ['b', 3]), 'm', undefined, 'b')).toBe(2);
    expect(placeValue(list(['a', 5], ['m', 6], ['b', 9]), 'm', undefined, 'b')).toBe(8);
  });

  it('never sends a rank below 1', () => {
    expect(placeValue(list(['m', -1], ['s', 0]), 'm', undefined, 's')).toBe(1);
    expect(placeValue(list(['p', -5], ['m', 0]), 'm', 'p', undefined)).toBe(1);
  });
});

describe('longestIncreasingRun: which run it keeps', () => {
  it('keeps the run ending at the smallest values, strictly increasing', () => {
    expect(longestIncreasingRun([3, 1, 4, 1, 5, 9, 2, 6])).toEqual([1, 2, 4, 7]);
    expect(longestIncreasingRun([2, 2, 2])).toEqual([2]);
    expect(longestIncreasingRun([])).toEqual([]);
    expect(longestIncreasingRun([0])).toEqual([0]);
    expect(longestIncreasingRun([5, 6, 1, 2, 3])).toEqual([2, 3, 4]);
  });
});

/** Every ordering of `xs`. */
function permutations<T>(xs: readonly T[]): T[][] {
  if (xs.length <= 1) return [[...xs]];
  return xs.flatMap((x, i) => permutations([...xs.slice(0, i), ...xs.slice(i + 1)]).map((rest) => [x, ...rest]));
}

describe('rankMoves: every order of five rules (deterministic, independent dense-insert model)', () => {
  it('moves a rule whose anchor an earlier move shifted to the anchor\'s new rank', () => {
    // e goes above b (rank 2), which pushes b, c, d down one; a then goes below d, now at 5.
    expect(rankMoves(ranked(['a', 'b', 'c', 'd', 'e']), ['e', 'b', 'c', 'd', 'a'])).toStrictEqual([
      { id: 'e', newRank: 2, before: 'b' },
      { id: 'a', newRank: 5, after: 'd' },
    ]);
    expect(rankMoves(ranked(['a', 'b', 'c', 'd', 'e']), ['b', 'a', 'd', 'c', 'e'])).toStrictEqual([
      { id: 'a', newRank: 2, after: 'b', before: 'd' },
      { id: 'c', newRank: 4, after: 'd', before: 'e' },
    ]);
  });

  it('reaches each of the 120 orders with the fewest calls, whatever the base, with unlisted rules in between', () => {
    const ids = ['a', 'b', 'c', 'd', 'e'];
    for (const base of [1, 3]) {
      for (const want of permutations(ids)) {
        const moves = rankMoves(ranked(ids, base), want);
        expect(simulate(ids, moves, base)).toEqual(want);
        expect(moves).toHaveLength(ids.length - lisLength(ids.map((id) => want.indexOf(id))));
      }
    }
    const withOthers = ['a', 'x', 'b', 'y', 'c', 'd'];
    for (const want of permutations(['a', 'b', 'c', 'd'])) {
      const after = simulate(withOthers, rankMoves(ranked(withOthers), want));
      expect(after.filter((id) => id !== 'x' && id !== 'y')).toEqual(want);
      expect(after.filter((id) => id === 'x' || id === 'y')).toEqual(['x', 'y']);
    }
  });

  it('reads three tied ranks in list order', () => {
    const tied = [{ id: 'c', rank: 4 }, { id: 'a', rank: 4 }, { id: 'd', rank: 1 }, { id: 'b', rank: 4 }];
    expect(rankedInOrder(tied).map((r) => r.id)).toEqual(['d', 'c', 'a', 'b']);
    const many = ['m', 'k', 'z', 'a', 'q', 'b', 'y', 'c', 'x', 'd', 'w', 'e'].map((id, i) => ({ id, rank: i % 2 }));
    expect(rankedInOrder(many).map((r) => r.id).join('')).toBe('mzqyxwkabcde');
  });
});
