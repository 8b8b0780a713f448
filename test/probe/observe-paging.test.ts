import { describe, expect, it } from 'vitest';
import { pagingObservations } from '../../src/probe/observe-paging.js';

/** What the probe concludes from how one rule listing was paged (issue 18 item 2). */
describe('pagingObservations', () => {
  it('a page shorter than asked followed by more is a cap, at the largest page seen', () => {
    expect(pagingObservations({ limit: 1000, pageSizes: [3, 3, 2, 0], totalGiven: false })).toEqual([
      { point: 'list total', observed: 'the rule list carries no total: listed until an empty page', option: 'listTotal', value: 'absent' },
      { point: 'page size', observed: 'pages capped at 3 items (asked for 1000), 3 pages', option: 'pageCap', value: 3 },
    ]);
  });

  it('one page holding every rule settles "no cap" only up to its size, and says so', () => {
    expect(pagingObservations({ limit: 1000, pageSizes: [8], totalGiven: true })).toEqual([
      { point: 'list total', observed: 'the rule list carries total', option: 'listTotal', value: 'present' },
      { point: 'page size', observed: 'one page held all 8 rules (a cap above 8 cannot be seen here)', option: 'pageCap', value: 0 },
    ]);
  });

  it('full pages of the limit asked are no cap', () => {
    expect(pagingObservations({ limit: 2, pageSizes: [2, 2, 1], totalGiven: true })[1]).toEqual({ point: 'page size', observed: 'full pages of 2: no cap', option: 'pageCap', value: 0 });
  });
});
