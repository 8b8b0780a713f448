import { InconsistentListing, MAX_LISTED_ITEMS } from '../../api/list-consistency.js';
import type { KindApi, KindTarget, LiveObject } from '../kind.js';
import { decodeListPage, listCall, listLimit } from './wire.js';

/**
 * Every whitelist entry of an instance, each once. ListWhitelists pages by integer `offset` and
 * `limit` (10..100): the limit sent is the client's page size raised to 10 and capped at 100.
 * The next offset moves by the items a page held, not by the limit asked, so a server that
 * answers shorter pages than asked (a page cap) is read in full all the same. The listing ends
 * when `total` entries are listed; without a total, at an empty page or at a page shorter than
 * the longest one seen (a cap shortens every page alike). A no-change plan of n entries costs
 * ceil(n / limit) pages (one when there are none) when the answers carry `total`.
 * An id listed twice, a total that changes between pages, or more or fewer entries than the
 * total starts the listing over once, then fails (InconsistentListing).
 */

/** The page caps the emulator's whitelistPageCap option offers (probe builds a profile from what a read settled). */
const EMULATED_CAPS: readonly number[] = [3];

/** The entries and what the listing learned. */
export interface Listing {
  /** Every entry, in list order. */
  readonly objects: readonly LiveObject[];
  /** What was learned or odd (page cap, no total, items not understood). */
  readonly observations: readonly string[];
  /** The emulator options (emulator.ts) the answers settled, for `probe`. */
  readonly learned: { readonly [option: string]: string };
}

/** Reads every page; see the module comment. */
export async function listWhitelist(api: KindApi, target: KindTarget): Promise<Listing> {
  for (let pass = 1; ; pass++) {
    try {
      return await onePass(api, target);
    } catch (err) {
      if (!(err instanceof InconsistentListing) || pass >= 2) throw err;
    }
  }
}

async function onePass(api: KindApi, target: KindTarget): Promise<Listing> {
  const limit = listLimit(api.pageSize);
  const objects: LiveObject[] = [];
  const observations: string[] = [];
  const ids = new Set<string>();
  let total: number | undefined;
  let longest = 0;
  let pages = 0;
  let offset = 0;
  let noDatabases: string | undefined;
  let capped = false;
  let previous: number | undefined;
  for (;;) {
    const page = decodeListPage(await api.read(target, listCall(offset, limit)), offset);
    if (pages > 0 && page.total !== total) throw new InconsistentListing(`total changed from ${total} to ${page.total} between pages`);
    total = page.total;
    pages++;
    observations.push(...page.oddities);
    noDatabases ??= page.noDatabases;
    for (const o of page.entries) {
      // an entry without an id cannot be told from another: each is kept (and left alone by the planner)
      if (o.id !== '' && ids.has(o.id)) throw new InconsistentListing(`whitelist entry id ${JSON.stringify(o.id)} listed twice (offset ${offset})`);
      if (o.id !== '') ids.add(o.id);
      objects.push(o);
    }
    if (objects.length > MAX_LISTED_ITEMS) throw new InconsistentListing(`more than ${MAX_LISTED_ITEMS} whitelist entries listed (the most one listing may hold)`);
    offset += page.items;
    // a page short of the limit with more entries after it: the server caps its pages
    if (previous !== undefined && previous < limit && page.items > 0) capped = true;
    previous = page.items;
    const shorter = page.items < longest;
    longest = Math.max(longest, page.items);
    if (page.items === 0 || (total !== undefined ? offset >= total : shorter)) break;
  }
  if (total !== undefined && offset !== total) throw new InconsistentListing(`${offset} whitelist entries listed for a total of ${total}`);
  if (total === undefined) observations.push('the whitelist answers carry no total: the listing ended at an empty or shorter page');
  if (capped) observations.push(`whitelist pages hold at most ${longest} entries (asked for ${limit})`);
  const learned: Record<string, string> = { whitelistTotal: total === undefined ? 'absent' : 'present' };
  // a cap shows only when a page came back short of the limit with more entries after it
  if (longest >= limit) learned.whitelistPageCap = 'none';
  // only a cap the emulator offers as a reading is an option value; any other is said above only
  else if (capped && EMULATED_CAPS.includes(longest)) learned.whitelistPageCap = String(longest);
  if (noDatabases !== undefined) learned.whitelistEmptyDatabases = noDatabases;
  return { objects, observations, learned };
}
