import { afterEach, describe, expect, it } from 'vitest';
import type { DbssApiError } from '../../src/api/errors.js';
import { MAX_LISTED_ITEMS } from '../../src/api/list-consistency.js';
import { INSTANCE, PROJECT, testClient } from './helpers/client.js';
import { reply, startTestServer, type Handler, type TestServer } from './helpers/test-server.js';

/** Each inconsistent listing shape is an error naming what is wrong, never a partial result. */
let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const rule = (i: number, name = `r-${i}`): Record<string, unknown> => ({ id: `rule${i}`, name, status: 'ON', rank: i + 1, risk_level: 'LOW', rule_type: 'CUSTOMIZE' });
const offsetOf = (url: URLSearchParams): number => Number(url.get('offset'));

async function list(handler: Handler, pageSize = 1000): Promise<{ result: string; requests: number }> {
  server = await startTestServer(handler);
  const { client } = testClient(server.url, { pageSize });
  const result = await client.listRules(PROJECT, INSTANCE).then(
    (rules) => `ok ${rules.length}`,
    (e: unknown) => (e as DbssApiError).message,
  );
  await client.close();
  return { result, requests: server.requests.length };
}

describe('inconsistent rule listings are errors', () => {
  it('fewer items than total', async () => {
    const r = await list((req) => reply.json(200, { rules: offsetOf(req.query) === 0 ? [rule(0), rule(1)] : [], total: 5 }));
    expect(r.result).toMatch(/INCONSISTENT_LISTING inconsistent listing: 2 items listed of a total of 5$/);
  });

  it('more items in a page than the limit', async () => {
    const r = await list(() => reply.json(200, { rules: [rule(0), rule(1), rule(2)], total: 3 }), 2);
    expect(r.result).toMatch(/inconsistent listing: a page has 3 items for limit 2$/);
  });

  it('an id listed twice under two names', async () => {
    const r = await list(() => reply.json(200, { rules: [rule(0, 'keep'), rule(1), rule(0, 'other-name')], total: 3 }));
    expect(r.result).toMatch(/inconsistent listing: id "rule0" listed twice \(at offset 0\)$/);
  });

  it('a total that keeps changing between pages, after one re-list from the start', async () => {
    let total = 4;
    const r = await list((req) => {
      const o = offsetOf(req.query);
      return reply.json(200, { rules: [rule(o), rule(o + 1)], total: total++ });
    }, 2);
    expect(r.result).toMatch(/inconsistent listing: total changed from 6 to 7 between pages, also when listed again from the start$/);
    expect(r.requests).toBe(4);
  });

  it('a total that changed once: the listing starts over and succeeds', async () => {
    let calls = 0;
    const r = await list((req) => {
      calls++;
      const o = offsetOf(req.query);
      const total = calls === 1 ? 3 : 4;
      return reply.json(200, { rules: [rule(o), rule(o + 1)].slice(0, Math.max(0, total - o)), total });
    }, 2);
    expect(r).toEqual({ result: 'ok 4', requests: 4 });
  });

  it('an inflated total is refused at once, not paged through', async () => {
    const r = await list(() => reply.json(200, { rules: [rule(0)], total: 1_000_000_000 }));
    expect(r.result).toMatch(/inconsistent listing: total 1000000000 is outside 0\.\.10000/);
    expect(r.requests).toBe(1);
  });

  it('fresh full pages without a total stop at the documented maximum (memory stays bounded)', async () => {
    const r = await list((req) => {
      const o = offsetOf(req.query);
      return reply.json(200, { rules: Array.from({ length: 1000 }, (_, i) => rule(o + i)) });
    });
    expect(r.result).toMatch(new RegExp(`inconsistent listing: more than ${MAX_LISTED_ITEMS} items listed`));
    expect(r.requests).toBe(MAX_LISTED_ITEMS / 1000 + 1);
  });

  it('items beyond the total', async () => {
    const r = await list(() => reply.json(200, { rules: [rule(0), rule(1), rule(2)], total: 2 }));
    expect(r.result).toMatch(/inconsistent listing: items 1\.\.3 listed for a total of 2$/);
  });

  it('an answer without `rules` is an error, not "no rules"', async () => {
    const r = await list(() => reply.json(200, { total: 0 }));
    expect(r.result).toMatch(/BAD_RESPONSE rules: expected a list, got nothing/);
  });
});

describe('the consistency rules at their bounds', async () => {
  const { completionProblem, pageProblem, shownRuleMismatch, InconsistentListing } = await import('../../src/api/list-consistency.js');
  const page = (over: Partial<Parameters<typeof pageProblem>[0]>) => pageProblem({ offset: 0, limit: 10, count: 10, total: 10, ...over });
  it('pages', () => {
    expect(page({})).toBeUndefined();
    expect(page({ count: 11 })).toBe('a page has 11 items for limit 10');
    expect(page({ total: MAX_LISTED_ITEMS })).toBeUndefined();
    expect(page({ total: MAX_LISTED_ITEMS + 1 })).toBe(`total ${MAX_LISTED_ITEMS + 1} is outside 0..${MAX_LISTED_ITEMS} (the most items one listing may hold)`);
    expect(page({ total: -1, count: 0 })).toBe(`total -1 is outside 0..${MAX_LISTED_ITEMS} (the most items one listing may hold)`);
    expect(page({ offset: 5, count: 5, total: 10 })).toBeUndefined();
    expect(page({ offset: 5, count: 6, limit: 6, total: 10 })).toBe('items 6..11 listed for a total of 10');
    expect(page({ total: undefined, offset: MAX_LISTED_ITEMS - 10 })).toBeUndefined();
    expect(page({ total: undefined, offset: MAX_LISTED_ITEMS - 9 })).toBe(`more than ${MAX_LISTED_ITEMS} items listed (the most one listing may hold)`);
  });
  it('completion, show answers and the error class', () => {
    expect(completionProblem(3, 3)).toBeUndefined();
    expect(completionProblem(3, undefined)).toBeUndefined();
    expect(completionProblem(2, 3)).toBe('2 items listed of a total of 3');
    expect(shownRuleMismatch({ id: 'a', name: 'n' }, { id: 'a', name: 'n' })).toBeUndefined();
    expect(new InconsistentListing('x').name).toBe('InconsistentListing');
  });
});
