import { describe, expect, it } from 'vitest';
import { InconsistentListing, MAX_LISTED_ITEMS, completionProblem, duplicateProblem, pageProblem, shownRuleMismatch } from '../../src/api/list-consistency.js';
import { collectPages } from '../../src/api/paging.js';
import type { Page } from '../../src/api/wire.js';

/**
 * collectPages (src/api/paging.ts) against scripted pages, in process: which pages it asks
 * for, when it stops, when it starts over, and the exact reason it refuses a listing.
 * test/api/list-consistency.test.ts covers the same through the client and a socket.
 */

/** A listing of `total` ids, served by offset/limit; `answer` may rewrite each page. */
function listing(ids: readonly string[], answer: (page: Page<string>, call: number) => Page<string> = (p) => p) {
  const asked: string[] = [];
  const fetchPage = (offset: number, limit: number): Promise<Page<string>> => {
    asked.push(`${offset}+${limit}`);
    return Promise.resolve(answer({ items: ids.slice(offset, offset + limit), total: ids.length }, asked.length));
  };
  return { asked, fetchPage };
}

const ids = (n: number, prefix = 'r'): string[] => Array.from({ length: n }, (_, i) => `${prefix}${i}`);
const same = (s: string): string => s;

async function refusal(p: Promise<unknown>): Promise<string> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  if (!(e instanceof InconsistentListing)) throw new Error(`expected an InconsistentListing, got ${String(e)}`);
  return e.message;
}

describe('collectPages with a total', () => {
  it('asks page after page, advancing by the items returned, and stops at the total', async () => {
    const l = listing(ids(5));
    expect(await collectPages(l.fetchPage, 2, same)).toEqual(ids(5));
    expect(l.asked).toEqual(['0+2', '2+2', '4+2']);
  });

  it('stops right after a page that reaches the total exactly, without asking for an empty one', async () => {
    const l = listing(ids(4));
    expect(await collectPages(l.fetchPage, 2, same)).toEqual(ids(4));
    expect(l.asked).toEqual(['0+2', '2+2']);
  });

  it('a page capped below the limit before the total is reached is not the end', async () => {
    const l = listing(ids(7), (p) => ({ ...p, items: p.items.slice(0, 3) }));
    expect(await collectPages(l.fetchPage, 5, same)).toEqual(ids(7));
    expect(l.asked).toEqual(['0+5', '3+5', '6+5']);
  });

  it('advances by a short page\'s items, not by the limit', async () => {
    const l = listing(ids(5), (p, call) => (call === 1 ? { ...p, items: p.items.slice(0, 1) } : p));
    expect(await collectPages(l.fetchPage, 3, same)).toEqual(ids(5));
    expect(l.asked).toEqual(['0+3', '1+3', '4+3']);
  });

  it('asks once for an empty listing', async () => {
    const l = listing([]);
    expect(await collectPages(l.fetchPage, 2, same)).toEqual([]);
    expect(l.asked).toEqual(['0+2']);
  });

  it('refuses an empty page before the total is reached, instead of asking again forever', async () => {
    const l = listing(ids(5), (p, call) => (call === 2 ? { ...p, items: [] } : p));
    expect(await refusal(collectPages(l.fetchPage, 2, same))).toBe('2 items listed of a total of 5');
    expect(l.asked).toEqual(['0+2', '2+2']);
  });
});

describe('collectPages without a total', () => {
  const untotalled = (n: number) => listing(ids(n), (p) => ({ items: p.items, total: undefined }));

  it('does not stop at a short page: it asks on until an empty page', async () => {
    const l = untotalled(5);
    expect(await collectPages(l.fetchPage, 2, same)).toEqual(ids(5));
    expect(l.asked).toEqual(['0+2', '2+2', '4+2', '5+2']);
  });

  it('lists every item when a gateway caps each page below the limit (issue 18 item 2)', async () => {
    const l = listing(ids(7), (p) => ({ items: p.items.slice(0, 3), total: undefined }));
    expect(await collectPages(l.fetchPage, 5, same)).toEqual(ids(7));
    expect(l.asked).toEqual(['0+5', '3+5', '6+5', '7+5']);
  });

  it('refuses a listing that never ends rather than asking forever (bounded by MAX_LISTED_ITEMS)', async () => {
    let n = 0;
    const endless = (): Promise<Page<string>> => Promise.resolve({ items: [`e${n++}`], total: undefined });
    expect(await refusal(collectPages(endless, 1000, same))).toBe(`more than ${MAX_LISTED_ITEMS} items listed (the most one listing may hold)`);
    expect(n).toBe(MAX_LISTED_ITEMS + 1);
  });

  it('asks once more after a full page, and stops at the empty one', async () => {
    const l = untotalled(4);
    expect(await collectPages(l.fetchPage, 2, same)).toEqual(ids(4));
    expect(l.asked).toEqual(['0+2', '2+2', '4+2']);
  });
});

describe('collectPages refuses an inconsistent listing', () => {
  it('an id seen twice, by its key, naming the page', async () => {
    const l = listing(['a', 'b', 'c', 'A']);
    expect(await refusal(collectPages(l.fetchPage, 2, (s) => s.toLowerCase()))).toBe('id "a" listed twice (at offset 2)');
  });

  it('a page larger than its limit', async () => {
    const l = listing(ids(3), (p) => ({ ...p, items: ids(3) }));
    expect(await refusal(collectPages(l.fetchPage, 2, same))).toBe('a page has 3 items for limit 2');
  });

  it('starts over once when the total changes between pages, and returns the second listing', async () => {
    const l = listing(ids(4), (p, call) => (call === 2 ? { ...p, total: 5 } : p));
    expect(await collectPages(l.fetchPage, 2, same)).toEqual(ids(4));
    expect(l.asked).toEqual(['0+2', '2+2', '0+2', '2+2']);
  });

  it('refuses a total that changes again in the second listing', async () => {
    const l = listing(ids(4), (p, call) => ({ ...p, total: call % 2 === 0 ? 9 : 4 }));
    expect(await refusal(collectPages(l.fetchPage, 2, same))).toBe('total changed from 4 to 9 between pages, also when listed again from the start');
    expect(l.asked).toEqual(['0+2', '2+2', '0+2', '2+2']);
  });

  it('a total that appears or disappears between pages counts as a change', async () => {
    const l = listing(ids(4), (p, call) => (call % 2 === 0 ? { ...p, total: undefined } : p));
    expect(await refusal(collectPages(l.fetchPage, 2, same))).toBe('total changed from 4 to undefined between pages, also when listed again from the start');
  });
});

describe('the consistency rules', () => {
  const page = (over: Partial<Parameters<typeof pageProblem>[0]>) => pageProblem({ offset: 0, limit: 10, count: 10, total: 10, ...over });

  it('accept an empty listing of total 0 and a full page at the limit', () => {
    expect(page({ count: 0, total: 0 })).toBeUndefined();
    expect(page({ count: 10, limit: 10 })).toBeUndefined();
    expect(page({ total: undefined, offset: MAX_LISTED_ITEMS - 10, count: 10 })).toBeUndefined();
  });

  it('refuse items past the total at once, even on the first page', () => {
    expect(page({ count: 1, total: 0 })).toBe('items 1..1 listed for a total of 0');
  });

  it('name the id seen twice', () => {
    expect(duplicateProblem('r"1', 'at offset 3')).toBe('id "r\\"1" listed twice (at offset 3)');
  });

  it('complete a listing at its total or above it', () => {
    expect(completionProblem(0, 0)).toBeUndefined();
    expect(completionProblem(4, 3)).toBeUndefined();
    expect(completionProblem(0, 1)).toBe('0 items listed of a total of 1');
  });

  it('refuse a show answer about another rule, or under another name', () => {
    expect(shownRuleMismatch({ id: 'a', name: 'n' }, { id: 'b', name: 'n' })).toBe('asked for rule "a", the answer is about rule "b"');
    expect(shownRuleMismatch({ id: 'a', name: 'n' }, { id: 'a', name: 'm' })).toBe('rule "a" is listed as "n" but shown as "m"');
    expect(shownRuleMismatch({ id: 'a', name: 'n' }, { id: 'b', name: 'm' })).toBe('asked for rule "a", the answer is about rule "b"');
  });

  it('take a show answer without a name as about the rule asked for', () => {
    expect(shownRuleMismatch({ id: 'a', name: 'n' }, { id: 'a' })).toBeUndefined();
  });

  it('are an error of their own class', () => {
    const e = new InconsistentListing('why');
    expect(e).toBeInstanceOf(Error);
    expect([e.name, e.message]).toEqual(['InconsistentListing', 'why']);
  });
});
