import type { Fail } from './wire-reader.js';
import type { Page } from './wire.js';

/**
 * Every item of an offset/limit list: fetches pages until `offset >= total` (or, without a
 * total, a short page), advancing by the items actually returned. Items are deduplicated by
 * key; a page that brings nothing new before the end is an error rather than an endless loop.
 */
export async function collectPages<T>(
  fetchPage: (offset: number, limit: number) => Promise<Page<T>>,
  pageSize: number,
  key: (item: T) => string,
  fail: Fail,
): Promise<T[]> {
  const items: T[] = [];
  const seen = new Set<string>();
  for (let offset = 0; ; ) {
    const page = await fetchPage(offset, pageSize);
    let fresh = 0;
    for (const item of page.items) {
      if (seen.has(key(item))) continue;
      seen.add(key(item));
      items.push(item);
      fresh += 1;
    }
    offset += page.items.length;
    const done = page.items.length === 0 || (page.total !== undefined ? offset >= page.total : page.items.length < pageSize);
    if (done) return items;
    if (fresh === 0) fail(`paging made no progress at offset ${offset}: the page repeated items already listed (total ${page.total})`);
  }
}
