import { execFileSync } from 'node:child_process';
import { access, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeEach, describe, expect, it } from 'vitest';
import { fakeToolTree, runStep } from './helpers/run-step.js';
import type { FakeTool } from './helpers/run-step.js';
import { loadYaml, stepsOf } from './helpers/workflow-lint.js';

/** The shell glue of the workflows, run for real by bash against a fake of the built tool. */

const root = fileURLToPath(new URL('../../', import.meta.url));
const CREDS = { HUAWEICLOUD_SDK_AK: 'AKAKAKAKAKAKAKAKAK12', HUAWEICLOUD_SDK_SK: 'SKSKSKSKSKSKSKSKSKSKSKSK34' };

async function script(file: string, name: string): Promise<string> {
  const found = stepsOf(await loadYaml(`${root}.github/workflows/${file}`)).find((s) => s.step['name'] === name);
  if (typeof found?.step['run'] !== 'string') throw new Error(`${file}: no run step "${name}"`);
  return found.step['run'];
}

let tool: FakeTool;
beforeEach(async () => {
  tool = await fakeToolTree();
});
const run = async (file: string, name: string, env: Record<string, string> = {}) =>
  runStep(await script(file, name), { cwd: tool.dir, env: { ...tool.env, ...env } });

describe('reconcile.yml: drift detection', () => {
  const PLAN_CALL = ['src/cli/main.js', 'plan', '--policies', 'policies', '--cache', 'dbss-live-cache.json', '--format', 'markdown', '--out', 'plan.json', '--detailed-exitcode'];

  it('no drift: exit 0, nothing else called', async () => {
    const r = await run('reconcile.yml', 'Detect drift (plan, reads only)', { ...CREDS, FAKE_EXIT: '0' });
    expect(r).toMatchObject({ code: 0, outputs: { 'exit-code': '0' } });
    expect(r.stdout).toContain('No drift');
    expect(await tool.calls()).toEqual([PLAN_CALL]);
  });

  it('drift: exit 0 with the plan flags as outputs', async () => {
    const r = await run('reconcile.yml', 'Detect drift (plan, reads only)', { ...CREDS, FAKE_EXIT: '2' });
    expect(r.code).toBe(0);
    expect(r.outputs).toEqual({ 'exit-code': '2', destructive: 'true', changes: '3', summary: '3 changes (2 create, 1 delete); 1 weakens auditing' });
    expect(await tool.calls()).toEqual([PLAN_CALL, ['src/gitops/plan-flags.js', 'plan.json']]);
  });

  it('a plan error or an interruption fails the step with its exit code and an annotation', async () => {
    for (const code of [1, 130]) {
      const r = await run('reconcile.yml', 'Detect drift (plan, reads only)', { ...CREDS, FAKE_EXIT: String(code) });
      expect(r.code).toBe(code);
      expect(r.stdout).toContain(`::error title=dbss-policy drift check failed::plan exited with code ${code}`);
    }
  });

  it('missing secrets fail before calling DBSS, without printing anything secret', async () => {
    const r = await run('reconcile.yml', 'Detect drift (plan, reads only)', { HUAWEICLOUD_SDK_AK: CREDS.HUAWEICLOUD_SDK_AK, HUAWEICLOUD_SDK_SK: '' });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('the repository secrets DBSS_READONLY_AK and DBSS_READONLY_SK are not set');
    expect(r.stdout + r.stderr).not.toContain(CREDS.HUAWEICLOUD_SDK_AK);
    expect(await tool.calls()).toEqual([]);
  });

  it('a dry run warns about the drift and says so in the job summary', async () => {
    const r = await run('reconcile.yml', 'Report drift', { DRY_RUN: 'true', DRIFT_SUMMARY: '2 changes (2 update)' });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('::warning title=DBSS drift found (dry run, nothing changed)::2 changes (2 update)\n');
    expect(r.summary).toMatch(/^### ⚠️ DBSS drift found \(dry run\)\n\n2 changes \(2 update\)\. Nothing was changed/);
  });

  it('applies the saved plan with a report, and a failed apply fails the run', async () => {
    const ok = await run('reconcile.yml', 'Correct drift (apply the plan)', { ...CREDS, FAKE_EXIT: '0' });
    expect(ok.code).toBe(0);
    await expect(access(join(tool.dir, 'report.json'))).resolves.toBeUndefined();
    const failed = await run('reconcile.yml', 'Correct drift (apply the plan)', { ...CREDS, FAKE_EXIT: '1' });
    expect(failed.code).toBe(1);
    expect(failed.stdout).toContain('::error title=dbss-policy reconcile failed::apply exited with code 1');
    expect((await tool.calls())[0]).toEqual(['src/cli/main.js', 'apply', 'plan.json', '--policies', 'policies', '--report', 'report.json']);
  });

  it('the apply job fails before calling DBSS when the environment has no read-write secrets', async () => {
    const r = await run('reconcile.yml', 'Correct drift (apply the plan)', { HUAWEICLOUD_SDK_AK: '', HUAWEICLOUD_SDK_SK: '' });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('the secrets DBSS_AK and DBSS_SK are not set in the dbss-production environment');
    expect(await tool.calls()).toEqual([]);
  });

  it('corrected drift is a warning annotation and a summary section', async () => {
    const r = await run('reconcile.yml', 'Report corrected drift', { DRIFT_SUMMARY: '1 change (1 switch); 1 weakens auditing' });
    expect(r.stdout).toBe('::warning title=DBSS drift corrected::1 change (1 switch); 1 weakens auditing\n');
    expect(r.summary).toContain('### ⚠️ DBSS drift corrected\n\n1 change (1 switch); 1 weakens auditing: applied and verified.');
  });
});

describe('plan.yml: pull-request plan', () => {
  it('keeps going after a failed plan so the comment can show the failure', async () => {
    const r = await run('plan.yml', 'Plan', { ...CREDS, FAKE_EXIT: '1' });
    expect(r).toMatchObject({ code: 0, outputs: { 'exit-code': '1' } });
    expect(r.stderr).toBe('fake plan diagnostics\n');
    await expect(access(join(tool.dir, 'plan.err'))).resolves.toBeUndefined();
  });

  it('detects missing credentials (a fork) with a notice, and never prints present ones', async () => {
    const missing = await run('plan.yml', 'Check for DBSS credentials', { HUAWEICLOUD_SDK_AK: '', HUAWEICLOUD_SDK_SK: '' });
    expect(missing).toMatchObject({ code: 0, outputs: { available: 'false' } });
    expect(missing.stdout).toMatch(/^::notice title=dbss-policy plan skipped::No DBSS credentials/);
    expect(missing.summary).toMatch(/^### dbss-policy plan skipped/);
    const present = await run('plan.yml', 'Check for DBSS credentials', CREDS);
    expect(present).toMatchObject({ code: 0, stdout: '', stderr: '', outputs: { available: 'true' } });
  });

  it('fails the job after the comment when validation or the plan failed', async () => {
    const invalid = await run('plan.yml', 'Fail when validation or the plan failed', { VALIDATE_OUTCOME: 'failure', PLAN_EXIT_CODE: '' });
    expect(invalid.code).toBe(1);
    expect(invalid.stdout).toBe('::error title=dbss-policy validate failed::the policies are invalid; see the annotations and the log above\n');
    const planFailed = await run('plan.yml', 'Fail when validation or the plan failed', { VALIDATE_OUTCOME: 'success', PLAN_EXIT_CODE: '1' });
    expect(planFailed.code).toBe(1);
    expect(planFailed.stdout).toContain('::error title=dbss-policy plan failed::plan exited with code 1');
  });
});

describe('plan.yml: the changes job', () => {
  /** A repository whose HEAD changes `path` on top of a base commit (HEAD^1), as GitHub's merge commit does. */
  async function repoChanging(path: string): Promise<string> {
    const dir = tool.dir;
    const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: dir, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@x', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@x' } });
    git('init', '-q');
    await mkdir(join(dir, 'policies'), { recursive: true });
    await writeFile(join(dir, 'policies', 'prod.yaml'), 'version: 1\n');
    await writeFile(join(dir, 'package.json'), '{}\n');
    git('add', '-A');
    git('commit', '-qm', 'base');
    await mkdir(join(dir, path, '..'), { recursive: true });
    await writeFile(join(dir, path), 'changed\n');
    git('add', '-A');
    git('commit', '-qm', 'the pull request');
    return dir;
  }

  it('skips the plan when no policy or schema changed (a dependency bump), and plans when one did', async () => {
    await repoChanging('package.json');
    const bump = await run('plan.yml', 'Compare policies/ and schemas/ with the base branch');
    expect(bump).toMatchObject({ code: 0, outputs: { policies: 'false' } });
    expect(bump.stdout).toContain('nothing to validate or plan');
  });

  it.each(['policies/prod.yaml', 'policies/sets/new.yaml', 'schemas/policy.schema.json'])('plans when %s changed', async (path) => {
    await repoChanging(path);
    const r = await run('plan.yml', 'Compare policies/ and schemas/ with the base branch');
    expect(r).toMatchObject({ code: 0, outputs: { policies: 'true' } });
    expect(r.stdout).toContain(path);
  });

  it('plans when the base cannot be compared (a checkout without HEAD^1): the safe side', async () => {
    const dir = await repoChanging('policies/prod.yaml');
    execFileSync('git', ['checkout', '-q', '--orphan', 'lonely'], { cwd: dir });
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@x', 'commit', '-qm', 'one commit only'], { cwd: dir });
    const r = await run('plan.yml', 'Compare policies/ and schemas/ with the base branch');
    expect(r).toMatchObject({ code: 0, outputs: { policies: 'true' } });
    expect(r.stdout).toContain('could not be compared: planning anyway');
  });
});

describe('ci.yml: action smoke check', () => {
  it('accepts plan exit codes 0 and 2 and rejects anything else', async () => {
    expect((await run('ci.yml', "Check the action's outputs", { EXIT_CODE: '2', DESTRUCTIVE: 'false' })).code).toBe(0);
    expect((await run('ci.yml', "Check the action's outputs", { EXIT_CODE: '1', DESTRUCTIVE: 'false' })).code).toBe(1);
    expect((await run('ci.yml', "Check the action's outputs", { EXIT_CODE: '0', DESTRUCTIVE: '' })).code).toBe(1);
  });
});
