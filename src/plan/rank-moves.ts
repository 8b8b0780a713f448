/**
 * Rank arithmetic of an instance's rule list, shared by the planner (to predict the moves) and
 * the apply engine (to issue them from a listing).
 *
 * The real API's numbering is unconfirmed (API reference §9): whether system rules carry a
 * rank, whether system and custom rules share one numbering, its base, gaps, and what
 * `new_rank` means. So nothing here assumes a base or a scope: every value is computed from
 * the rank values the list shows. The one reading used for a prediction is "dense insert":
 * setRank(id, k) takes the rule out of its numbering (the rules below it move up one) and
 * inserts it so that its rank becomes k (the rules from k down move down one). Under that
 * reading the rank to send only depends on the shown ranks of the moved rule and its new
 * neighbour, whatever the base and whether system rules are numbered with the custom ones.
 * Apply checks the prediction by listing after the first call and falls back to learning
 * (src/apply/rank-apply.ts) when the region reads it otherwise (gaps, values, pinned rules).
 * Unranked rules (no rank in the list) take no part.
 */

/** A rule's place in the current list. */
export interface RankedRule {
  /** Rule id. */
  readonly id: string;
  /** Shown rank (smaller is higher priority); ties are read in list order; undefined = unranked. */
  readonly rank?: number | undefined;
}

/** One setRank call. */
export interface RankMove {
  /** Rule id to move. */
  readonly id: string;
  /** Rank to send, valid at the moment the call is issued (dense-insert reading). */
  readonly newRank: number;
  /** The placed rule it must end up just below (its nearest placed desired predecessor), if any. */
  readonly after?: string;
  /** The placed rule it must end up above (its nearest placed desired successor), if any. */
  readonly before?: string;
}

/** Ranked rules in priority order (ties keep input order), with their shown ranks. */
export function rankedInOrder(current: readonly RankedRule[]): { id: string; rank: number }[] {
  const ranked: { id: string; rank: number }[] = [];
  for (const r of current) if (r.rank !== undefined) ranked.push({ id: r.id, rank: r.rank });
  // Array.prototype.sort is stable: ties keep input order.
  return ranked.sort((a, b) => a.rank - b.rank);
}

/**
 * The rank to send so that `id` lands just below `after` (or, without it, just above
 * `before`) under the dense-insert reading, from the shown ranks. Never below 1 (new_rank
 * "starts at 1").
 */
export function placeValue(list: readonly { id: string; rank: number }[], id: string, after: string | undefined, before: string | undefined): number {
  const pos = (x: string): number => list.findIndex((r) => r.id === x);
  const at = pos(id);
  if (after !== undefined) {
    const p = list[pos(after)]!;
    return Math.max(1, at < pos(after) ? p.rank : p.rank + 1);
  }
  const s = list[pos(before!)]!;
  return Math.max(1, at < pos(before!) ? s.rank - 1 : s.rank);
}

/** Desired positions by id; an id listed twice is a caller's bug. */
function positions(desiredOrder: readonly string[]): Map<string, number> {
  const want = new Map<string, number>();
  desiredOrder.forEach((id, i) => {
    if (want.has(id)) throw new Error(`rankMoves: rule id ${id} appears twice in the desired order`);
    want.set(id, i);
  });
  return want;
}

/**
 * What a reorder starts from: the ranked rules in order, the listed ids of `desiredOrder` that
 * stay (one longest run already in desired order), and the others, which move, in desired order.
 */
function startingPoint(current: readonly RankedRule[], desiredOrder: readonly string[]) {
  const want = positions(desiredOrder);
  const list = rankedInOrder(current);
  const present = list.map((r) => r.id).filter((id) => want.has(id));
  const kept = new Set(longestIncreasingRun(present.map((id) => want.get(id)!)).map((i) => present[i]!));
  const listed = new Set(present);
  return { want, list, kept, moving: desiredOrder.filter((id) => listed.has(id) && !kept.has(id)) };
}

/**
 * The ids rankMoves moves, in its order, without computing the calls. Cheap enough to preview a
 * reorder whose calls apply works out from a fresh listing.
 */
export function movedIds(current: readonly RankedRule[], desiredOrder: readonly string[]): string[] {
  return startingPoint(current, desiredOrder).moving;
}

/**
 * The exact sequence of setRank calls that brings the ranked rules of `desiredOrder` (highest
 * priority first) into that relative order with the fewest calls, under the dense-insert
 * reading. Every other rule keeps its relative place. The rules already in a longest
 * increasing run (by desired position, read in current rank order) stay; each other one moves
 * once, in desired order, to just after its nearest already-placed desired predecessor (or just
 * before its nearest placed successor). Ids of `desiredOrder` absent or unranked in `current`
 * are ignored (nothing can place them).
 */
export function rankMoves(current: readonly RankedRule[], desiredOrder: readonly string[]): RankMove[] {
  // list: fresh objects, which the moves below update in place
  const { want, list, kept: placed, moving } = startingPoint(current, desiredOrder);
  const moves: RankMove[] = [];
  for (const id of moving) {
    const d = want.get(id)!;
    const after = nearestPlaced(desiredOrder, placed, d, -1);
    const before = nearestPlaced(desiredOrder, placed, d, +1);
    const newRank = placeValue(list, id, after, before);
    simulateMove(list, id, newRank, after, before);
    moves.push({ id, newRank, ...(after === undefined ? {} : { after }), ...(before === undefined ? {} : { before }) });
    placed.add(id);
  }
  return moves;
}

/**
 * The list after a dense-insert move, in place (a large plan makes thousands of moves): shown
 * values shift as the reading says; the order puts `id` next to its neighbour.
 */
function simulateMove(list: { id: string; rank: number }[], id: string, b: number, after: string | undefined, before: string | undefined): void {
  const [moved] = list.splice(list.findIndex((r) => r.id === id), 1);
  const a = moved!.rank;
  for (const r of list) {
    if (a < b && r.rank > a && r.rank <= b) r.rank -= 1;
    else if (b < a && r.rank >= b && r.rank < a) r.rank += 1;
  }
  moved!.rank = b;
  list.splice(after !== undefined ? list.findIndex((r) => r.id === after) + 1 : list.findIndex((r) => r.id === before), 0, moved!);
}

/** The placed id nearest to desired position d in direction step (-1 = before, +1 = after). */
function nearestPlaced(order: readonly string[], placed: ReadonlySet<string>, d: number, step: 1 | -1): string | undefined {
  for (let i = d + step; ; i += step) {
    const id = order[i]; // undefined past either end
    if (id === undefined || placed.has(id)) return id;
  }
}

/**
 * Indexes of one longest strictly increasing subsequence of `xs` (patience sorting, O(n log n)).
 * Deterministic: among equally long runs it keeps the one ending at the smallest tail values.
 */
export function longestIncreasingRun(xs: readonly number[]): number[] {
  const tails: number[] = []; // tails[k] = index of the smallest tail of a run of length k+1
  const prev: number[] = []; // prev[i] = index of the element before xs[i] in its run, -1 for none
  xs.forEach((x, i) => {
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (xs[tails[mid]!]! < x) lo = mid + 1;
      else hi = mid;
    }
    prev[i] = tails[lo - 1] ?? -1;
    tails[lo] = i;
  });
  const run: number[] = [];
  for (let i = tails[tails.length - 1] ?? -1; i >= 0; i = prev[i]!) run.push(i);
  return run.reverse();
}
