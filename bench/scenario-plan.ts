import type { GenerateStateOptions } from '../src/emulator/index.js';
import { generateState } from '../src/emulator/index.js';
import { loadPolicies } from '../src/policy/load-policies.js';
import { preparePlan } from '../src/run/reconcile.js';
import type { EmulatorHandle } from './emulator-handle.js';
import { readMinimum } from './minimum-requests.js';
import { benchInputs, benchPool, timed } from './pipeline.js';
import { policyOfState, withTempPolicyTree } from './policy-tree.js';
import type { ScenarioResult } from './report.js';
import { EQUAL_BUDGET_NOTE, throttleNote } from './throttle-notes.js';

/** Conditions of the scenarios that talk to the emulator. */
export interface LoadSettings {
  /** The estate (projects × instances × rules, seed). */
  readonly estate: GenerateStateOptions;
  /** Emulator latency per request, ms. */
  readonly latencyMs: number;
  /** R: the API's limit and the client's budget, requests per second. */
  readonly rate: number;
  /** Client requests in flight. */
  readonly concurrency: number;
  /** The emulator's accepted credential. */
  readonly credential: { readonly ak: string; readonly sk: string };
}

/** Setup lines shared by the load scenarios. */
export function loadSetup(s: LoadSettings, rate: string): Record<string, string | number> {
  const e = s.estate;
  return {
    estate: `${e.projects}×${e.instancesPerProject} instances × ${e.rulesPerInstance} custom rules (+4 system)`,
    seed: e.seed ?? 1,
    latency: `${s.latencyMs} ms`,
    rate,
    concurrency: s.concurrency,
  };
}

/** The time ratio: wall time over the time the minimum requests need at `rate` per second. */
export const timeRatio = (wallMs: number, minimum: number, rate: number): number => wallMs / ((minimum / rate) * 1000);

/**
 * 1. Plan at scale: the policy declares the estate exactly as it is; preparePlan loads it, reads
 * the live state through the real client pool and computes the (empty) plan.
 */
export async function planAtScale(emulator: EmulatorHandle, s: LoadSettings): Promise<ScenarioResult> {
  const state = generateState(s.estate);
  const projects = policyOfState(state);
  await emulator.configure({ latency: { fixedMs: s.latencyMs }, rateLimit: { limit: s.rate, per: 'second' }, faults: null });
  await emulator.reset();
  const { pool, events } = benchPool({ endpoint: emulator.url, credential: s.credential, rateLimit: { requests: s.rate, perMs: 1000 }, concurrency: s.concurrency });
  const { prepared, ms, loadMs } = await withTempPolicyTree(projects, 'plan', async (dir) => {
    const load = await timed(() => loadPolicies(dir, { cwd: dir }));
    const plan = await timed(() => preparePlan(benchInputs(dir, pool)));
    return { prepared: plan.value, ms: plan.ms, loadMs: load.ms };
  });
  const client = pool.stats();
  await pool.close();
  const server = await emulator.counters();
  const minimum = readMinimum(state, projects);
  const problems = prepared.plan.errors.length + prepared.live.errors.length;
  return {
    title: '1. plan at scale',
    setup: loadSetup(s, `R = ${s.rate}/s (emulator limit and client budget)`),
    figures: [
      { name: 'wall time', value: Math.round(ms), unit: 'ms' },
      { name: 'requests (client)', value: client.requests, unit: 'req', target: { op: '=', value: minimum.total } },
      { name: 'requests (emulator)', value: server.requests, unit: 'req', target: { op: '=', value: minimum.total } },
      { name: 'minimum requests', value: minimum.total, unit: 'req' },
      { name: 'time ratio wall / (min / R)', value: timeRatio(ms, minimum.total, s.rate), unit: '×', target: { op: '<=', value: 1.15 } },
      { name: '429 answers (each one retried)', value: server.throttled, unit: '' },
      { name: 'requests − 429s', value: server.requests - server.throttled, unit: 'req' },
      { name: 'plan changes / errors', value: prepared.plan.changes.length + problems, unit: '', target: { op: '=', value: 0, source: 'policy = estate' } },
    ],
    notes: [
      ...(server.throttled > 0 ? [EQUAL_BUDGET_NOTE, throttleNote(events)] : []),
      `minimum by operation: ${JSON.stringify(minimum.byOperation)}; emulator: ${JSON.stringify(server.byOperation)}`,
      `wall time covers the whole preparePlan: loading and validating the policy tree (alone: ${Math.round(loadMs)} ms), the live read and computePlan`,
    ],
  };
}
