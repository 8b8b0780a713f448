import { DbssApiError } from '../../api/errors.js';
import { InconsistentListing, MAX_LISTED_ITEMS } from '../../api/list-consistency.js';
import type { KindApi, KindTarget, LiveObject } from '../kind.js';
import { decodeListPage, listCall, type ListPage } from './wire.js';

/**
 * Every SQL-injection rule of an instance, each exactly once. The list is paged by `page` and
 * `size` (a POST body), and neither the base of `page` (0 or 1) nor the largest `size` is
 * documented, so both are learned from the answers:
 * - page 0 is asked first. When it does not hold every rule (by `total`), page 1 is asked: the
 *   same rules again mean page 0 was read as page 1 (base 1); other rules mean base 0; an empty
 *   page 0, or a 400 for it, means base 1. Either way the next page to ask is 2.
 * - a server that caps `size` answers pages shorter than asked; page numbers still count its
 *   pages, so a short page is the end only when it is shorter than the longest page seen, or
 *   when `total` says every rule is listed. Without a total, a page shorter than asked (and
 *   not shorter than the others) is followed by one more ask, ended by an empty page.
 * - a server that refuses a `size` above its maximum answers 400 for page 0 and page 1 alike:
 *   the listing starts over with pages of 100 (the documented default of this API's other
 *   lists), then of 10.
 * - a rule id listed twice after that, a total that changes between pages, fewer or more rules
 *   than the total: the listing starts over once, then fails (InconsistentListing).
 */

/** Page sizes tried after the client's page size is refused. */
const SMALLER_SIZES = [100, 10];

/** Both page 0 and page 1 refused: the page size is what the server refuses. */
class SizeRefused extends Error {
  constructor(readonly code: string) {
    super('page size refused');
  }
}

/** The rules and what the listing learned. */
export interface Listing {
  /** Every rule, in list order (page by page). */
  readonly objects: readonly LiveObject[];
  /** What was learned or odd (page base, page cap, no total, items not understood). */
  readonly observations: readonly string[];
  /** The emulator options (emulator.ts) the answers settled, for `probe`. */
  readonly learned: { readonly [option: string]: string };
}

/** Reads every page; see the module comment. */
export async function listAll(api: KindApi, target: KindTarget): Promise<Listing> {
  const sizes = [api.pageSize, ...SMALLER_SIZES.filter((s) => s < api.pageSize)];
  const refused: string[] = [];
  for (const [i, size] of sizes.entries()) {
    try {
      const listing = await consistentListing(api, target, size);
      if (refused.length === 0) return listing;
      // the emulator's reading: sizes above 100 refused
      const learned = size === 100 && sizes[i - 1]! > 100 ? { ...listing.learned, sqlRuleSizeCap: '100-refused' } : listing.learned;
      return { ...listing, observations: [...refused, ...listing.observations], learned };
    } catch (err) {
      if (!(err instanceof SizeRefused)) throw err;
      if (i === sizes.length - 1) throw err.cause;
      refused.push(`pages of ${size} rules were refused (400${err.code}): pages of ${sizes[i + 1]} asked`);
    }
  }
  throw new Error('unreachable');
}

async function consistentListing(api: KindApi, target: KindTarget, size: number): Promise<Listing> {
  for (let pass = 1; ; pass++) {
    try {
      return await onePass(api, target, size);
    } catch (err) {
      if (!(err instanceof InconsistentListing) || pass >= 2) throw err;
    }
  }
}

/** A 400 for page 0 is a server numbering pages from 1 refusing page 0. */
const refusedPage = (err: unknown): boolean => err instanceof DbssApiError && err.kind === 'http' && err.status === 400;

const errorCodeOf = (err: unknown): string => (err instanceof DbssApiError && err.errorCode !== undefined ? ` ${err.errorCode}` : '');

async function onePass(api: KindApi, target: KindTarget, size: number): Promise<Listing> {
  const fetchPage = async (page: number): Promise<ListPage> => decodeListPage(await api.read(target, listCall(page, size)), page);
  const observations: string[] = [];
  const learned: Record<string, string> = {};
  const objects: LiveObject[] = [];
  const ids = new Set<string>();
  let total: number | undefined;
  let longest = 0;
  let pagesWithRules = 0;
  const add = (p: ListPage, page: number): void => {
    if (p.total !== total) throw new InconsistentListing(`total changed from ${total} to ${p.total} between pages`);
    for (const r of p.rules) {
      observations.push(...r.oddities);
      if (r.riskCase) learned.sqlRuleRiskCase = r.riskCase;
      // an item without an id cannot be told from another: each is kept (and left alone by the planner)
      if (r.object.id !== '' && ids.has(r.object.id)) throw new InconsistentListing(`rule id ${JSON.stringify(r.object.id)} listed twice (page ${page})`);
      if (r.object.id !== '') ids.add(r.object.id);
      objects.push(r.object);
    }
    if (objects.length > MAX_LISTED_ITEMS) throw new InconsistentListing(`more than ${MAX_LISTED_ITEMS} rules listed (the most one listing may hold)`);
    longest = Math.max(longest, p.rules.length);
    if (p.rules.length > 0) pagesWithRules++;
  };
  const complete = (): boolean => total !== undefined && objects.length >= total;

  let next: number;
  let zero: ListPage | undefined;
  try {
    zero = await fetchPage(0);
  } catch (err) {
    if (!refusedPage(err)) throw err;
    observations.push(`page base 1 (page 0 was refused: 400${errorCodeOf(err)})`);
    learned.sqlRulePageBase = '1-refused';
  }
  if (zero === undefined) {
    let one: ListPage;
    try {
      one = await fetchPage(1);
    } catch (err) {
      if (!refusedPage(err)) throw err;
      throw Object.assign(new SizeRefused(errorCodeOf(err)), { cause: err });
    }
    total = one.total;
    add(one, 1);
    next = 2;
  } else {
    total = zero.total;
    add(zero, 0);
    if (complete() || (zero.rules.length === 0 && total === 0)) return finish(objects, total, { observations, learned }, size, longest, pagesWithRules);
    const one = await fetchPage(1);
    if (zero.rules.length === 0) {
      if (one.rules.length > 0) {
        observations.push('page base 1 (page 0 listed nothing, page 1 listed rules)');
        learned.sqlRulePageBase = '1-empty';
      }
      add(one, 1);
    } else if (samePage(zero, one)) {
      observations.push('page base 1 (page 0 listed the same rules as page 1)');
      learned.sqlRulePageBase = '1';
      if (one.total !== total) throw new InconsistentListing(`total changed from ${total} to ${one.total} between pages`);
    } else {
      if (one.rules.length > 0) {
        observations.push('page base 0 (pages 0 and 1 listed different rules)');
        learned.sqlRulePageBase = '0';
      }
      add(one, 1);
    }
    if (one.rules.length === 0) return finish(objects, total, { observations, learned }, size, longest, pagesWithRules);
    next = 2;
  }
  for (let page = next; !complete(); page++) {
    const p = await fetchPage(page);
    add(p, page);
    // a page shorter than the longest one is the end even without a total (a cap shortens every page alike)
    if (p.rules.length === 0 || (total === undefined && p.rules.length < longest)) break;
  }
  return finish(objects, total, { observations, learned }, size, longest, pagesWithRules);
}

/** Two answers list the same rules (by id, else by name), in the same order. */
function samePage(a: ListPage, b: ListPage): boolean {
  const key = (p: ListPage): string => JSON.stringify(p.rules.map((r) => r.object.id || `name:${r.object.key}`));
  return key(a) === key(b);
}

/**
 * The listing, checked against its total, with what the pages showed: a total or none, ranks or
 * none, pages shorter than asked (a cap; the emulator's reading is a cap of 3) or as long.
 */
function finish(
  objects: LiveObject[],
  total: number | undefined,
  facts: { observations: string[]; learned: Record<string, string> },
  size: number,
  longest: number,
  pagesWithRules: number,
): Listing {
  const { observations, learned } = facts;
  if (total !== undefined && objects.length !== total) throw new InconsistentListing(`${objects.length} rules listed for a total of ${total}`);
  if (total === undefined) observations.push('the list answers carry no total: the listing ended at an empty or shorter page');
  if (pagesWithRules > 1 && longest < size) observations.push(`pages hold at most ${longest} rules (asked for ${size})`);
  if (objects.length > 0) {
    learned.sqlRuleTotal = total === undefined ? 'absent' : 'present';
    learned.sqlRuleRank = objects.some((o) => o.rank !== undefined) ? 'present' : 'absent';
  }
  if (longest === size) learned.sqlRuleSizeCap = 'none';
  else if (pagesWithRules > 1 && longest === 3) learned.sqlRuleSizeCap = '3';
  return { objects, observations, learned };
}
