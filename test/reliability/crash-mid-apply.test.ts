import { afterAll, describe, expect, it } from 'vitest';
import { Prng } from '../../src/emulator/prng.js';
import { applyMinimum } from '../../bench/minimum-requests.js';
import { runCli, withCliSlot } from '../helpers/run-cli.js';
import { startCli } from './helpers/cli-process.js';
import type { CliProcess } from './helpers/cli-process.js';
import { expectStateMatchesPolicy } from './helpers/converged.js';
import { startEstateEnv } from './helpers/estate-env.js';
import type { EstateEnv } from './helpers/estate-env.js';

/**
 * Crash mid-apply: `reconcile` is killed with SIGKILL right after a randomly chosen write of a
 * large apply has been answered (twice in a row, each time at a new random point of what is left
 * to do); a last, undisturbed run must converge, with no rule duplicated or lost.
 */
const SEEDS = [11, 12, 13, 14];
const KILLS = 2;
const WRITES = new Set(['CreateAuditRiskRule', 'SetRiskOperationPolicy', 'DeleteAuditRuleRisk', 'SwitchRiskRuleNew', 'SwitchRiskRule', 'SetRiskRuleRank']);

const envs: EstateEnv[] = [];
afterAll(async () => {
  await Promise.all(envs.map((e) => e.close()));
});

/** Writes the apply from the emulator's current state still needs (the bench's minimum, without reads). */
function writesLeft(e: EstateEnv): number {
  const { byOperation } = applyMinimum(e.emulator.state, e.declared);
  return Object.entries(byOperation).reduce((n, [op, count]) => n + (op === 'listRules' ? 0 : count), 0);
}

async function crashTrial(seed: number): Promise<void> {
  let running: { cli: CliProcess; killAfter: number; writes: number } | undefined;
  const e = await startEstateEnv({
    // 2 declared instances of 60 rules, 40% changed: well over 50 writes per apply
    estate: { projects: 1, instancesPerProject: 3, rulesPerInstance: 60, seed },
    share: 0.4,
    seed,
    emulator: {
      seed,
      latency: { fixedMs: 5, jitterMs: 10 },
      onRequest: (entry) => {
        if (!running || !WRITES.has(entry.operation) || entry.status !== 200) return;
        running.writes++;
        if (running.writes === running.killAfter) running.cli.child.kill('SIGKILL');
      },
    },
  });
  envs.push(e);
  const args = ['reconcile', '--policies', e.policies, '--force', '--rate-limit', '500/s'];
  const prng = new Prng(seed);
  for (let kill = 1; kill <= KILLS; kill++) {
    const left = writesLeft(e);
    expect(left, `seed ${seed}: writes left before kill ${kill}`).toBeGreaterThan(20);
    // at least 10 writes after the kill point: more than the 8 that may be in flight and still land
    const killAfter = 1 + prng.int(left - 10);
    // The killed runs share the bounded CLI slots with the final runCli of every seed.
    const killed = await withCliSlot(() => {
      running = { cli: startCli(args, { env: e.env, cwd: e.dir }), killAfter, writes: 0 };
      return running.cli.done;
    });
    if (!running) throw new Error('unreachable: the run was started');
    expect(killed.code, `seed ${seed} kill ${kill} (after write ${running.killAfter} of ${left}): ${killed.stdout}${killed.stderr}`).toBeNull();
    expect(running.cli.child.signalCode).toBe('SIGKILL');
    expect(() => expectStateMatchesPolicy(e.emulator.state, e.declared, e.initial), `seed ${seed}: state after kill ${kill}`).toThrow();
  }
  running = undefined;
  const last = await runCli(args, { env: e.env, cwd: e.dir });
  expect(last.code, `seed ${seed}: ${last.stdout}${last.stderr}`).toBe(0);
  expect(last.stdout).toContain('Converged');
  expectStateMatchesPolicy(e.emulator.state, e.declared, e.initial);
}

describe('crash mid-apply', () => {
  it(`a reconcile killed at random writes (${KILLS} times) converges on the next run, seeds ${SEEDS.join(', ')}`, async () => {
    const outcomes = await Promise.allSettled(SEEDS.map(crashTrial));
    const failed = outcomes.flatMap((o, i) => (o.status === 'rejected' ? [`seed ${SEEDS[i]}: ${String(o.reason)}`] : []));
    expect(failed).toEqual([]);
  });
});
