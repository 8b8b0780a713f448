import type { RuleDetail, RuleSummary } from './types.js';

/**
 * Consistent reads or no writes. A listing the planner acts on must be complete and unambiguous:
 * a rule missing from it would be created again, a rule listed twice under two names would
 * lose one, a show answer about another rule would lead to an update of the wrong content.
 * These checks decide what counts as consistent; paging.ts applies them page by page, the live
 * read applies the show check. The wire readers (wire*.ts) only decide what a field means.
 */

/**
 * The most items one listing may hold: 10,000 rules per instance, 10,000 instances per project.
 * DBSS documents no maximum (decided here: ten times the largest `limit`); this bound keeps a
 * hostile or broken `total` from growing memory without end, and ends a listing without a
 * total that never answers an empty page (a listing claiming more is refused, not truncated).
 */
export const MAX_LISTED_ITEMS = 10_000;

/** Why a listing cannot be trusted; becomes an error for that listing alone. */
export class InconsistentListing extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InconsistentListing';
  }
}

/** What is known of a listing after a page. */
export interface PageFacts {
  /** Offset the page was asked for. */
  readonly offset: number;
  /** Limit the page was asked for. */
  readonly limit: number;
  /** Items in the page. */
  readonly count: number;
  /** `total` of this page, when given. */
  readonly total: number | undefined;
}

/** The problem with one page on its own, or undefined. A changed total is handled by the caller (re-list once). */
export function pageProblem(p: PageFacts): string | undefined {
  if (p.count > p.limit) return `a page has ${p.count} items for limit ${p.limit}`;
  const end = p.offset + p.count;
  // with a total within the maximum, items past the total are refused first, so the maximum holds
  if (p.total === undefined) return end > MAX_LISTED_ITEMS ? `more than ${MAX_LISTED_ITEMS} items listed (the most one listing may hold)` : undefined;
  if (p.total < 0 || p.total > MAX_LISTED_ITEMS) return `total ${p.total} is outside 0..${MAX_LISTED_ITEMS} (the most items one listing may hold)`;
  return end > p.total ? `items ${p.offset + 1}..${end} listed for a total of ${p.total}` : undefined;
}

/** The problem with a finished listing: fewer items than its total. */
export function completionProblem(listed: number, total: number | undefined): string | undefined {
  // without a total nothing is known to be missing
  return listed < (total ?? 0) ? `${listed} items listed of a total of ${total}` : undefined;
}

/** The id seen twice, described, or undefined. */
export function duplicateProblem(id: string, where: string): string {
  return `id ${JSON.stringify(id)} listed twice (${where})`;
}

/**
 * A show answer must be about the rule that was asked for: same id and name as the listing.
 * Both fields are optional in the show answer (the wire reader puts the requested id in place
 * of an absent one): only a present and different value is a mismatch, an absent one is not.
 */
export function shownRuleMismatch(asked: Pick<RuleSummary, 'id' | 'name'>, shown: Pick<RuleDetail, 'id' | 'name'>): string | undefined {
  if (shown.id !== asked.id) return `asked for rule ${JSON.stringify(asked.id)}, the answer is about rule ${JSON.stringify(shown.id)}`;
  if (shown.name !== undefined && shown.name !== asked.name) {
    return `rule ${JSON.stringify(asked.id)} is listed as ${JSON.stringify(asked.name)} but shown as ${JSON.stringify(shown.name)}`;
  }
  return undefined;
}
