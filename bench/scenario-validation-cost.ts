import { spawn } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { generateState } from '../src/emulator/index.js';
import { runMeasuredChild } from './measured-child.js';
import { policyOfState, withTempPolicyTree } from './policy-tree.js';
import type { ScenarioResult } from './report.js';

const MB = 1024 * 1024;
const CLI = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));
const PRELOAD = pathToFileURL(fileURLToPath(new URL('./peak-memory-preload.js', import.meta.url))).href;

/** Runs `dbss-policy validate --policies dir` as a subprocess: exit code, wall time, CPU time and peak RSS. */
async function validateCli(dir: string): Promise<{ code: number | null; ms: number; cpuMs: number; peakRss: number }> {
  const resourceFile = join(dir, '..', `${Date.now()}-validate-rusage.json`);
  const started = performance.now();
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', PRELOAD, CLI, 'validate', '--policies', dir], {
      stdio: 'ignore',
      env: { ...process.env, BENCH_RESOURCE_FILE: resourceFile },
    });
    child.on('error', reject);
    child.on('exit', resolve);
  });
  const ms = performance.now() - started;
  const usage = JSON.parse(await readFile(resourceFile, 'utf8')) as { maxRSS: number; userCPUTime: number; systemCPUTime: number };
  await rm(resourceFile, { force: true });
  return { code, ms, cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000, peakRss: usage.maxRSS * 1024 };
}

/** Targets of one validation scenario. */
export interface ValidationTargets {
  /** Scenario title. */
  readonly title: string;
  /** CLI validate wall time, ms (node start-up included). */
  readonly wallMs: number;
  /** CLI validate peak RSS, MB. */
  readonly rssMb: number;
}

/** Issue 14: 10,000 rules in 500 files in under 2 s and 200 MB on the CI machine. */
export const VALIDATE_10K: ValidationTargets = { title: '5. validation cost', wallMs: 2000, rssMb: 200 };
/** Issue 14: 100,000 rules in under 15 s and 1 GB. */
export const VALIDATE_100K: ValidationTargets = { title: '5b. validation cost at 100,000 rules', wallMs: 15_000, rssMb: 1024 };

const PROFILE_NOTE =
  'profile before issue 14 (node --cpu-prof, 10,000 rules): 53% yaml (Parser 26%, Composer 15%, lexer within), 13% GC, 6% two extra walks of every document, 4% ajv compiling the schema on each run, 3% locating every list entry; now plain block YAML is read by src/policy/plain-yaml.ts (yaml for everything else), the schema validator is precompiled, list checks run in one pass and locate only what they report, and files are read ahead of parsing';

/**
 * 5. Validation cost: `files` policy files of `rulesPerFile` rules each (one instance per file),
 * loaded and validated in a fresh child (loadPolicies), then by the CLI's `validate` command.
 * Reproduce: `npm run bench -- --only validate` (10,000 rules) or `--only validate-100k`.
 */
export async function validationCost(files: number, rulesPerFile: number, seed: number, targets: ValidationTargets = VALIDATE_10K): Promise<ScenarioResult> {
  const state = generateState({ projects: 1, instancesPerProject: files, rulesPerInstance: rulesPerFile, seed });
  return withTempPolicyTree(policyOfState(state), 'validate', async (dir) => {
    const m = await runMeasuredChild('./validation-cost-child.js', [dir]);
    const cli = await validateCli(dir);
    return {
      title: targets.title,
      setup: { tree: `${files} files × ${rulesPerFile} rules = ${files * rulesPerFile} rules`, seed },
      figures: [
        { name: 'CLI validate wall time', value: Math.round(cli.ms), unit: 'ms', target: { op: '<', value: targets.wallMs } },
        { name: 'CLI validate peak RSS', value: Math.round(cli.peakRss / MB), unit: 'MB', target: { op: '<', value: targets.rssMb } },
        { name: 'CLI validate CPU time (user + system)', value: Math.round(cli.cpuMs), unit: 'ms' },
        { name: 'CLI validate exit code', value: cli.code ?? -1, unit: '', target: { op: '=', value: 0 } },
        { name: 'loadPolicies wall time', value: Math.round(m.wallMs), unit: 'ms' },
        { name: 'loadPolicies CPU time', value: Math.round(m.cpuMs), unit: 'ms' },
        { name: 'loadPolicies peak RSS', value: Math.round(m.peakRss / MB), unit: 'MB' },
        { name: 'rules validated', value: m.counts['rules'] ?? 0, unit: '', target: { op: '=', value: files * rulesPerFile } },
        { name: 'errors found', value: m.counts['errors'] ?? 0, unit: '', target: { op: '=', value: 0 } },
      ],
      notes: ['CLI wall time includes node start-up; peak RSS is the whole process; on a busy machine wall time exceeds CPU time', PROFILE_NOTE],
    };
  });
}
