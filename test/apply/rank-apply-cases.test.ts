import { describe, expect, it } from 'vitest';
import type { RuleSummary } from '../../src/api/types.js';
import { DbssApiError } from '../../src/api/errors.js';
import { applyReorder, safeModeBudget, type RankCalls } from '../../src/apply/rank-apply.js';
import { FakeRanks, type RankModel } from './rank-models.js';

/**
 * applyReorder's outcome in each way a reorder can end, with the exact line it reports:
 * what was observed, how many rank calls it made and why it stopped.
 */
const SYSTEMS = ['Database_drag_detection', 'Slow_SQL_detection', 'Batch_data_tampering_detection', 'Batch_data_deletion_detection'];
const CUSTOM: RankModel = { numbering: 'custom', systemRanks: 'none', newRank: 'position' };
const NUMBERING = 'numbering: custom 1..3 dense; system rules unranked';

/** A rank call whose answer was lost (it may or may not have reached the backend). */
const lost = (): DbssApiError => new DbssApiError({ operation: 'setRank', method: 'POST', path: '/p', pathTemplate: '/p', kind: 'network', errorCode: 'ECONNRESET', mayHaveApplied: true });

/** A hand-set rule list: custom rules with the given ranks; `onSet` changes it as the region would. */
class Listing implements RankCalls {
  readonly sent: [string, number][] = [];
  constructor(
    public rules: { id: string; name: string; rank?: number; ruleType?: 'SYSTEM' | 'CUSTOMIZE' }[],
    private readonly onSet: (self: Listing, id: string, k: number) => void,
  ) {}
  async list(): Promise<RuleSummary[]> {
    return this.rules.map((r) => ({ id: r.id, name: r.name, ruleType: r.ruleType ?? 'CUSTOMIZE', status: 'ON', ...(r.rank === undefined ? {} : { rank: r.rank }) }));
  }
  async setRank(id: string, k: number): Promise<void> {
    this.sent.push([id, k]);
    this.onSet(this, id, k);
  }
}

describe('applyReorder reports', () => {
  it('an order reached as predicted: confirmed by a listing, with the calls counted', async () => {
    const one = new FakeRanks(CUSTOM, SYSTEMS, ['a', 'b', 'c']);
    expect((await applyReorder(one, ['c', 'a', 'b'], undefined)).detail).toBe(`order confirmed by a listing; ${NUMBERING}; 1 rank call (predicted)`);
    const two = new FakeRanks(CUSTOM, SYSTEMS, ['a', 'b', 'c']);
    expect(await applyReorder(two, ['c', 'b', 'a'], undefined)).toEqual({
      outcome: 'applied',
      numbering: 'custom 1..3 dense; system rules unranked',
      mode: 'predicted',
      observed: ['c', 'b', 'a'],
      rankCalls: 2,
      detail: `order confirmed by a listing; ${NUMBERING}; 2 rank calls (predicted)`,
    });
    const none = new FakeRanks(CUSTOM, SYSTEMS, ['a', 'b', 'c']);
    expect((await applyReorder(none, ['a', 'b', 'c'], undefined)).detail).toBe(`order confirmed by a listing; ${NUMBERING}; 0 rank calls (predicted)`);
  });

  it('declared rules that are not custom rules of the instance: skipped, every missing name listed', async () => {
    const fake = new FakeRanks(CUSTOM, SYSTEMS, ['a', 'b', 'c']);
    const r = await applyReorder(fake, ['c', 'ghost', 'Slow_SQL_detection', 'a'], undefined);
    expect(r).toMatchObject({ outcome: 'skipped', mode: 'predicted', rankCalls: 0 });
    expect(r.detail).toBe(`rules not found on the instance: ghost, Slow_SQL_detection; ${NUMBERING}; 0 rank calls (predicted)`);
    expect(fake.made.setRank).toBe(0);
  });

  it('a first call that reaches the order although the rule shows another rank than sent: applied in safe mode', async () => {
    // new_rank is a value here: 1 puts c before every rule, where it shows 10.
    const fake = new FakeRanks({ numbering: 'custom', step: 10, base: 10, newRank: 'value' }, SYSTEMS, ['a', 'b', 'c']);
    const r = await applyReorder(fake, ['c', 'a', 'b'], [{ id: 'id-c', newRank: 1 }]);
    expect(r).toMatchObject({ outcome: 'applied', mode: 'safe', rankCalls: 1, observed: ['c', 'a', 'b'] });
    expect(r.detail).toBe('order confirmed by a listing; numbering: custom 10..30 with gaps; system rules unranked; 1 rank call (safe mode: one move, one list)');
  });

  it('a region where no value moves the rule: failed, naming the rule, its neighbours and the values tried', async () => {
    const fake = new FakeRanks({ ...CUSTOM, stuck: true }, SYSTEMS, ['a', 'b', 'c', 'd']);
    const r = await applyReorder(fake, ['a', 'c', 'b', 'd'], undefined);
    expect(r.outcome).toBe('failed');
    expect(r.observed).toEqual(['a', 'b', 'c', 'd']);
    expect(r.detail).toBe(
      `no new_rank puts b below c and above d (tried 3, 4, 5, 6, 7, 8, 9); numbering: custom 1..4 dense; system rules unranked; 8 rank calls (safe mode: one move, one list); observed order: a, b, c, d`,
    );
  });

  it('the observed order names only the declared custom rules', async () => {
    const fake = new FakeRanks({ numbering: 'shared', newRank: 'position', stuck: true }, SYSTEMS, ['a', 'extra', 'b']);
    const r = await applyReorder(fake, ['b', 'a'], undefined);
    expect(r.outcome).toBe('failed');
    expect(r.observed).toEqual(['a', 'b']);
    expect(r.detail).toMatch(/; observed order: a, b$/);
  });

  it('a value whose answer was lost and that left the rule in place is sent once more, then taken as the answer', async () => {
    const stuck = (ranks: number[]) =>
      new Listing(
        [
          { id: 'id-a', name: 'a', rank: ranks[0]! },
          { id: 'id-b', name: 'b', rank: ranks[1]! },
          { id: 'id-c', name: 'c', rank: ranks[2]! },
          ...SYSTEMS.map((n) => ({ id: `sys-${n}`, name: n, ruleType: 'SYSTEM' as const })),
        ],
        () => {
          throw lost();
        },
      );
    const dense = stuck([1, 2, 3]);
    const r = await applyReorder(dense, ['c', 'a', 'b'], undefined);
    // the predicted call, then 1 twice: c stays below a, and nothing is left between 1 and 0
    expect(dense.sent).toEqual([['id-c', 1], ['id-c', 1], ['id-c', 1]]);
    expect(r.detail).toBe('no new_rank puts c above a (tried 1); numbering: custom 1..3 dense; system rules unranked; 3 rank calls (safe mode: one move, one list); observed order: a, b, c');
    const gapped = stuck([10, 20, 30]);
    await applyReorder(gapped, ['c', 'a', 'b'], undefined);
    expect(gapped.sent.map(([, k]) => k)).toEqual([10, 10, 5, 5, 2, 2, 1, 1]);
  });

  it('a region where no value moves the rule and ranks run high: the search stops at the budget', async () => {
    // a must go below c. Nothing moves, so every value reads "too high", and the offset guess
    // (c's rank 3 + sent - shown 1) walks up two at a time towards 1001: the budget stops it.
    const stuck = new Listing(
      [
        { id: 'id-a', name: 'a', rank: 1 },
        { id: 'id-b', name: 'b', rank: 2 },
        { id: 'id-c', name: 'c', rank: 3 },
        { id: 'id-x', name: 'x', rank: 1000 },
      ],
      () => {},
    );
    const r = await applyReorder(stuck, ['b', 'c', 'a'], undefined);
    expect(safeModeBudget(3, 1000)).toBe(41); // 3 * (ceil(log2(1002)) + 3) + 2
    expect(stuck.sent.map(([, k]) => k)).toEqual(Array.from({ length: 41 }, (_, i) => 3 + 2 * i));
    expect(r).toMatchObject({ outcome: 'failed', mode: 'safe', rankCalls: 41, observed: ['a', 'b', 'c'] });
    expect(r.detail).toMatch(/^gave up after 41 rank calls without reaching the order; numbering: custom 1\.\.1000 with gaps; /);
  });

  it('the budget of a safe-mode reorder: about log2(highest rank) + 3 calls per rule', () => {
    expect(safeModeBudget(3, 7)).toBe(23); // 3 * (ceil(log2(9)) + 3) + 2
    expect(safeModeBudget(3, 30)).toBe(26); // 3 * (log2(32) + 3) + 2
    expect(safeModeBudget(1, 0)).toBe(6); // at least log2(2) = 1 per rule
  });

  it('a rule that loses its rank on a rank call: failed in safe mode, or left unranked and said so', async () => {
    const unrank = (self: Listing, id: string): void => {
      self.rules = self.rules.map((r) => (r.id === id ? { id: r.id, name: r.name } : r));
    };
    const gapped = new Listing(
      [
        { id: 'id-a', name: 'a', rank: 10 },
        { id: 'id-b', name: 'b', rank: 20 },
        { id: 'id-c', name: 'c', rank: 30 },
      ],
      unrank,
    );
    const r = await applyReorder(gapped, ['c', 'a', 'b'], undefined);
    expect(r.outcome).toBe('failed');
    expect(gapped.sent).toEqual([['id-c', 10]]);
    expect(r.detail).toBe('rule c shows no rank after new_rank 10; numbering: custom 10..20 with gaps; no system rules listed; 1 custom rule unranked; 1 rank call (safe mode: one move, one list); observed order: a, b; unranked, not ordered: c');

    const dense = new Listing(
      [
        { id: 'id-a', name: 'a', rank: 1 },
        { id: 'id-b', name: 'b', rank: 2 },
        { id: 'id-c', name: 'c', rank: 3 },
      ],
      unrank,
    );
    const d = await applyReorder(dense, ['c', 'a', 'b'], undefined);
    expect(d).toMatchObject({ outcome: 'applied', mode: 'safe', observed: ['a', 'b'] });
    expect(d.detail).toBe('order confirmed by a listing; numbering: custom 1..2 dense; no system rules listed; 1 custom rule unranked; 1 rank call (safe mode: one move, one list); unranked, not ordered: c');
  });

  it('a rule that vanishes from the listing after its first call does not crash the reorder', async () => {
    const vanish = new Listing(
      [
        { id: 'id-a', name: 'a', rank: 1 },
        { id: 'id-b', name: 'b', rank: 2 },
        { id: 'id-c', name: 'c', rank: 3 },
      ],
      (self, id) => {
        self.rules = self.rules.filter((r) => r.id !== id);
      },
    );
    const r = await applyReorder(vanish, ['c', 'a', 'b'], undefined);
    expect(r).toMatchObject({ outcome: 'applied', mode: 'safe', observed: ['a', 'b'], rankCalls: 1 });
  });
});

describe('applyReorder searches new_rank as documented', () => {
  /**
   * The exact calls (rule, new_rank) for six rules a..f under the readings that need safe
   * mode: the dense-insert guess first, then the guess shifted by the offset just observed,
   * then the value reading (just below the predecessor's value), then bisection; once a value
   * worked, the next rule starts from the guess plus that offset. Worked by hand for `gapped
   * by 10, new_rank a value`, f..a: e must go below f (51): 51 puts it above f (too high), the
   * shifted guess 61 is out of range, the value reading 52 lands; the offset 1 then places
   * d, c, b and a with one call each at 52.
   */
  const MODELS: Record<string, RankModel> = {
    'system pinned above custom': { numbering: 'shared', pinned: true, newRank: 'position' },
    'gapped by 10, new_rank a value': { numbering: 'custom', step: 10, newRank: 'value' },
    'gapped by 10 (shared), new_rank a value': { numbering: 'shared', step: 10, newRank: 'value' },
    'gapped by 10, new_rank a position': { numbering: 'custom', step: 10, newRank: 'position' },
    'new_rank a position among all rules': { numbering: 'custom', newRank: 'full-position' },
    'shown from 10, new_rank a position from 1 (no system rules)': { numbering: 'custom', base: 10, newRank: 'full-position' },
    'gapped by 10 (shared), new_rank a position': { numbering: 'shared', step: 10, newRank: 'position' },
  };
  const EXPECTED: [string, string, string, number][] = [
    ['system pinned above custom', 'fedcba', 'e10 d10 c10 b10 a10', 3],
    ['system pinned above custom', 'bdface', 'a10 c10 e10', 3],
    ['system pinned above custom', 'cafbed', 'c5 f7 d10', 3],
    ['gapped by 10, new_rank a value', 'fedcba', 'e51 e52 d52 c52 b52 a52', 7],
    ['gapped by 10, new_rank a value', 'bdface', 'a51 a52 c52 e52', 5],
    ['gapped by 10, new_rank a value', 'cafbed', 'c1 f12 d51 d52', 5],
    ['gapped by 10 (shared), new_rank a value', 'fedcba', 'e91 e92 d92 c92 b92 a92', 7],
    ['gapped by 10 (shared), new_rank a value', 'bdface', 'a91 a92 c92 e92', 5],
    ['gapped by 10 (shared), new_rank a value', 'cafbed', 'c41 f52 d91 d92', 5],
    ['gapped by 10, new_rank a position', 'fedcba', 'e51 d51 c51 b51 a51', 6],
    ['gapped by 10, new_rank a position', 'bdface', 'a51 c51 e51', 4],
    ['gapped by 10, new_rank a position', 'cafbed', 'c1 f12 f6 f3 d42', 6],
    ['new_rank a position among all rules', 'fedcba', 'e6 f2 c6 c10 b10 a10', 7],
    ['new_rank a position among all rules', 'bdface', 'a6 d2 d3 d4 d5 d6 f7', 8],
    ['new_rank a position among all rules', 'cafbed', 'c1 f3 d6 f4 f7 f8 d10', 7],
    ['shown from 10, new_rank a position from 1 (no system rules)', 'fedcba', 'e15 d15 c15 b15 a15', 3],
    ['shown from 10, new_rank a position from 1 (no system rules)', 'fabcde', 'f10 f10 f5 f1', 5],
    ['shown from 10, new_rank a position from 1 (no system rules)', 'cafbed', 'c10 c10 c5 c1 f3 d6', 7],
    ['gapped by 10 (shared), new_rank a position', 'fabcde', 'f41 f20 f10 f5', 5],
  ];
  it.each(EXPECTED)('%s, order %s: calls %s, %d listings', async (model, order, calls, listings) => {
    const fake = new FakeRanks(MODELS[model]!, model.includes('no system') ? [] : SYSTEMS, ['a', 'b', 'c', 'd', 'e', 'f']);
    const sent: string[] = [];
    const setRank = fake.setRank.bind(fake);
    fake.setRank = async (id, k) => {
      sent.push(`${id.slice(3)}${k}`);
      await setRank(id, k);
    };
    const r = await applyReorder(fake, [...order], undefined);
    expect(r.outcome).toBe('applied');
    expect(fake.customOrder().join('')).toBe(order);
    expect(sent.join(' ')).toBe(calls);
    expect(fake.made.list).toBe(listings);
  });

  /** Every call applied, every answer lost: a value that left the rule in place is sent once more. */
  const LOST: [string, string, string][] = [
    ['gapped by 10, new_rank a value', 'fedcba', 'e51 e51 e52 d52 c52 b52 a52'],
    ['gapped by 10, new_rank a position', 'cafbed', 'c1 f12 f12 f6 f6 f3 d42'],
    ['new_rank a position among all rules', 'cafbed', 'c1 f3 d6 f4 f4 f7 f8 d10'],
    ['shown from 10, new_rank a position from 1 (no system rules)', 'fabcde', 'f10 f10 f10 f5 f1'],
  ];
  it.each(LOST)('%s, order %s, every answer lost: calls %s', async (model, order, calls) => {
    const fake = new FakeRanks(MODELS[model]!, model.includes('no system') ? [] : SYSTEMS, ['a', 'b', 'c', 'd', 'e', 'f']);
    const sent: string[] = [];
    const setRank = fake.setRank.bind(fake);
    fake.setRank = async (id, k) => {
      sent.push(`${id.slice(3)}${k}`);
      await setRank(id, k);
      throw lost();
    };
    const r = await applyReorder(fake, [...order], undefined);
    expect(r.outcome).toBe('applied');
    expect(fake.customOrder().join('')).toBe(order);
    expect(sent.join(' ')).toBe(calls);
  });
});

describe('applyReorder reads the listing carefully', () => {
  const noop = (): void => {};

  it('orders custom rules only, by the first custom rule of a name', async () => {
    const sys = new Listing(
      [
        { id: 'sys-a', name: 'a', rank: 1, ruleType: 'SYSTEM' },
        { id: 'id-a', name: 'a', rank: 2 },
        { id: 'id-b', name: 'b', rank: 3 },
      ],
      noop,
    );
    const r = await applyReorder(sys, ['b', 'a'], undefined);
    expect(sys.sent[0]).toEqual(['id-a', 3]); // b stays, a goes below it: the custom a, never the system rule
    expect(r.outcome).toBe('failed');
    expect(r.observed).toEqual(['a', 'b']);
    const twice = new Listing(
      [
        { id: 'id-a1', name: 'a', rank: 1 },
        { id: 'id-b', name: 'b', rank: 2 },
        { id: 'id-a2', name: 'a', rank: 3 },
      ],
      noop,
    );
    await applyReorder(twice, ['b', 'a'], undefined);
    expect(twice.sent[0]).toEqual(['id-a1', 2]); // the first a listed
  });

  it('a first call that shows the rank sent with the rule on the wrong side of a neighbour is not a prediction that held', async () => {
    const fake = new FakeRanks(CUSTOM, SYSTEMS, ['a', 'b', 'c', 'd']);
    const dense = fake.setRank.bind(fake);
    let first = true;
    fake.setRank = async (id, k) => {
      if (!first) return dense(id, k);
      first = false;
      // b sent to 3 shows 3, but c went below it
      fake.order = [...fake.order.filter((r) => r.system), ...['a', 'd', 'b', 'c'].map((n) => fake.order.find((r) => r.name === n)!)];
    };
    const r = await applyReorder(fake, ['a', 'c', 'b', 'd'], undefined);
    expect(r).toMatchObject({ outcome: 'applied', mode: 'safe' });
    expect(fake.customOrder()).toEqual(['a', 'c', 'b', 'd']);
  });

  it('a rule that leaves the listing in safe mode is named by its id; two unranked rules are both named', async () => {
    const vanish = new Listing(
      [
        { id: 'id-a', name: 'a', rank: 10 },
        { id: 'id-b', name: 'b', rank: 20 },
        { id: 'id-c', name: 'c', rank: 30 },
      ],
      (self, id) => {
        self.rules = self.rules.filter((r) => r.id !== id);
      },
    );
    expect((await applyReorder(vanish, ['c', 'a', 'b'], undefined)).detail).toMatch(/^rule id-c shows no rank after new_rank 10; /);
    const unranked = new Listing(
      [
        { id: 'id-a', name: 'a', rank: 1 },
        { id: 'id-b', name: 'b', rank: 2 },
        { id: 'id-x', name: 'x' },
        { id: 'id-y', name: 'y' },
      ],
      noop,
    );
    expect((await applyReorder(unranked, ['y', 'a', 'b', 'x'], undefined)).detail).toMatch(/; unranked, not ordered: y, x$/);
  });
});
