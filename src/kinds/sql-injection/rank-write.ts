import { DbssApiError } from '../../api/errors.js';
import { DbssPolicyError } from '../../errors.js';
import type { KindApi, KindTarget, LiveObject } from '../kind.js';
import { listAll } from './list-pages.js';
import { rankCall } from './wire.js';

/**
 * The order write of SQL-injection rules. `SetSqlRuleRank` takes `{ids:[…]}` in priority order;
 * whether DBSS needs just the rules to reorder, every custom rule, or every rule (system ones
 * too) is not documented. So the smallest list is tried first and each try is checked by
 * listing again: the declared custom rules in declared order; then every custom rule (the
 * declared ones in declared order in the places the declared ones hold, the others where they
 * are); then every rule, likewise. A refusal (400 or FAILED) or a SUCCESS the list does not
 * show moves on to the next extent; the larger lists fix whatever a smaller one may have done.
 */

/** How much of the rule list a rank call names. */
export const RANK_EXTENTS = ['declared', 'customs', 'all'] as const;
/** One extent. */
export type RankExtent = (typeof RANK_EXTENTS)[number];

/** The rules in list priority order (ranked ones by rank, unranked ones after them in list order). */
function byRank(objects: readonly LiveObject[]): LiveObject[] {
  const ranked = objects.filter((o) => o.rank !== undefined).sort((a, b) => a.rank! - b.rank!);
  return [...ranked, ...objects.filter((o) => o.rank === undefined)];
}

/** The custom rule listed under each declared name (names listed twice are left out by the planner). */
function declaredRules(objects: readonly LiveObject[], order: readonly string[]): LiveObject[] {
  return order.flatMap((key) => {
    const found = objects.filter((o) => !o.builtIn && o.key === key);
    return found.length === 1 ? found : [];
  });
}

/** The ids a rank call of `extent` sends to bring `order` about. */
export function rankIds(extent: RankExtent, objects: readonly LiveObject[], order: readonly string[]): string[] {
  const wanted = declaredRules(objects, order);
  if (extent === 'declared') return wanted.map((o) => o.id);
  const ids = new Set(wanted.map((o) => o.id));
  const sequence = byRank(extent === 'customs' ? objects.filter((o) => !o.builtIn) : objects);
  let next = 0;
  // each place a declared rule holds is given the next declared rule in declared order
  return sequence.map((o) => (ids.has(o.id) ? wanted[next++]! : o).id);
}

/** True when the declared rules are listed ranked in declared order. */
export function showsOrder(objects: readonly LiveObject[], order: readonly string[]): boolean {
  const wanted = declaredRules(objects, order);
  return wanted.length === order.length && wanted.every((o, i) => o.rank !== undefined && (i === 0 || wanted[i - 1]!.rank! < o.rank));
}

/** A refusal of the rank call: a 4xx, or a 200 answering FAILED. */
const refused = (err: unknown): err is DbssApiError =>
  err instanceof DbssApiError && (err.kind === 'business' || (err.kind === 'http' && err.status !== undefined && err.status >= 400 && err.status < 500 && err.status !== 429));

/** Brings the declared rules into `order` (see the module comment). */
export async function writeOrder(api: KindApi, target: KindTarget, order: readonly string[]): Promise<void> {
  let live = (await listAll(api, target)).objects;
  if (showsOrder(live, order)) return;
  // without ranks in the list nothing could show an order: the plan notes it, nothing is sent
  if (!live.some((o) => o.rank !== undefined)) return;
  const tried: string[] = [];
  for (const extent of RANK_EXTENTS) {
    try {
      await api.write(target, rankCall(rankIds(extent, live, order)));
    } catch (err) {
      if (!refused(err)) throw err;
      tried.push(`${extent} ids: refused (${err.kind === 'business' ? 'FAILED' : `${err.status} ${err.errorCode ?? ''}`.trim()})`);
      continue;
    }
    live = (await listAll(api, target)).objects;
    if (showsOrder(live, order)) return;
    tried.push(`${extent} ids: answered SUCCESS, the list does not show the order`);
  }
  throw new DbssPolicyError('NOT_CONVERGED', `SQL-injection rule order not taken on instance ${target.instanceId}: ${tried.join('; ')}`);
}
