import { InconsistentListing, completionProblem, duplicateProblem, pageProblem } from './list-consistency.js';
import type { Page } from './wire.js';

/**
 * Every item of an offset/limit list: fetches pages until `offset >= total` (or, without a
 * total, an empty page), advancing by the items actually returned. A short page is never the
 * end on its own: a gateway may cap pages below the limit asked for, with or without a total.
 * Without a total the listing is bounded by MAX_LISTED_ITEMS (pageProblem refuses more). The listing must be
 * consistent (list-consistency.ts): no page larger than its limit, no id twice, no fewer items
 * than the total, a total within the documented maximum. When the total changes between pages
 * (someone created or deleted meanwhile) the listing starts over once; a second change is an
 * error. Throws InconsistentListing; the caller names the call.
 */
export async function collectPages<T>(
  fetchPage: (offset: number, limit: number) => Promise<Page<T>>,
  pageSize: number,
  key: (item: T) => string,
): Promise<T[]> {
  for (let pass = 1; ; pass++) {
    const listed = await onePass(fetchPage, pageSize, key);
    if ('items' in listed) return listed.items;
    if (pass >= 2) throw new InconsistentListing(`${listed.change}, also when listed again from the start`);
  }
}

/** A pass lists every item, or stops at a total that changed between pages. */
type Pass<T> = { readonly items: T[] } | { readonly change: string };

async function onePass<T>(fetchPage: (offset: number, limit: number) => Promise<Page<T>>, limit: number, key: (item: T) => string): Promise<Pass<T>> {
  const items: T[] = [];
  const seen = new Set<string>();
  let firstTotal: number | undefined;
  for (let offset = 0, first = true; ; first = false) {
    const p = await fetchPage(offset, limit);
    if (first) firstTotal = p.total;
    else if (p.total !== firstTotal) return { change: `total changed from ${firstTotal} to ${p.total} between pages` };
    const problem = pageProblem({ offset, limit, count: p.items.length, total: p.total });
    if (problem) throw new InconsistentListing(problem);
    for (const item of p.items) {
      const k = key(item);
      if (seen.has(k)) throw new InconsistentListing(duplicateProblem(k, `at offset ${offset}`));
      seen.add(k);
      items.push(item);
    }
    offset += p.items.length;
    // without a total, only an empty page ends the listing
    const end = p.items.length === 0 || offset >= (p.total ?? Infinity);
    if (end) {
      const incomplete = completionProblem(items.length, p.total);
      if (incomplete) throw new InconsistentListing(incomplete);
      return { items };
    }
  }
}
