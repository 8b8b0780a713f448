import { DbssApiError } from '../api/errors.js';
import type { RuleSummary } from '../api/types.js';
import { idProblem } from '../api/usable-id.js';
import { liveRuleList } from '../live/rule-kinds.js';
import { describeNumbering } from '../plan/rank-numbering.js';
import { placeValue, rankedInOrder, rankMoves, type RankMove } from '../plan/rank-moves.js';

/**
 * Applies one instance's reorder without assuming what `new_rank` means (API reference §9).
 *
 * Predicted mode (the shown numbering is gap-free): issue the first rank call, list once and
 * check that the rule shows the rank sent and sits between its neighbours. If it does, the
 * dense-insert reading holds on this region: the remaining calls are computed from that
 * listing and issued, then one list confirms the order.
 *
 * Safe mode (the prediction failed, or the numbering has gaps or ties): one move, one list,
 * and the next value is computed from what was observed. For each rule out of place the value
 * is searched: first the dense-insert guess, then the guess shifted by the offset just
 * observed (sent k, shown r), then bisection between the values known to be too high and too
 * low. Landing is monotonic in the value sent under every reading we know, so each rule needs
 * at most about log2(highest rank) + 2 calls, and a total budget bounds the whole reorder.
 *
 * The reorder is `applied` only when a listing shows the declared order; otherwise it fails
 * with what was observed.
 */

/** The calls a reorder makes; each is counted by the caller. */
export interface RankCalls {
  /** Lists the instance's rules (every page). */
  list(): Promise<readonly RuleSummary[]>;
  /** One SetRiskRuleRank call. */
  setRank(id: string, newRank: number): Promise<void>;
}

/** How a reorder ended. */
export interface ReorderOutcome {
  /** applied: a listing shows the order; failed: it does not (or a call failed); skipped: declared rules are missing. */
  readonly outcome: 'applied' | 'failed' | 'skipped';
  /** The numbering observed, e.g. `custom 1..7 dense; system rules unranked`. */
  readonly numbering: string;
  /** predicted: the dense-insert reading held; safe: moves were learned one listing at a time. */
  readonly mode: 'predicted' | 'safe';
  /** Declared ranked rule names in the last observed order. */
  readonly observed: readonly string[];
  /** setRank calls made. */
  readonly rankCalls: number;
  /** One line for people. */
  readonly detail: string;
}

/** The plan's rank calls (no creates on the instance), or undefined: compute from a listing. */
export type PlannedRankCalls = readonly { readonly id: string; readonly newRank: number }[] | undefined;

/** Where a rule is relative to the slot it must reach. */
type Landing = 'ok' | 'too-high' | 'too-low' | 'unranked';

function landing(list: readonly { id: string; rank: number }[], id: string, after?: string, before?: string): Landing {
  const at = list.findIndex((r) => r.id === id);
  if (at < 0) return 'unranked';
  if (list.slice(at + 1).some((r) => r.id === after)) return 'too-high';
  if (list.slice(0, at).some((r) => r.id === before)) return 'too-low';
  return 'ok';
}

/** Most rank calls a safe-mode reorder of `n` rules may make when ranks reach `top`. */
export function safeModeBudget(n: number, top: number): number {
  return n * (Math.ceil(Math.log2(Math.max(2, top + 2))) + 3) + 2;
}

/** Runs a reorder to the declared `order` (rule names, highest priority first). */
export async function applyReorder(calls: RankCalls, order: readonly string[], planned: PlannedRankCalls): Promise<ReorderOutcome> {
  let rules: RuleSummary[] | undefined;
  let rankCallCount = 0;
  const list = async (): Promise<RuleSummary[]> => (rules = liveRuleList(await calls.list()));
  // A rank call whose answer was lost may or may not have moved the rule: every path lists
  // after its calls and decides from what it sees, so such a failure is not the reorder's end.
  /** One rank call; true when its answer was lost. */
  const setRank = async (id: string, k: number): Promise<boolean> => {
    rankCallCount++;
    try {
      await calls.setRank(id, k);
      return false;
    } catch (err) {
      if (!(err instanceof DbssApiError && err.mayHaveApplied)) throw err;
      return true;
    }
  };

  let first: readonly RankMove[]; // planned calls carry no neighbours: only the rank they must show is checked
  if (planned && planned.length > 0) {
    first = planned;
  } else {
    await list();
    const missing = missingNames(rules!, order);
    if (missing.length > 0) return finish('skipped', 'predicted', `rules not found on the instance: ${missing.join(', ')}`);
    first = describeNumbering(rules!).predictable ? rankMoves(rules!, idsOf(rules!, order)) : [];
  }

  // Without a first call (gaps or ties, or nothing to move) only the order decides the mode.
  let predicted = true;
  if (first.length > 0) {
    const m = first[0]!;
    await setRank(m.id, m.newRank);
    await list();
    const shown = rules!.find((r) => r.id === m.id)?.rank;
    const placed = landing(rankedInOrder(rules!), m.id, m.after, m.before) === 'ok';
    predicted = shown === m.newRank && placed && describeNumbering(rules!).predictable;
    if (predicted) {
      const rest = rankMoves(rules!, idsOf(rules!, order));
      for (const r of rest) await setRank(r.id, r.newRank);
      if (rest.length > 0) await list();
    }
  }
  if (predicted && inOrder(rules!, order)) return finish('applied', 'predicted');
  const failure = await safeMode();
  return failure === undefined ? finish('applied', 'safe') : finish('failed', 'safe', failure);

  async function safeMode(): Promise<string | undefined> {
    const ids = idsOf(rules!, order);
    const top = Math.max(...rules!.flatMap((r) => (r.rank === undefined ? [] : [r.rank])), rules!.length);
    const budget = rankCallCount + safeModeBudget(ids.length, top);
    let carried = 0; // offset between the dense-insert guess and the value that worked last
    for (;;) {
      const move = rankMoves(rules!, ids)[0];
      if (move === undefined) return undefined;
      const { id, after, before } = move;
      let lo = 1;
      let hi = Math.max(...rules!.flatMap((r) => (r.rank === undefined ? [] : [r.rank])), rules!.length) + 1;
      const tried = new Set<number>();
      const resent = new Set<number>(); // values sent again after a lost answer
      const dense = (): number => placeValue(rankedInOrder(rules!), id, after, before);
      let guessed = dense();
      let k = guessed + carried >= 1 ? guessed + carried : guessed;
      for (;;) {
        if (rankCallCount >= budget) return `gave up after ${rankCallCount} rank calls without reaching the order`;
        const was = rankedInOrder(rules!).findIndex((r) => r.id === id);
        const lost = await setRank(id, k);
        await list();
        const ranked = rankedInOrder(rules!);
        const where = landing(ranked, id, after, before);
        // A lost answer and the rule where it was: the call may never have happened, so it
        // says nothing about k; send it again, once: the same place after that is k's answer.
        if (lost && where !== 'ok' && ranked.findIndex((r) => r.id === id) === was && !resent.has(k)) {
          resent.add(k);
          continue;
        }
        tried.add(k);
        if (where === 'ok') {
          carried = k - guessed;
          break;
        }
        if (where === 'unranked') return `rule ${nameOf(id)} shows no rank after new_rank ${k}`;
        if (where === 'too-high') lo = Math.max(lo, k + 1);
        else hi = Math.min(hi, k - 1);
        if (lo > hi) return `no new_rank puts ${nameOf(id)} ${neighbours(after, before)} (tried ${[...tried].join(', ')})`;
        // Next: the dense guess shifted by the offset just observed (sent k, shown r), then the
        // "value" reading (just below the predecessor's value), then bisection.
        const shown = ranked.find((r) => r.id === id)!.rank;
        guessed = dense();
        const byValue = after !== undefined ? ranked.find((r) => r.id === after)!.rank + 1 : ranked.find((r) => r.id === before)!.rank;
        const next = [guessed + (k - shown), byValue].find((g) => g >= lo && g <= hi && !tried.has(g));
        k = next ?? Math.floor((lo + hi) / 2);
      }
    }
  }

  function nameOf(id: string): string {
    return rules!.find((r) => r.id === id)?.name ?? id;
  }

  function neighbours(after?: string, before?: string): string {
    return [after && `below ${nameOf(after)}`, before && `above ${nameOf(before)}`].filter(Boolean).join(' and ');
  }

  /** The outcome; `failure` says why unless it is applied. */
  function finish(outcome: ReorderOutcome['outcome'], how: ReorderOutcome['mode'], failure?: string): ReorderOutcome {
    // Every outcome follows a listing: a call that fails outright throws instead.
    const numbering = describeNumbering(rules!).text;
    const observed = observedOrder(rules!, order);
    const unranked = order.filter((n) => rules!.some((r) => r.name === n && r.ruleType === 'CUSTOMIZE' && r.rank === undefined));
    const parts = [
      failure ?? 'order confirmed by a listing',
      `numbering: ${numbering}`,
      `${rankCallCount} rank call${rankCallCount === 1 ? '' : 's'} (${how === 'predicted' ? 'predicted' : 'safe mode: one move, one list'})`,
      ...(outcome === 'failed' ? [`observed order: ${observed.join(', ')}`] : []),
      ...(unranked.length > 0 ? [`unranked, not ordered: ${unranked.join(', ')}`] : []),
    ];
    return { outcome, numbering, mode: how, observed, rankCalls: rankCallCount, detail: parts.join('; ') };
  }
}

/** Declared names that no listed custom rule has. */
function missingNames(rules: readonly RuleSummary[], order: readonly string[]): string[] {
  const names = new Set(rules.filter((r) => r.ruleType === 'CUSTOMIZE').map((r) => r.name));
  return order.filter((n) => !names.has(n));
}

/** Ids of the declared rules that are listed as custom (first of a name). */
function idsOf(rules: readonly RuleSummary[], order: readonly string[]): string[] {
  const idOf = new Map<string, string>();
  for (const r of rules) if (r.ruleType === 'CUSTOMIZE' && !idOf.has(r.name)) idOf.set(r.name, r.id);
  // A rule whose id cannot be sent (usable-id.ts) cannot be placed.
  return order.flatMap((n) => (idOf.has(n) && idProblem(idOf.get(n)!) === undefined ? [idOf.get(n)!] : []));
}

/** The declared, ranked rules in the order the list shows. */
function observedOrder(rules: readonly RuleSummary[], order: readonly string[]): string[] {
  const declared = new Set(order);
  return rankedInOrder(rules)
    .map((r) => rules.find((x) => x.id === r.id)!)
    .filter((r) => r.ruleType === 'CUSTOMIZE' && declared.has(r.name))
    .map((r) => r.name);
}

/** The declared ranked rules show in declared order. */
function inOrder(rules: readonly RuleSummary[], order: readonly string[]): boolean {
  return rankMoves(rules, idsOf(rules, order)).length === 0;
}
