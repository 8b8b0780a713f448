import { afterEach, describe, expect, it } from 'vitest';
import type { EmulatorOptions, EmulatorState, FaultKind, InstanceState } from '../../src/emulator/index.js';
import { DEFAULT_PROFILE, DEMO_INSTANCES, DEMO_PROJECTS } from '../../src/emulator/index.js';
import type { ProfileEstate, RunOutcome } from './profile-estate.js';
import { DECLARED, runPipeline, startProfileEstate } from './profile-estate.js';

/**
 * The convergence matrix under hostile answers (issue 18): creates that answer SUCCESS and store
 * nothing, and built-in rules listed with rule_type BUILT_IN and no customize_total. Converging
 * here means: no duplicate rule, nothing undeclared touched, nothing deleted before every rule
 * created on its instance is listed; and, where the answers let it, the estate as declared.
 */

const CHAOS: FaultKind[] = ['429', '500', '502', '504', 'reset', 'lost-response'];
const MAX_RUNS = 3;

let open: ProfileEstate | undefined;
afterEach(async () => {
  await open?.close();
  open = undefined;
});

const instance = (state: EmulatorState, id: string): InstanceState => state.projects[DEMO_PROJECTS.payments]!.instances.find((i) => i.id === id)!;
const customNames = (i: InstanceState) => i.rules.filter((r) => r.ruleType === 'CUSTOMIZE').map((r) => r.name);
const transcriptOf = (runs: readonly RunOutcome[]) => runs.map((r, i) => `--- run ${i + 1}: exit ${r.code}\n${r.output}`).join('\n');

/** What must hold after every run, converged or not. */
function expectSafe(e: ProfileEstate, transcript: string): void {
  const state = e.emulator.state;
  for (const id of [DEMO_INSTANCES.prodAudit, DEMO_INSTANCES.stagingAudit]) {
    const names = customNames(instance(state, id));
    expect(new Set(names).size, `duplicates: ${names.join(', ')}\n${transcript}`).toBe(names.length);
  }
  const prod = customNames(instance(state, DEMO_INSTANCES.prodAudit));
  // legacy-export is the one rule prune deletes: only once every created rule is listed
  if (!prod.includes('legacy-export')) expect(prod, `deleted before its successors were seen\n${transcript}`).toEqual(expect.arrayContaining([...DECLARED.prod]));
  expect(prod.filter((n) => !(DECLARED.prod as readonly string[]).includes(n) && n !== 'legacy-export'), 'nothing undeclared appears').toEqual([]);
  const handMade = (s: EmulatorState) => instance(s, DEMO_INSTANCES.stagingAudit).rules.find((r) => r.name === 'hand-made-debug');
  expect(handMade(state), 'the undeclared rule is untouched').toEqual(handMade(e.initial));
  expect(state.projects[DEMO_PROJECTS.analytics], 'the undeclared project is untouched').toEqual(e.initial.projects[DEMO_PROJECTS.analytics]);
  const systems = (s: EmulatorState) => instance(s, DEMO_INSTANCES.prodAudit).rules.filter((r) => r.ruleType === 'SYSTEM').map((r) => r.name);
  expect(systems(state), 'no built-in rule deleted').toEqual(systems(e.initial));
}

/** The estate is what the policy declares. */
function expectConverged(e: ProfileEstate, transcript: string): void {
  const prod = instance(e.emulator.state, DEMO_INSTANCES.prodAudit);
  expect(customNames(prod), transcript).toEqual(DECLARED.prod);
  expect(prod.rules.find((r) => r.name === 'Slow_SQL_detection')?.status, transcript).toBe('ON');
  expect(customNames(instance(e.emulator.state, DEMO_INSTANCES.stagingAudit)).filter((n) => n !== 'hand-made-debug'), transcript).toEqual(DECLARED.staging);
}

/** Reconciles until a run exits 0 (at most MAX_RUNS), checking safety after each run. */
async function reconcileUntilConverged(e: ProfileEstate): Promise<RunOutcome[]> {
  const runs: RunOutcome[] = [];
  while (runs.length < MAX_RUNS) {
    const run = await runPipeline(e, 'reconcile');
    runs.push(run);
    expectSafe(e, transcriptOf(runs));
    if (run.code === 0) break;
  }
  return runs;
}

/** Hostile readings that still let the estate converge, each with the emulator options that make it. */
const CONVERGING: Record<string, EmulatorOptions> = {
  'lying create answers (SUCCESS, nothing stored, once per name)': { hostileAnswers: { lyingCreate: 'once' } },
  'built-in rules typed BUILT_IN, no customize_total, unknown names': { profile: { ...DEFAULT_PROFILE, systemRuleNames: 'variant' }, hostileAnswers: { builtInType: true } },
};

describe('convergence under hostile answers', () => {
  for (const [label, options] of Object.entries(CONVERGING)) {
    it(`${label}: converges within ${MAX_RUNS} runs, safely, and the next plan is empty`, async () => {
      open = await startProfileEstate(options);
      const runs = await reconcileUntilConverged(open);
      const transcript = transcriptOf(runs);
      expect(runs.at(-1)!.code, transcript).toBe(0);
      expectConverged(open, transcript);
      expect((await runPipeline(open, 'plan')).code, transcript).toBe(0);
    });

    it(`${label}: with 25% faults (lost answers included), safe after every run, converged within ${MAX_RUNS + 1} runs`, async () => {
      open = await startProfileEstate({ ...options, seed: 11, rateLimit: { limit: 5000, per: 'second' }, faults: { rate: 0.25, kinds: CHAOS } });
      open.emulator.failNext('CreateAuditRiskRule', 'lost-response');
      const runs = await reconcileUntilConverged(open);
      if (runs.at(-1)!.code !== 0) runs.push(await runPipeline(open, 'reconcile'));
      const transcript = transcriptOf(runs);
      expectSafe(open, transcript);
      expect(runs.at(-1)!.code, transcript).toBe(0);
      expectConverged(open, transcript);
    });
  }

  it('creates that always answer SUCCESS and store nothing: never converges, never deletes, never duplicates', async () => {
    open = await startProfileEstate({ hostileAnswers: { lyingCreate: 'always' } });
    const runs = await reconcileUntilConverged(open);
    const transcript = transcriptOf(runs);
    expect(runs, transcript).toHaveLength(MAX_RUNS);
    expect(runs.every((r) => r.code !== 0), transcript).toBe(true);
    expect(open.emulator.counters().byOperation.DeleteAuditRuleRisk ?? 0, transcript).toBe(0);
    expect(customNames(instance(open.emulator.state, DEMO_INSTANCES.prodAudit))).toContain('legacy-export');
    expect(transcript).toContain('delete:legacy-export: create of any-operation-from-bastion answered success but any-operation-from-bastion is not listed (and 1 more); keeping legacy-export');
  });

  it('BUILT_IN built-in rules under the hostile profile (no rule_type on any rule, no customize_total): no rule can be told custom, so nothing is written to the instances', async () => {
    open = await startProfileEstate({ profile: 'hostile', hostileAnswers: { builtInType: true } });
    const before = structuredClone(open.emulator.state.projects[DEMO_PROJECTS.payments]!.instances);
    const runs = await reconcileUntilConverged(open);
    const transcript = transcriptOf(runs);
    expect(runs.every((r) => r.code !== 0), transcript).toBe(true);
    expect(transcript).toMatch(/prod-audit: rule bulk-delete-prod \(id \w+\) is listed without rule_type, and the list's customize_total does not confirm it is custom/);
    expect(open.emulator.state.projects[DEMO_PROJECTS.payments]!.instances, transcript).toEqual(before);
  });
});
