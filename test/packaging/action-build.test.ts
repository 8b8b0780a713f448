import { execFile, execFileSync } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runStep } from '../gitops/helpers/run-step.js';
import type { StepRun } from '../gitops/helpers/run-step.js';
import type { YamlMap } from '../gitops/helpers/workflow-lint.js';
import { loadYaml, stepsOf } from '../gitops/helpers/workflow-lint.js';

/**
 * The composite action's build step, run for real on a copy of the sources (what a caller's
 * runner checks out at the action's ref): it must install only the runtime dependencies and the
 * compiler, and leave a working CLI. Packages come from the npm cache that `npm ci` filled.
 *
 * The runner's global npm config is this machine's own plus `loglevel=verbose`, in a global
 * prefix of the test's (`npm_config_prefix`): a CA file, registry or proxy set there must reach
 * every npm call of the step, and the verbose lines show that it did.
 */

const root = fileURLToPath(new URL('../../', import.meta.url));
const SLOW = 300_000;

let actionPath: string;
let runnerTemp: string;
let build: StepRun;

beforeAll(async () => {
  actionPath = await mkdtemp(join(tmpdir(), 'dbss-action-'));
  runnerTemp = join(actionPath, '..', `${actionPath.split('/').at(-1)}-runner`);
  await mkdir(runnerTemp);
  const globalPrefix = join(runnerTemp, 'npm-global');
  await mkdir(join(globalPrefix, 'etc'), { recursive: true });
  await writeFile(join(globalPrefix, 'etc', 'npmrc'), `${await machineGlobalNpmrc()}\nloglevel=verbose\n`);
  for (const entry of ['package.json', 'package-lock.json', 'tsconfig.json', 'src', 'bench', 'schemas', 'scripts']) {
    await cp(join(root, entry), join(actionPath, entry), { recursive: true });
  }
  const step = stepsOf(await loadYaml(`${root}action.yml`)).find((s) => s.step['name'] === 'Build dbss-policy')!.step as YamlMap;
  build = await runStep(String(step['run']), {
    cwd: actionPath,
    env: {
      GITHUB_ACTION_PATH: actionPath,
      RUNNER_TEMP: runnerTemp,
      HOME: process.env['HOME'] ?? tmpdir(),
      npm_config_prefer_offline: 'true',
      npm_config_audit: 'false',
      npm_config_prefix: globalPrefix,
    },
  });
}, SLOW);

afterAll(async () => {
  await rm(actionPath, { recursive: true, force: true });
  await rm(runnerTemp, { recursive: true, force: true });
});

/** This machine's global npmrc (where a CA file or proxy would be set), '' when it has none. */
async function machineGlobalNpmrc(): Promise<string> {
  const path = execFileSync('npm', ['config', 'get', 'globalconfig'], { encoding: 'utf8', env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: process.env['HOME'] ?? tmpdir() } }).trim();
  return readFile(path, 'utf8').catch(() => '');
}

const exec = (args: string[]) =>
  new Promise<{ code: number; stdout: string }>((resolve) => {
    execFile(process.execPath, [join(actionPath, 'dist/src/cli/main.js'), ...args], { cwd: actionPath }, (err, stdout) =>
      resolve({ code: err ? Number(err.code ?? 1) : 0, stdout }),
    );
  });

describe('action.yml: the build step, on a fresh copy of the sources', () => {
  it('succeeds and installs the runtime dependencies only: no compiler, no test tools in the action tree', async () => {
    expect(build.stderr).not.toMatch(/npm error/);
    expect(build.code).toBe(0);
    const installed = (await readdir(join(actionPath, 'node_modules'))).filter((n) => !n.startsWith('.'));
    expect(installed).toEqual(expect.arrayContaining(['ajv', 'diff', 'p-limit', 'undici', 'yaml']));
    for (const dev of ['typescript', 'vitest', 'fast-check', '@huaweicloud', '@types', 'yaml-language-server', '@action-validator']) {
      expect(installed, dev).not.toContain(dev);
    }
    expect(await readdir(join(runnerTemp, 'dbss-policy-build', 'node_modules'))).toEqual(expect.arrayContaining(['typescript', '@types']));
  });

  it("keeps the runner's global npm config (a CA file, registry or proxy) for the compiler install in RUNNER_TEMP", () => {
    expect(build.stderr).toContain('npm verbose title npm install typescript@');
  });

  it('leaves a CLI that validates the example policies and the gitops scripts', async () => {
    const r = await exec(['validate', '--policies', join(root, 'policies')]);
    expect(r).toMatchObject({ code: 0, stdout: expect.stringMatching(/valid( \(\d+ warnings?\))?\n$/) });
    expect(await readdir(join(actionPath, 'dist/src/gitops'))).toEqual(expect.arrayContaining(['sticky-comment.js', 'plan-comment.js', 'plan-flags.js', 'pr-label.js']));
  });
});
