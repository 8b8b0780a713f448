import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DbssApiError } from '../../src/api/errors.js';
import { applyReorder, safeModeBudget } from '../../src/apply/rank-apply.js';
import { liveRuleList } from '../../src/live/rule-kinds.js';
import { rankMoves } from '../../src/plan/rank-moves.js';
import { FakeRanks, type RankModel } from './rank-models.js';

const SYSTEMS = ['Database_drag_detection', 'Slow_SQL_detection', 'Batch_data_tampering_detection', 'Batch_data_deletion_detection'];

/** Every reading of the rank numbering the emulator profiles offer, and a few more. */
const MODELS: Record<string, RankModel> = {
  'shared dense 1..n (system and custom)': { numbering: 'shared', newRank: 'position' },
  'system pinned above custom (shared 1..n)': { numbering: 'shared', pinned: true, newRank: 'position' },
  'custom 1..n, system unranked': { numbering: 'custom', systemRanks: 'none', newRank: 'position' },
  'custom 1..n, system negative': { numbering: 'custom', systemRanks: 'negative', newRank: 'position' },
  'custom 1..n, system numbered on their own': { numbering: 'custom', systemRanks: 'own', newRank: 'position' },
  'custom 5..n (another base)': { numbering: 'custom', base: 5, newRank: 'position' },
  'gapped by 10, new_rank a value': { numbering: 'custom', step: 10, newRank: 'value' },
  'gapped by 10 (shared), new_rank a value': { numbering: 'shared', step: 10, newRank: 'value' },
  'gapped by 10, new_rank a position': { numbering: 'custom', step: 10, newRank: 'position' },
  'custom 1..n shown, new_rank a position among all rules': { numbering: 'custom', newRank: 'full-position' },
};

/** The planner's rank calls for the no-create path: computed from the first listing. */
async function plannedCalls(fake: FakeRanks, order: readonly string[]) {
  const rules = liveRuleList(await fake.list());
  fake.made.list = 0;
  const idOf = new Map(rules.map((r) => [r.name, r.id]));
  return rankMoves(rules, order.map((n) => idOf.get(n)!)).map(({ id, newRank }) => ({ id, newRank }));
}

describe('applyReorder: rank numbering learned, never assumed', () => {
  it.each(Object.entries(MODELS))('reaches the order under "%s", from a listing and from planned calls', async (_name, model) => {
    for (const planned of [false, true]) {
      const fake = new FakeRanks(model, SYSTEMS, ['a', 'b', 'c', 'd', 'e', 'f']);
      const order = ['f', 'c', 'a', 'e', 'b', 'd'];
      const calls = planned ? await plannedCalls(fake, order) : undefined;
      const r = await applyReorder(fake, order, calls);
      expect(r.outcome).toBe('applied');
      expect(fake.customOrder()).toEqual(order);
      expect(r.observed).toEqual(order);
      expect(r.rankCalls).toBe(fake.made.setRank);
      expect(r.rankCalls).toBeLessThanOrEqual(safeModeBudget(order.length, 100) + 1);
      expect(r.detail).toContain(`numbering: ${r.numbering}`);
    }
  });

  it('predicts exactly, with the fewest rank calls and two listings, where the dense reading holds', async () => {
    for (const model of [MODELS['shared dense 1..n (system and custom)']!, MODELS['custom 1..n, system unranked']!, MODELS['system pinned above custom (shared 1..n)']!, MODELS['custom 5..n (another base)']!]) {
      const fake = new FakeRanks(model, SYSTEMS, ['a', 'b', 'c', 'd']);
      const r = await applyReorder(fake, ['d', 'a', 'b', 'c'], await plannedCalls(fake, ['d', 'a', 'b', 'c']));
      expect(r).toMatchObject({ outcome: 'applied', mode: 'predicted', rankCalls: 1 });
      expect(fake.made.list).toBe(1); // one call: the check after it is the confirming read
      const two = new FakeRanks(model, SYSTEMS, ['a', 'b', 'c', 'd']);
      const r2 = await applyReorder(two, ['d', 'c', 'b', 'a'], undefined);
      expect(r2).toMatchObject({ outcome: 'applied', mode: 'predicted', rankCalls: 3 });
      expect(two.made.list).toBe(3); // before, after the first call, after the rest
    }
  });

  it('reports the numbering it observed', async () => {
    const read = async (model: RankModel): Promise<string> => (await applyReorder(new FakeRanks(model, SYSTEMS, ['a', 'b', 'c']), ['c', 'a', 'b'], undefined)).numbering;
    expect(await read(MODELS['shared dense 1..n (system and custom)']!)).toMatch(/^system and custom share 1\.\.7 \(dense/);
    expect(await read(MODELS['custom 1..n, system unranked']!)).toBe('custom 1..3 dense; system rules unranked');
    expect(await read(MODELS['custom 1..n, system negative']!)).toBe('custom 1..3 dense; system -4..-1 above');
    expect(await read(MODELS['gapped by 10, new_rank a value']!)).toBe('custom 1..21 with gaps; system rules unranked');
  });

  it('switches to safe mode when the first call does not land where predicted, and still converges', async () => {
    const fake = new FakeRanks(MODELS['custom 1..n shown, new_rank a position among all rules']!, SYSTEMS, ['a', 'b', 'c', 'd', 'e']);
    const order = ['e', 'd', 'c', 'b', 'a'];
    const r = await applyReorder(fake, order, await plannedCalls(fake, order));
    expect(r).toMatchObject({ outcome: 'applied', mode: 'safe' });
    expect(r.detail).toMatch(/safe mode: one move, one list/);
    expect(fake.customOrder()).toEqual(order);
    // safe mode lists once per rank call, and learns the offset: about one call per rule once learned
    expect(fake.made.list).toBeGreaterThanOrEqual(fake.made.setRank);
    expect(fake.made.setRank).toBeLessThanOrEqual(order.length + 1);
  });

  it('marks the reorder failed, with the observed order, when no call reaches it (bounded)', async () => {
    const fake = new FakeRanks({ numbering: 'custom', newRank: 'position', stuck: true }, SYSTEMS, ['a', 'b', 'c']);
    const r = await applyReorder(fake, ['c', 'b', 'a'], undefined);
    expect(r.outcome).toBe('failed');
    expect(r.observed).toEqual(['a', 'b', 'c']);
    expect(r.detail).toMatch(/observed order: a, b, c/);
    expect(fake.made.setRank).toBeLessThanOrEqual(safeModeBudget(3, 4));
  });

  it('skips when a declared rule is not on the instance, and applies with no call when the order already holds', async () => {
    const fake = new FakeRanks(MODELS['custom 1..n, system unranked']!, SYSTEMS, ['a', 'b']);
    expect(await applyReorder(fake, ['b', 'ghost', 'a'], undefined)).toMatchObject({ outcome: 'skipped', detail: expect.stringMatching(/not found on the instance: ghost/) });
    expect(await applyReorder(fake, ['a', 'b'], undefined)).toMatchObject({ outcome: 'applied', rankCalls: 0 });
    expect(fake.made.setRank).toBe(0);
  });

  it('learns a gapped value numbering in about one call per rule', async () => {
    const names = Array.from({ length: 10 }, (_, i) => `r${i}`);
    const fake = new FakeRanks(MODELS['gapped by 10, new_rank a value']!, SYSTEMS, names);
    const r = await applyReorder(fake, [...names].reverse(), undefined);
    expect(r).toMatchObject({ outcome: 'applied', mode: 'safe' });
    expect(r.rankCalls).toBeLessThanOrEqual(names.length + 1); // 9 moves are the fewest
  });

  it('goes on when the answer of a rank call was lost (the listing after it decides), and stops on a plain error', async () => {
    const lost = (applied: boolean) => new DbssApiError({ operation: 'setRank', method: 'POST', path: '/p', pathTemplate: '/p', kind: 'network', errorCode: 'ECONNRESET', mayHaveApplied: applied });
    for (const model of [MODELS['shared dense 1..n (system and custom)']!, MODELS['gapped by 10, new_rank a value']!]) {
      const fake = new FakeRanks(model, SYSTEMS, ['a', 'b', 'c', 'd', 'e']);
      const setRank = fake.setRank.bind(fake);
      let n = 0;
      fake.setRank = async (id, k) => {
        n++;
        if (n % 2 === 0) throw lost(true); // never reached the backend, but the client cannot know
        await setRank(id, k);
        if (n % 3 !== 0) throw lost(true); // applied, answer lost
      };
      const r = await applyReorder(fake, ['e', 'd', 'c', 'b', 'a'], undefined);
      expect(r.outcome).toBe('applied');
      expect(fake.customOrder()).toEqual(['e', 'd', 'c', 'b', 'a']);
    }
    const refused = new FakeRanks(MODELS['custom 1..n, system unranked']!, SYSTEMS, ['a', 'b']);
    refused.setRank = async () => {
      throw lost(false);
    };
    await expect(applyReorder(refused, ['b', 'a'], undefined)).rejects.toThrow(/ECONNRESET/);
  });

  it('converges under every reading for any permutation, within the bound', async () => {
    const scenario = fc.record({
      model: fc.constantFrom(...Object.values(MODELS)),
      n: fc.integer({ min: 2, max: 9 }),
      seed: fc.integer({ min: 0, max: 1_000_000 }),
      planned: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(scenario, async ({ model, n, seed, planned }) => {
        const names = Array.from({ length: n }, (_, i) => `r${i}`);
        const shuffle = (xs: string[], s: number): string[] => [...xs].sort((a, b) => ((a.charCodeAt(1) * 7919 + s) % 101) - ((b.charCodeAt(1) * 7919 + s) % 101) || (a < b ? -1 : 1));
        const fake = new FakeRanks(model, SYSTEMS, shuffle(names, seed));
        const order = shuffle(names, seed * 31 + 17);
        const r = await applyReorder(fake, order, planned ? await plannedCalls(fake, order) : undefined);
        expect(r.outcome).toBe('applied');
        expect(fake.customOrder()).toEqual(order);
        expect(fake.made.setRank).toBeLessThanOrEqual(safeModeBudget(n, (n + 4) * 10 + 10) + 1);
      }),
      { numRuns: 150 },
    );
  });
});
