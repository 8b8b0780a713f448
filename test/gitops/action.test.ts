import { cp, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from './helpers/io.js';
import { fakeToolTree, runStep } from './helpers/run-step.js';
import type { FakeTool } from './helpers/run-step.js';
import type { YamlMap } from './helpers/workflow-lint.js';
import { loadYaml, scriptCalls, secretProblems, stepProblems, stepsOf } from './helpers/workflow-lint.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const action = () => loadYaml(`${root}action.yml`);

function step(doc: YamlMap, name: string): YamlMap {
  const found = stepsOf(doc).find((s) => s.step['name'] === name);
  if (!found) throw new Error(`action.yml: no step "${name}"`);
  return found.step;
}

describe('action.yml', () => {
  it('is a composite action with the documented inputs and outputs', async () => {
    const doc = await action();
    expect((doc['runs'] as YamlMap)['using']).toBe('composite');
    expect(Object.keys(doc['inputs'] as YamlMap)).toEqual([
      'command', 'policies', 'args', 'node-version', 'github-token', 'comment',
      'comment-marker', 'comment-author', 'destructive-label', 'artifact-name',
    ]);
    expect(doc).toMatchObject({
      inputs: { command: { default: 'plan' }, policies: { default: 'policies' }, comment: { default: 'true' }, 'github-token': { default: '${{ github.token }}' } },
    });
    expect(Object.keys(doc['outputs'] as YamlMap)).toEqual(['exit-code', 'destructive', 'plan-file', 'report-file']);
  });

  it('passes the workflow checks and has no access to secrets of its own', async () => {
    const doc = await action();
    expect(stepProblems(doc)).toEqual([]);
    expect(secretProblems(doc)).toEqual([]);
    expect(JSON.stringify(doc)).not.toContain('secrets.');
    for (const { where, step: s } of stepsOf(doc)) if (s['run']) expect(s['shell'], where).toBe('bash');
  });

  it('builds inside the action and runs each command against the caller workspace', async () => {
    const doc = await action();
    const build = String(step(doc, 'Build dbss-policy')['run']);
    expect(build.startsWith('cd "$GITHUB_ACTION_PATH" || exit 1\n')).toBe(true);
    expect(build).toContain('npm ci --omit=dev --ignore-scripts --no-audit --no-fund\n');
    expect(build).not.toMatch(/npm ci --no-audit|npm install(?! --prefix "\$tools")/);
    const calls = scriptCalls(String(step(doc, 'Run dbss-policy')['run']), 'cli');
    expect(calls.map((c) => c.name)).toEqual(['validate', 'plan', 'reconcile', 'apply']);
    for (const call of calls) expect(call.args.slice(0, 2)).toEqual(['--policies', '$policies']);
    expect(step(doc, 'Post or update the sticky plan comment')['env']).toMatchObject({ GITHUB_TOKEN: '${{ inputs.github-token }}' });
  });
});

describe('action.yml: the run step, executed', () => {
  let tool: FakeTool;
  let workspace: string;
  let runnerTemp: string;
  beforeEach(async () => {
    tool = await fakeToolTree();
    workspace = await tempDir();
    runnerTemp = await tempDir();
    await mkdir(join(workspace, 'policies'));
  });

  async function runCommand(command: string, args: string, exit: number) {
    const script = String(step(await action(), 'Run dbss-policy')['run']);
    return runStep(script, {
      cwd: workspace,
      env: {
        ...tool.env,
        GITHUB_ACTION_PATH: tool.dir,
        GITHUB_WORKSPACE: workspace,
        RUNNER_TEMP: runnerTemp,
        DBSS_COMMAND: command,
        DBSS_POLICIES: 'policies',
        DBSS_ARGS: args,
        FAKE_EXIT: String(exit),
      },
    });
  }

  it('plan: splits the extra args without globbing, keeps the markdown and reports exit code 2', async () => {
    await writeFile(join(workspace, 'prod-audit'), ''); // what `prod-*` would glob to
    const r = await runCommand('plan', '--shard 2/4 --instance prod-*', 2);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('fake plan output\n');
    expect(r.outputs).toEqual({ 'plan-file': `${runnerTemp}/dbss-policy/plan.json`, 'exit-code': '2' });
    expect(await tool.calls()).toEqual([
      ['src/cli/main.js', 'plan', '--policies', `${workspace}/policies`, '--format', 'markdown', '--out', `${runnerTemp}/dbss-policy/plan.json`, '--detailed-exitcode', '--shard', '2/4', '--instance', 'prod-*'],
    ]);
  });

  it('validate: a failure is recorded as the exit-code output for the last step to fail on', async () => {
    const r = await runCommand('validate', '', 1);
    expect(r).toMatchObject({ code: 0, outputs: { 'exit-code': '1' } });
    expect(await tool.calls()).toEqual([['src/cli/main.js', 'validate', '--policies', `${workspace}/policies`, '--format', 'github']]);
  });

  it('reconcile: drift found in a dry run (exit 2) is a warning', async () => {
    const r = await runCommand('reconcile', '--dry-run --detailed-exitcode', 2);
    expect(r.outputs).toEqual({ 'report-file': `${runnerTemp}/dbss-policy/report.json`, 'exit-code': '2' });
    expect(r.stdout).toContain('::warning title=dbss-policy::reconcile found changes to make (drift)');
  });

  it('an unknown command is an error, and nothing runs', async () => {
    const r = await runCommand('destroy', '', 0);
    expect(r.outputs).toEqual({ 'exit-code': '1' });
    expect(r.stdout).toContain('::error title=dbss-policy action::command must be validate, plan, reconcile or apply, got "destroy"');
    expect(await tool.calls()).toEqual([]);
  });

  it('the last step fails on every exit code but 0 and 2', async () => {
    const script = String(step(await action(), 'Fail on errors')['run']);
    const codes: Record<string, number> = {};
    for (const exit of ['0', '2', '1', '130']) {
      codes[exit] = (await runStep(script, { cwd: workspace, env: { DBSS_COMMAND: 'apply', EXIT_CODE: exit } })).code;
    }
    expect(codes).toEqual({ '0': 0, '2': 0, '1': 1, '130': 130 });
  });
});

describe('action.yml: the cached build', () => {
  /** A copy of what the build key hashes, in a fresh folder. */
  async function sourcesCopy(): Promise<string> {
    const dir = await tempDir();
    for (const entry of ['package-lock.json', 'tsconfig.json', 'src', 'schemas', 'scripts']) await cp(join(root, entry), join(dir, entry), { recursive: true });
    return dir;
  }
  const key = async (dir: string) => {
    const r = await runStep(String(step(await action(), "Key the build by the action's sources")['run']), { cwd: dir, env: { GITHUB_ACTION_PATH: dir, RUNNER_OS: 'Linux' } });
    expect(r.code, r.stderr).toBe(0);
    return r.outputs['key']!;
  };

  it('restores dist/ and node_modules by a key of the sources, before the build step (which then runs no npm and no compiler)', async () => {
    const doc = await action();
    const names = stepsOf(doc).map((s) => s.step['name']);
    expect(names.indexOf('Restore the build')).toBe(names.indexOf('Build dbss-policy') - 1);
    expect(step(doc, 'Restore the build')).toMatchObject({
      uses: expect.stringMatching(/^actions\/cache@[0-9a-f]{40}$/),
      with: { path: '${{ github.action_path }}/dist\n${{ github.action_path }}/node_modules\n', key: '${{ steps.build-key.outputs.key }}' },
    });
  });

  it('keys the build by the sources: the same sources give the same key, a changed source file or lock file a new one', async () => {
    const a = await sourcesCopy();
    const b = await sourcesCopy();
    const first = await key(a);
    expect(first).toMatch(/^dbss-policy-build-Linux-[0-9a-f]{40}$/);
    expect(await key(b)).toBe(first);
    await writeFile(join(b, 'src', 'domain.ts'), '// changed\n', { flag: 'a' });
    expect(await key(b)).not.toBe(first);
    const c = await sourcesCopy();
    await writeFile(join(c, 'package-lock.json'), '\n', { flag: 'a' });
    expect(await key(c)).not.toBe(first);
  });
});

describe('action.yml: the build step, executed', () => {
  it('builds once per job: a second use of the action finds the build and skips npm', async () => {
    const tool = await fakeToolTree();
    await mkdir(join(tool.dir, 'node_modules'));
    await writeFile(join(tool.dir, 'dist/src/gitops/sticky-comment.js'), '');
    const script = String(step(await action(), 'Build dbss-policy')['run']);
    const r = await runStep(script, { cwd: tool.dir, env: { GITHUB_ACTION_PATH: tool.dir } }); // npm ci would fail here: no package.json
    expect(r).toMatchObject({ code: 0, stdout: `dbss-policy is already built in ${tool.dir}\n` });
  });
});
