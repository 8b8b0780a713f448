/**
 * Rank arithmetic of an instance's rule list, shared by the planner (to predict the moves) and
 * the apply engine (to issue them after creates, from a fresh listing).
 *
 * Semantics (what the emulator implements; the real API's renumbering is unconfirmed): the rules
 * of an instance, system and custom, hold ranks 1..n without gaps; `setRank(id, k)` takes the
 * rule out of the ordered list and inserts it so that its rank becomes k (clamped to 1..n), and
 * the list is renumbered 1..n. A create appends at n+1; a delete removes and renumbers.
 */

/** A rule's place in the current list. */
export interface RankedRule {
  /** Rule id. */
  readonly id: string;
  /** Current rank (smaller is higher priority); gaps and ties are read in list order. */
  readonly rank: number;
}

/** One setRank call. */
export interface RankMove {
  /** Rule id to move. */
  readonly id: string;
  /** Rank to give it, valid at the moment the call is issued. */
  readonly newRank: number;
}

/**
 * The exact sequence of setRank calls that brings the rules of `desiredOrder` (highest priority
 * first) into that relative order with the fewest calls. Every other rule keeps its relative
 * place. The rules already in a longest increasing run (by desired position, read in current
 * rank order) stay; each other one moves once, in desired order, to just after its nearest
 * already-placed desired predecessor (or just before its nearest placed successor).
 * Ids of `desiredOrder` absent from `current` are ignored (nothing can place them).
 */
export function rankMoves(current: readonly RankedRule[], desiredOrder: readonly string[]): RankMove[] {
  const want = new Map<string, number>();
  desiredOrder.forEach((id, i) => {
    if (want.has(id)) throw new Error(`rankMoves: rule id ${id} appears twice in the desired order`);
    want.set(id, i);
  });
  const list = orderedIds(current);
  const present = list.filter((id) => want.has(id));
  if (present.every((id, i) => i === 0 || want.get(present[i - 1]!)! < want.get(id)!)) return []; // already in order: the usual case
  const kept = longestIncreasingRun(present.map((id) => want.get(id)!)).map((i) => present[i]!);
  const placed = new Set(kept);
  const presentSet = new Set(present);
  const moves: RankMove[] = [];
  for (const id of desiredOrder) {
    if (!presentSet.has(id) || placed.has(id)) continue;
    const d = want.get(id)!;
    list.splice(list.indexOf(id), 1); // in place: a large plan makes thousands of moves
    const pred = nearestPlaced(desiredOrder, placed, d, -1);
    const index = pred !== undefined ? list.indexOf(pred) + 1 : list.indexOf(nearestPlaced(desiredOrder, placed, d, +1)!);
    list.splice(index, 0, id);
    moves.push({ id, newRank: index + 1 });
    placed.add(id);
  }
  return moves;
}

/** Ids in rank order (ties keep their input order). */
function orderedIds(current: readonly RankedRule[]): string[] {
  if (current.every((r, i) => i === 0 || current[i - 1]!.rank <= r.rank)) return current.map((r) => r.id); // the usual case
  return current
    .map((r, i) => ({ r, i }))
    .sort((a, b) => a.r.rank - b.r.rank || a.i - b.i)
    .map((x) => x.r.id);
}

/** The placed id nearest to desired position d in direction step (-1 = before, +1 = after). */
function nearestPlaced(order: readonly string[], placed: ReadonlySet<string>, d: number, step: 1 | -1): string | undefined {
  for (let i = d + step; i >= 0 && i < order.length; i += step) {
    if (placed.has(order[i]!)) return order[i];
  }
  return undefined;
}

/**
 * Indexes of one longest strictly increasing subsequence of `xs` (patience sorting, O(n log n)).
 * Deterministic: among equally long runs it keeps the one ending at the smallest tail values.
 */
export function longestIncreasingRun(xs: readonly number[]): number[] {
  const tails: number[] = []; // tails[k] = index of the smallest tail of a run of length k+1
  const prev: number[] = new Array<number>(xs.length).fill(-1);
  xs.forEach((x, i) => {
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (xs[tails[mid]!]! < x) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0) prev[i] = tails[lo - 1]!;
    tails[lo] = i;
  });
  const run: number[] = [];
  for (let i = tails.length > 0 ? tails[tails.length - 1]! : -1; i >= 0; i = prev[i]!) run.push(i);
  return run.reverse();
}
