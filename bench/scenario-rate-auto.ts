import { AkSkCredentials, createDbssClient, describeLearnedLimit, memoryLimitStore } from '../src/api/index.js';
import { DEFAULT_RATE_LIMIT } from '../src/api/index.js';
import type { GenerateStateOptions } from '../src/emulator/index.js';
import { generateState } from '../src/emulator/index.js';
import { createClientPool } from '../src/live/client-pool.js';
import { preparePlan } from '../src/run/reconcile.js';
import type { EmulatorHandle } from './emulator-handle.js';
import { readMinimum } from './minimum-requests.js';
import { benchInputs, timed } from './pipeline.js';
import { policyOfState, withTempPolicyTree } from './policy-tree.js';
import type { ScenarioResult } from './report.js';
import { timeRatio } from './scenario-plan.js';

/** How the `--rate-limit auto` scenario is set up. */
export interface RateAutoSettings {
  /** The estate planned (a few hundred requests). */
  readonly estate: GenerateStateOptions;
  /** The gateway's real limit as a multiple of the client's starting budget (10/s). */
  readonly limitFactor: number;
  /** Emulator latency per request, ms. */
  readonly latencyMs: number;
  /** The emulator's accepted credential. */
  readonly credential: { readonly ak: string; readonly sk: string };
}

/**
 * 8. `--rate-limit auto`: the emulator's limit is `limitFactor` × the default budget; the client
 * starts at the default budget (10/s, CLI defaults otherwise: 8 in flight), probes upward and
 * learns the limit from the first 429. The no-change plan's wall time is compared with the time
 * its minimum requests take at the real limit. Reproduce: `npm run bench -- --only rate-auto`.
 */
export async function rateAuto(emulator: EmulatorHandle, s: RateAutoSettings): Promise<ScenarioResult> {
  const start = (DEFAULT_RATE_LIMIT.requests * 1000) / DEFAULT_RATE_LIMIT.perMs;
  const limit = start * s.limitFactor;
  const state = generateState(s.estate);
  await emulator.generate(s.estate);
  const projects = policyOfState(state);
  await emulator.configure({ latency: { fixedMs: s.latencyMs }, rateLimit: { limit, per: 'second' }, faults: null });
  await emulator.reset();
  const store = memoryLimitStore();
  const credentials = new AkSkCredentials({ accessKey: s.credential.ak, secretKey: s.credential.sk });
  const pool = createClientPool((region) => createDbssClient({ region, credentials, endpoint: emulator.url, learnRateLimit: store }));
  const { value: prepared, ms } = await withTempPolicyTree(projects, 'rate-auto', (dir) => timed(() => preparePlan(benchInputs(dir, pool))));
  await pool.close();
  const server = await emulator.counters();
  const minimum = readMinimum(state, projects);
  const learned = store.current;
  const errors = prepared.plan.errors.length + prepared.live.errors.length;
  const e = s.estate;
  return {
    title: '8. --rate-limit auto',
    setup: {
      estate: `${e.projects}×${e.instancesPerProject} instances × ${e.rulesPerInstance} custom rules`,
      seed: e.seed ?? 1,
      latency: `${s.latencyMs} ms`,
      rate: `client starts at ${start}/s (the default), emulator limit ${limit}/s (${s.limitFactor}×)`,
    },
    figures: [
      { name: 'wall time', value: Math.round(ms), unit: 'ms' },
      { name: 'ideal at the real limit (minimum / limit)', value: Math.round((minimum.total / limit) * 1000), unit: 'ms' },
      { name: 'time ratio wall / ideal', value: timeRatio(ms, minimum.total, limit), unit: '×', target: { op: '<=', value: 1.2 } },
      { name: 'learned rate', value: learned?.requestsPerSecond ?? 0, unit: 'req/s', target: { op: '<=', value: limit } },
      { name: 'limit stated by the 429', value: learned?.stated ? (learned.stated.requests * 1000) / learned.stated.perMs : 0, unit: 'req/s', target: { op: '=', value: limit } },
      { name: '429 answers (emulator)', value: server.throttled, unit: '' },
      { name: 'requests − 429s − minimum', value: server.requests - server.throttled - minimum.total, unit: 'req', target: { op: '=', value: 0 } },
      { name: 'errors', value: errors, unit: '', target: { op: '=', value: 0 } },
    ],
    notes: [
      `learned: ${learned ? describeLearnedLimit(learned) : 'nothing'}`,
      'the client raises its rate by the starting budget every 0.5 s in which requests waited for it; the gateway lets a burst of one second through, so the first 429 comes once the client has outrun the limit by that burst; from then on it paces at 95% of the stated limit',
      `minimum requests ${minimum.total}: ${JSON.stringify(minimum.byOperation)}`,
    ],
  };
}
