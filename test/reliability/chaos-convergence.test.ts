import { afterAll, describe, expect, it } from 'vitest';
import type { FaultKind } from '../../src/emulator/index.js';
import { runCli } from '../helpers/run-cli.js';
import type { CliRun } from '../helpers/run-cli.js';
import { STACK_LINE } from './helpers/cli-process.js';
import { expectStateMatchesPolicy } from './helpers/converged.js';
import { startEstateEnv } from './helpers/estate-env.js';
import type { EstateEnv } from './helpers/estate-env.js';

/**
 * Chaos convergence: a quarter of all requests fail (429, 500, 502, 504, connection resets,
 * writes applied with the answer lost) and answers come with latency spikes. `reconcile` is
 * run until it reports success, at most three times; the estate must then be exactly what the
 * policy declares, with nothing duplicated, lost or touched outside the plan.
 *
 * The seeds run side by side: each run spends most of its time in the client's retry backoff
 * (1 s base, not configurable from the CLI), not on the CPU.
 */
const SEEDS = [1, 2, 3, 4, 5, 6, 7, 8];
const CHAOS: FaultKind[] = ['429', '500', '502', '504', 'reset', 'lost-response'];
const MAX_RUNS = 3;

const envs: EstateEnv[] = [];
afterAll(async () => {
  await Promise.all(envs.map((e) => e.close()));
});

async function reconcileUntilSuccess(e: EstateEnv): Promise<CliRun[]> {
  const runs: CliRun[] = [];
  while (runs.length < MAX_RUNS) {
    // Every 429 states the emulator's limit (injected ones too) and the client adopts it.
    const run = await runCli(['reconcile', '--policies', e.policies, '--force', '--rate-limit', '1000/s'], { env: e.env, cwd: e.dir });
    runs.push(run);
    if (run.code === 0) break;
  }
  return runs;
}

async function chaosRun(seed: number): Promise<void> {
  const e = await startEstateEnv({
    // 3 instances of 12 rules: the first declared with prune, the second without, the third not at all
    estate: { projects: 1, instancesPerProject: 3, rulesPerInstance: 12, seed },
    share: 0.4,
    seed,
    emulator: {
      seed,
      rateLimit: { limit: 1000, per: 'second' },
      faults: { rate: 0.25, kinds: CHAOS },
      latency: { fixedMs: 1, jitterMs: 60 },
    },
  });
  envs.push(e);
  const runs = await reconcileUntilSuccess(e);
  const transcript = runs.map((r, i) => `seed ${seed} run ${i + 1}: exit ${r.code}\n${r.stdout}\n${r.stderr}`).join('\n');
  expect(runs.at(-1)!.code, transcript).toBe(0);
  for (const r of runs) {
    expect(r.stdout + r.stderr, transcript).not.toMatch(STACK_LINE);
    expect(r.stderr, transcript).not.toContain('internal error');
  }
  const faults = e.emulator.log.filter((entry) => entry.fault).map((entry) => entry.fault);
  expect(new Set(faults).size, `seed ${seed}: fault kinds drawn`).toBeGreaterThanOrEqual(4);
  expectStateMatchesPolicy(e.emulator.state, e.declared, e.initial);
}

describe('chaos convergence', () => {
  it(`converges to the declared state within ${MAX_RUNS} runs for seeds ${SEEDS.join(', ')}`, async () => {
    const outcomes = await Promise.allSettled(SEEDS.map(chaosRun));
    const failed = outcomes.flatMap((o, i) => (o.status === 'rejected' ? [`seed ${SEEDS[i]}: ${String(o.reason)}`] : []));
    expect(failed).toEqual([]);
  });
});
