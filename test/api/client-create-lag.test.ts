import { afterEach, describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator/index.js';
import { DEMO_INSTANCES, DEMO_PROJECTS, demoState, PROFILES, startEmulator } from '../../src/emulator/index.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { ruleSpec, testClient } from './helpers/client.js';

/**
 * Issue 18 item 3: a create whose answer was lost meets a listing that lags. The emulator shows
 * a created rule in its lists only listLagMs after the create (by its clock); the client and
 * the emulator share one fake clock, so the settle window's waits take no real time and the
 * test does not depend on how loaded the machine is.
 */

const PROJECT = DEMO_PROJECTS.payments;
const INSTANCE = DEMO_INSTANCES.prodAudit;

let emu: Emulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

/** An emulator accepting duplicate names (the worst case: a resend is a second rule) with list lag, on a fake clock. */
async function laggingEmulator(listLagMs: number) {
  const clock = new FakeClock();
  clock.t = Date.now();
  emu = await startEmulator({ state: demoState(), profile: PROFILES['custom-ranks'], now: () => clock.now(), listLagMs });
  return { emu, clock };
}

const copies = (e: Emulator, name: string) => e.state.projects[PROJECT]!.instances.find((i) => i.id === INSTANCE)!.rules.filter((r) => r.name === name).length;
const posts = (e: Emulator) => e.counters().byOperation.CreateAuditRiskRule ?? 0;
const lists = (e: Emulator) => e.counters().byOperation.ListAuditRuleRisksNew ?? 0;

describe('a lost create answer under a lagging list', () => {
  for (const lagMs of [1500, 3000]) {
    it(`lag ${lagMs} ms, settle window 5 s: listed again over the window until the rule shows; never sent again, one rule`, async () => {
      const { emu: e, clock } = await laggingEmulator(lagMs);
      e.failNext('CreateAuditRiskRule', 'lost-response');
      const { client, events } = testClient(e.url, { clock, settleMs: 5000 });
      const start = clock.now();
      await client.createRule(PROJECT, INSTANCE, ruleSpec('drop-guard'));
      await client.close();
      expect(posts(e)).toBe(1);
      expect(copies(e, 'drop-guard')).toBe(1);
      expect(lists(e)).toBeGreaterThan(1);
      expect(clock.now() - start).toBeGreaterThanOrEqual(lagMs);
      expect(clock.now() - start).toBeLessThan(5000 + 1000);
      expect(events.map((x) => x.type)).toEqual(['verifying']);
    });
  }

  it('without a settle window (one listing, the old behaviour) the same lag makes a duplicate', async () => {
    const { emu: e, clock } = await laggingEmulator(3000);
    e.failNext('CreateAuditRiskRule', 'lost-response');
    const { client } = testClient(e.url, { clock, settleMs: 0 });
    await client.createRule(PROJECT, INSTANCE, ruleSpec('drop-guard'));
    await client.close();
    // a window of 0 is one listing, not five at once
    expect([posts(e), copies(e, 'drop-guard'), lists(e)]).toEqual([2, 2, 1]);
  });

  it('a create that never landed is resent once its absence held over the whole window (five listings)', async () => {
    const { emu: e, clock } = await laggingEmulator(3000);
    e.failNext('CreateAuditRiskRule', '500');
    const { client } = testClient(e.url, { clock, settleMs: 5000 });
    const start = clock.now();
    await client.createRule(PROJECT, INSTANCE, ruleSpec('drop-guard'));
    await client.close();
    expect([posts(e), copies(e, 'drop-guard'), lists(e)]).toEqual([2, 1, 5]);
    expect(clock.now() - start).toBeGreaterThanOrEqual(5000);
  });

  it('listRulesSettled: lists until the condition holds, at most five listings over the window', async () => {
    const { emu: e, clock } = await laggingEmulator(3000);
    const { client } = testClient(e.url, { clock, settleMs: 4000 });
    await client.createRule(PROJECT, INSTANCE, ruleSpec('fresh'));
    const shown = await client.listRulesSettled(PROJECT, INSTANCE, (rules) => rules.some((r) => r.name === 'fresh'));
    expect(shown.some((r) => r.name === 'fresh')).toBe(true);
    expect(lists(e)).toBe(4); // at 0, 1, 2 and 3 s
    const never = await client.listRulesSettled(PROJECT, INSTANCE, () => false);
    expect(never.length).toBeGreaterThan(0);
    expect(lists(e)).toBe(4 + 5);
    await client.close();
  });
});
