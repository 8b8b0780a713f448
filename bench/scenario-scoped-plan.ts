import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GenerateStateOptions } from '../src/emulator/index.js';
import { generateState } from '../src/emulator/index.js';
import { preparePlan } from '../src/run/reconcile.js';
import type { EmulatorHandle } from './emulator-handle.js';
import { readMinimum } from './minimum-requests.js';
import { benchInputs, benchPool, timed } from './pipeline.js';
import { policyOfState, writePolicyTree } from './policy-tree.js';
import type { PolicyProject } from './policy-tree.js';
import type { ScenarioResult } from './report.js';
import type { LoadSettings } from './scenario-plan.js';

/**
 * 6. Scoped PR plan: `plan --changed-since REF` on a git repository whose policies declare the
 * estate exactly, after a pull request changed one instance. Measured at the API's default
 * budget, 10 requests/s on both sides (the client's `--rate-limit` and the emulator's limit):
 * a scoped plan needs only a few requests, so the real rate costs seconds, not minutes.
 */

const RATE = 10;
/** plan.yml's timeout-minutes. */
const PR_JOB_LIMIT_MS = 20 * 60_000;

const git = (cwd: string, ...args: string[]): void =>
  void execFileSync('git', ['-c', 'user.email=bench@example.invalid', '-c', 'user.name=bench', '-c', 'commit.gpgsign=false', ...args], { cwd });

/** The policy with the risk level of the first rule (or of every rule) of instance `n` of the first project flipped. */
function changeInstance(projects: readonly PolicyProject[], n: number, every: boolean): PolicyProject[] {
  const flip = (level: string): string => (level === 'HIGH' ? 'LOW' : 'HIGH');
  return projects.map((p, k) =>
    k !== 0
      ? p
      : { ...p, instances: p.instances.map((i, m) => (m !== n ? i : { ...i, risk_rules: i.risk_rules.map((r, j) => (every || j === 0 ? { ...r, risk_level: flip(r.risk_level) } : r)) })) },
  );
}

interface ScopedRun {
  readonly requests: number;
  readonly emulatorRequests: number;
  readonly throttled: number;
  readonly ms: number;
  readonly updates: number;
  readonly unchanged: number;
}

/** Commits the estate's policy, applies the change in the work tree, and plans --changed-since HEAD. */
async function scopedRun(emulator: EmulatorHandle, s: LoadSettings, estate: GenerateStateOptions, every: boolean): Promise<ScopedRun> {
  const state = generateState(estate);
  await emulator.generate(estate);
  const projects = policyOfState(state);
  const repo = await mkdtemp(join(tmpdir(), 'dbss-bench-scoped-'));
  try {
    const policies = join(repo, 'policies');
    git(repo, 'init', '-q');
    await writePolicyTree(policies, projects);
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'base');
    await writePolicyTree(policies, changeInstance(projects, Math.floor(estate.instancesPerProject / 2), every));
    await emulator.reset();
    const { pool } = benchPool({ endpoint: emulator.url, credential: s.credential, rateLimit: { requests: RATE, perMs: 1000 }, concurrency: s.concurrency });
    const run = await timed(() => preparePlan({ ...benchInputs(policies, pool), changedSince: 'HEAD' }));
    const requests = pool.stats().requests;
    await pool.close();
    const plan = run.value.plan;
    const errors = plan.errors.length + run.value.live.errors.length;
    if (errors > 0) throw new Error(`scoped plan: ${errors} errors: ${JSON.stringify(plan.errors.slice(0, 3))}`);
    const counters = await emulator.counters();
    return {
      requests,
      emulatorRequests: counters.requests,
      throttled: counters.throttled,
      ms: run.ms,
      updates: plan.changes.filter((c) => c.kind === 'update').length,
      unchanged: plan.coverage?.changedSince?.unchangedTargets ?? -1,
    };
  } finally {
    await rm(repo, { recursive: true, force: true });
  }
}

/** Scenario 6: requests and wall time of a scoped PR plan against the full plan of the same estate. */
export async function scopedPlan(emulator: EmulatorHandle, s: LoadSettings, small: GenerateStateOptions): Promise<ScenarioResult> {
  await emulator.configure({ latency: { fixedMs: s.latencyMs }, rateLimit: { limit: RATE, per: 'second' }, faults: null });
  const oneRule = await scopedRun(emulator, s, s.estate, false);
  const wholeInstance = await scopedRun(emulator, s, s.estate, true);
  const smallEstate = await scopedRun(emulator, s, small, true);
  const state = generateState(s.estate);
  const full = readMinimum(state, policyOfState(state)).total;
  const fullMs = (full / RATE) * 1000;
  const e = s.estate;
  return {
    title: '6. scoped PR plan',
    setup: {
      estate: `${e.projects}×${e.instancesPerProject} instances × ${e.rulesPerInstance} custom rules`,
      change: 'one instance: its first rule, then all of its rules (risk_level flipped)',
      rate: `${RATE}/s (client budget and emulator limit, the API default)`,
      latency: `${s.latencyMs} ms`,
    },
    figures: [
      { name: 'one rule changed: requests (client)', value: oneRule.requests, unit: 'req', target: { op: '<=', value: 110, source: 'issue 14' } },
      { name: 'one rule changed: requests (emulator)', value: oneRule.emulatorRequests, unit: 'req' },
      { name: 'one rule changed: wall time', value: Math.round(oneRule.ms), unit: 'ms' },
      { name: 'all 100 rules changed: requests (client)', value: wholeInstance.requests, unit: 'req', target: { op: '<=', value: 110, source: 'issue 14' } },
      { name: 'all 100 rules changed: 429 answers (each retried, counted above)', value: wholeInstance.throttled, unit: '' },
      { name: 'all 100 rules changed: wall time', value: Math.round(wholeInstance.ms), unit: 'ms', target: { op: '<', value: PR_JOB_LIMIT_MS, source: 'plan.yml timeout' } },
      { name: `same change on ${small.instancesPerProject}×100: requests`, value: smallEstate.requests, unit: 'req', target: { op: '=', value: wholeInstance.requests, source: 'grows with the change, not the estate' } },
      { name: 'full plan of the estate: minimum requests', value: full, unit: 'req' },
      { name: 'full plan at 10/s: projected wall time', value: Math.round(fullMs), unit: 'ms' },
      { name: 'wall ratio scoped / full (all 100 rules changed)', value: wholeInstance.ms / fullMs, unit: '×' },
      { name: 'unchanged targets not read', value: wholeInstance.unchanged, unit: '', target: { op: '=', value: e.projects * e.instancesPerProject - 1 } },
      { name: 'one rule changed: updates planned', value: oneRule.updates, unit: '', target: { op: '=', value: 1 } },
      { name: 'all 100 rules changed: updates planned', value: wholeInstance.updates, unit: '', target: { op: '=', value: e.rulesPerInstance } },
    ],
    notes: [
      'wall time includes git (ls-tree, cat-file) and loading and validating the policy tree twice (the work tree and the tree at HEAD), each 20,000 rules',
      'the full plan figure is the minimum the API allows (scenario 1 measures it at 500/s); at 10/s it cannot fit plan.yml\'s 20-minute limit',
    ],
  };
}
