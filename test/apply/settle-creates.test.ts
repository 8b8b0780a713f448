import { afterEach, describe, expect, it } from 'vitest';
import type { DbssClient } from '../../src/api/types.js';
import { settleCreatedRules } from '../../src/apply/settle-creates.js';
import type { ChangeResult } from '../../src/apply/types.js';
import type { Emulator } from '../../src/emulator/index.js';
import { DEMO_INSTANCES, DEMO_PROJECTS, demoState, PROFILES, startEmulator } from '../../src/emulator/index.js';
import { createClientPool } from '../../src/live/client-pool.js';
import type { Change, PlanTarget } from '../../src/plan/types.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { ruleSpec, testClient } from '../api/helpers/client.js';
import { NO_REVIEW, testPlan } from './test-plan.js';

/**
 * Issue 18 item 3, the verification's side: before the verification after an apply calls a
 * create "still pending", the instance is listed again over the settle window until every rule
 * the apply created there is listed. The emulator shows a created rule LAG ms after the create
 * (by the fake clock the client shares), so the waits are counted, not slept.
 */

const PROJECT = DEMO_PROJECTS.payments;
const INSTANCE = DEMO_INSTANCES.prodAudit;
const KEY = `cn-north-4/${PROJECT}/prod-audit`;
const TARGET: PlanTarget = { key: KEY, region: 'cn-north-4', projectId: PROJECT, instanceId: INSTANCE, instanceName: 'prod-audit' };
const LAG = 3000;
const WINDOW = 5000;

let emu: Emulator | undefined;
let client: DbssClient | undefined;
afterEach(async () => {
  await client?.close();
  await emu?.close();
  emu = client = undefined;
});

async function laggingEstate() {
  const clock = new FakeClock();
  clock.t = Date.now();
  emu = await startEmulator({ state: demoState(), profile: PROFILES.default, now: () => clock.now(), listLagMs: LAG });
  client = testClient(emu.url, { clock, settleMs: WINDOW }).client;
  const pool = createClientPool(() => client!);
  const lists = () => emu!.counters().byOperation.ListAuditRuleRisksNew ?? 0;
  return { clock, pool, lists, create: (name: string) => client!.createRule(PROJECT, INSTANCE, ruleSpec(name)) };
}

const create = (rule: string, target = KEY): Change => ({ id: `${target}#create:${rule}`, target, kind: 'create', rule, after: ruleSpec(rule), review: NO_REVIEW });
const update = (rule: string): Change => ({ id: `${KEY}#update:${rule}`, target: KEY, kind: 'update', rule, ruleId: `id-${rule}`, before: ruleSpec(rule), after: ruleSpec(rule), fields: [], review: NO_REVIEW });
const ended = (c: Change, outcome: ChangeResult['outcome']): ChangeResult => ({ id: c.id, kind: c.kind, target: c.target, outcome, calls: 1 });
const applyOf = (...results: ChangeResult[]) => ({ results, interrupted: false });

describe('settleCreatedRules', () => {
  it('lists the instance again until every rule the apply created there is listed, then says to read again', async () => {
    const { clock, pool, lists, create: post } = await laggingEstate();
    const [a, b] = [create('early-rule'), create('late-rule')];
    await post('early-rule');
    clock.t += 2000;
    await post('late-rule'); // listed 3000 ms from now; early-rule 1000 ms from now
    const start = clock.now();
    const waited = await settleCreatedRules(testPlan([a, b], [TARGET]), applyOf(ended(a, 'applied'), ended(b, 'applied')), testPlan([a, b], [TARGET]), pool);
    expect(waited).toBe(true);
    // listings at 0, 1250, 2500 and 3750 ms: the first that shows both (not the first that shows one)
    expect([clock.now() - start, lists()]).toEqual([3750, 4]);
  });

  it('does not wait for a create that failed, one already listed, or a rule the next plan only updates', async () => {
    const { clock, pool, lists } = await laggingEstate();
    const [failed, listed, changed] = [create('failed-rule'), create('listed-rule'), create('changed-rule')];
    const plan = testPlan([failed, listed, changed], [TARGET]);
    const apply = applyOf(ended(failed, 'failed'), ended(listed, 'applied'), ended(changed, 'applied'));
    const start = clock.now();
    expect(await settleCreatedRules(plan, apply, testPlan([failed, update('changed-rule')], [TARGET]), pool)).toBe(false);
    expect([clock.now() - start, lists()]).toEqual([0, 0]);
  });

  it('does not wait for a rule whose update applied and which the next plan would create (another writer deleted it)', async () => {
    const { pool, lists } = await laggingEstate();
    const u = update('gone-rule');
    expect(await settleCreatedRules(testPlan([u], [TARGET]), applyOf(ended(u, 'applied')), testPlan([create('gone-rule')], [TARGET]), pool)).toBe(false);
    expect(lists()).toBe(0);
  });

  it('lists nothing for a create on a target the plan does not list, and waits at most the window for one never listed', async () => {
    const { clock, pool, lists } = await laggingEstate();
    const stray = create('stray-rule', `cn-north-4/${PROJECT}/elsewhere`);
    const never = create('never-rule');
    const start = clock.now();
    expect(await settleCreatedRules(testPlan([stray, never], [TARGET]), applyOf(ended(stray, 'applied'), ended(never, 'applied')), testPlan([stray, never], [TARGET]), pool)).toBe(true);
    expect([clock.now() - start, lists()]).toEqual([WINDOW, 5]);
  });
});
