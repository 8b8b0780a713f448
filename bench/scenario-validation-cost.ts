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
const OWN_TARGET = 'bench target; the issue sets none';

/** Runs `dbss-policy validate --policies dir` as a subprocess: exit code, wall time and peak RSS. */
async function validateCli(dir: string): Promise<{ code: number | null; ms: number; peakRss: number }> {
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
  const usage = JSON.parse(await readFile(resourceFile, 'utf8')) as { maxRSS: number };
  await rm(resourceFile, { force: true });
  return { code, ms, peakRss: usage.maxRSS * 1024 };
}

/**
 * 5. Validation cost: `files` policy files of `rulesPerFile` rules each (one instance per file),
 * loaded and validated in a fresh child (loadPolicies), then by the CLI's `validate` command.
 */
export async function validationCost(files: number, rulesPerFile: number, seed: number): Promise<ScenarioResult> {
  const state = generateState({ projects: 1, instancesPerProject: files, rulesPerInstance: rulesPerFile, seed });
  return withTempPolicyTree(policyOfState(state), 'validate', async (dir) => {
    const m = await runMeasuredChild('./validation-cost-child.js', [dir]);
    const cli = await validateCli(dir);
    return {
      title: '5. validation cost',
      setup: { tree: `${files} files × ${rulesPerFile} rules = ${files * rulesPerFile} rules`, seed },
      figures: [
        { name: 'loadPolicies wall time', value: Math.round(m.wallMs), unit: 'ms', target: { op: '<', value: 5000, source: OWN_TARGET } },
        { name: 'loadPolicies CPU time', value: Math.round(m.cpuMs), unit: 'ms' },
        { name: 'loadPolicies peak RSS', value: Math.round(m.peakRss / MB), unit: 'MB', target: { op: '<', value: 300, source: OWN_TARGET } },
        { name: 'rules validated', value: m.counts['rules'] ?? 0, unit: '', target: { op: '=', value: files * rulesPerFile } },
        { name: 'errors found', value: m.counts['errors'] ?? 0, unit: '', target: { op: '=', value: 0 } },
        { name: 'CLI validate wall time', value: Math.round(cli.ms), unit: 'ms', target: { op: '<', value: 5000, source: OWN_TARGET } },
        { name: 'CLI validate peak RSS', value: Math.round(cli.peakRss / MB), unit: 'MB', target: { op: '<', value: 300, source: OWN_TARGET } },
        { name: 'CLI validate exit code', value: cli.code ?? -1, unit: '', target: { op: '=', value: 0 } },
      ],
      notes: ['CLI wall time includes node start-up; peak RSS is the whole process'],
    };
  });
}
