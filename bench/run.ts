import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { startEmulatorProcess } from './emulator-handle.js';
import { closingNote, formatTable } from './report.js';
import type { ScenarioResult } from './report.js';
import { applyAtScale } from './scenario-apply.js';
import { planAtScale } from './scenario-plan.js';
import { cachedDrift } from './scenario-cached-drift.js';
import { planningCost } from './scenario-planning-cost.js';
import { rateAuto } from './scenario-rate-auto.js';
import { scopedPlan } from './scenario-scoped-plan.js';
import { throttled } from './scenario-throttled.js';
import { guardrailsCost } from './scenario-guardrails.js';
import { VALIDATE_100K, validationCost } from './scenario-validation-cost.js';
import { kindsPlan } from './scenario-kinds.js';
import type { LoadSettings } from './scenario-plan.js';

/**
 * `npm run bench`: the five scenarios of issue 7 against an emulator in a separate process over
 * loopback. Prints every figure next to its target and writes bench/results.json.
 * `node dist/bench/run.js plan apply` runs only the named scenarios.
 */

const SEED = 7;
const CREDENTIAL = { ak: 'BENCHACCESSKEY000001', sk: 'bench-secret-key-not-a-real-one' };
const SCALE = Number(process.env['BENCH_SCALE'] ?? '1');

/**
 * R = 500/s rather than the example 50/s: the plan at scale needs 20,201 requests, which
 * at 50/s is almost 7 minutes per read (and the apply scenario reads twice). At 500/s the whole
 * run takes a few minutes; concurrency 32 keeps R × latency (10 requests) in flight with room.
 */
const LOAD: LoadSettings = {
  estate: { projects: 1, instancesPerProject: Math.round(200 * SCALE), rulesPerInstance: 100, seed: SEED },
  latencyMs: 20,
  rate: 500,
  concurrency: 32,
  credential: CREDENTIAL,
};

/** Throttled: the emulator allows half of what the client is configured for. */
const THROTTLED: LoadSettings = { ...LOAD, estate: { ...LOAD.estate, instancesPerProject: Math.round(30 * SCALE) }, rate: 150 };
const THROTTLED_CLIENT_RATE = 300;

const RESULTS = fileURLToPath(new URL('../../bench/results.json', import.meta.url));

/** Scoped PR plan: the same change on a quarter of the estate must cost the same requests. */
const SMALL_ESTATE = { ...LOAD.estate, instancesPerProject: Math.round(50 * SCALE) };
/** Hourly cached drift run: 1000 × 100. */
const DRIFT_ESTATE = { ...LOAD.estate, instancesPerProject: Math.round(1000 * SCALE) };

const SCENARIOS = ['plan', 'apply', 'throttled', 'scoped', 'cached-drift', 'rate-auto', 'kinds', 'planning', 'validate', 'validation', 'validate-100k', 'guardrails'];

/** Every kind declared: 50 instances × 20 rules, each with every other kind's sample. */
const KINDS_LOAD: LoadSettings = { ...LOAD, estate: { ...LOAD.estate, instancesPerProject: Math.round(50 * SCALE), rulesPerInstance: 20 } };

/** --rate-limit auto: a few hundred requests (5 × 100), the gateway at 5× the starting budget. */
const RATE_AUTO = { estate: { ...LOAD.estate, instancesPerProject: 5 }, limitFactor: 5, latencyMs: LOAD.latencyMs, credential: CREDENTIAL };

/** Scenario names: bare (`plan apply`) or with `--only a,b` / `--only=a` (`npm run bench -- --only scoped`). */
function wantedScenarios(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--only') out.push(...(argv[++i] ?? '').split(','));
    else if (a.startsWith('--only=')) out.push(...a.slice('--only='.length).split(','));
    else out.push(a);
  }
  return out.filter((w) => w !== '');
}

async function main(): Promise<void> {
  const wanted = wantedScenarios(process.argv.slice(2));
  const unknown = wanted.filter((w) => !SCENARIOS.includes(w));
  if (unknown.length > 0) {
    process.stderr.write(`bench: unknown scenario ${unknown.join(', ')} (known: ${SCENARIOS.join(', ')})\n`);
    process.exitCode = 1;
    return;
  }
  const run = (name: string): boolean => wanted.length === 0 || wanted.includes(name);
  const results: ScenarioResult[] = [];
  const started = Date.now();
  const emulator = await startEmulatorProcess({ estate: LOAD.estate, credential: CREDENTIAL, settings: {}, seed: SEED });
  try {
    if (run('plan')) results.push(await planAtScale(emulator, LOAD));
    if (run('apply')) results.push(await applyAtScale(emulator, LOAD, SEED));
    if (run('throttled')) results.push(await throttled(emulator, THROTTLED, THROTTLED_CLIENT_RATE));
    if (run('scoped')) results.push(await scopedPlan(emulator, LOAD, SMALL_ESTATE));
    if (run('cached-drift')) results.push(await cachedDrift(emulator, LOAD, DRIFT_ESTATE));
    if (run('rate-auto')) results.push(await rateAuto(emulator, RATE_AUTO));
    if (run('kinds')) results.push(await kindsPlan(emulator, KINDS_LOAD));
  } finally {
    await emulator.close();
  }
  if (run('planning')) results.push(await planningCost(1000, 100, SEED));
  if (run('validate') || run('validation')) results.push(await validationCost(500, 20, SEED));
  if (run('validate-100k')) results.push(await validationCost(1000, 100, SEED, VALIDATE_100K));
  if (run('guardrails')) results.push(await guardrailsCost(1000, 100, SEED));
  const table = formatTable(results);
  const closing = closingNote(results);
  process.stdout.write(`${table}\n${closing}Bench took ${Math.round((Date.now() - started) / 1000)} s.\n`);
  await writeFile(RESULTS, `${JSON.stringify({ measuredAt: new Date().toISOString(), node: process.version, results }, null, 2)}\n`);
}

await main();
