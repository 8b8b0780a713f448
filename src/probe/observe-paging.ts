import type { PagingFacts } from './probe-context.js';
import type { Observation } from './types.js';

/**
 * What one paged rule listing says about the gateway's paging (dbss-api.md §9, issue 18): whether
 * the list carries `total`, and whether pages were cut below the limit asked for. A cap shows
 * only when the instance has more rules than the cap: a listing that fits one page settles "no
 * cap" only for listings of its size, and says so.
 */
export function pagingObservations(p: PagingFacts): Observation[] {
  const out: Observation[] = [
    p.totalGiven
      ? { point: 'list total', observed: 'the rule list carries total', option: 'listTotal', value: 'present' }
      : { point: 'list total', observed: 'the rule list carries no total: listed until an empty page', option: 'listTotal', value: 'absent' },
  ];
  const nonEmpty = p.pageSizes.filter((n) => n > 0);
  const largest = Math.max(0, ...nonEmpty);
  // a page followed by a non-empty one, holding fewer items than asked, was cut by the gateway
  const cut = nonEmpty.slice(0, -1).some((n) => n < p.limit);
  if (cut) out.push({ point: 'page size', observed: `pages capped at ${largest} items (asked for ${p.limit}), ${nonEmpty.length} pages`, option: 'pageCap', value: largest });
  else if (nonEmpty.length <= 1) out.push({ point: 'page size', observed: `one page held all ${largest} rules (a cap above ${largest} cannot be seen here)`, option: 'pageCap', value: 0 });
  else out.push({ point: 'page size', observed: `full pages of ${p.limit}: no cap`, option: 'pageCap', value: 0 });
  return out;
}
