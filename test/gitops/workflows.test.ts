import { access } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { YamlMap } from './helpers/workflow-lint.js';
import {
  loadYaml,
  permissionProblems,
  scriptCalls,
  secretProblems,
  stepProblems,
  stepsOf,
} from './helpers/workflow-lint.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const workflow = (name: string) => loadYaml(`${root}.github/workflows/${name}`);

/** The step whose name is given (fails the test when missing). */
function step(doc: YamlMap, name: string): YamlMap {
  const found = stepsOf(doc).find((s) => s.step['name'] === name);
  if (!found) throw new Error(`no step named "${name}"`);
  return found.step;
}

const cliVerbs = (doc: YamlMap) => stepsOf(doc).flatMap(({ step: s }) => scriptCalls(String(s['run'] ?? ''), 'cli').map((c) => c.name));

describe.each(['ci.yml', 'plan.yml', 'reconcile.yml'])('%s', (name) => {
  it('passes the workflow checks: pinned actions, secrets only in env, no interpolation into scripts, contract calls', async () => {
    const doc = await workflow(name);
    expect(stepProblems(doc)).toEqual([]);
    expect(secretProblems(doc)).toEqual([]);
    expect(doc['defaults']).toEqual({ run: { shell: 'bash' } });
    expect(doc).not.toHaveProperty('on.pull_request_target');
    for (const [id, job] of Object.entries(doc['jobs'] as Record<string, YamlMap>)) {
      expect(job['runs-on'], id).toBe('ubuntu-latest');
      expect(job['timeout-minutes'], id).toBeGreaterThan(0);
    }
  });
});

describe('ci.yml', () => {
  it('runs on push and pull request with read-only contents', async () => {
    const doc = await workflow('ci.yml');
    expect(Object.keys(doc['on'] as YamlMap).sort()).toEqual(['pull_request', 'push']);
    expect(doc['permissions']).toEqual({ contents: 'read' });
    expect(permissionProblems(doc, { contents: 'read' })).toEqual([]);
  });

  it('installs from the lock file (npm ci builds: prepare), validates, type-checks and tests on Node.js 20 and 24', async () => {
    const doc = await workflow('ci.yml');
    const runs = stepsOf(doc).map(({ step: s }) => s['run']).filter(Boolean);
    expect(runs).toEqual(expect.arrayContaining(['npm ci --no-audit --no-fund', 'npm run typecheck', 'npm test']));
    expect(cliVerbs(doc)).toEqual(['validate']);
    expect(step(doc, 'Set up Node.js')['with']).toEqual({ 'node-version': '${{ matrix.node }}', cache: 'npm' });
    expect((doc['jobs'] as Record<string, YamlMap>)['test']!['strategy']).toEqual({ 'fail-fast': false, matrix: { node: ['20.x', '24.x'] } });
    expect(step(doc, 'Plan with the action in this repository')).toMatchObject({ uses: './', with: { command: 'plan', args: '--emulator', comment: 'false' } });
  });
});

describe('plan.yml', () => {
  it('runs on every pull request (no path filter a required check could wait on forever), one run per pull request at a time', async () => {
    const doc = await workflow('plan.yml');
    expect(doc['on']).toEqual({ pull_request: null });
    expect(doc['concurrency']).toEqual({ group: 'dbss-policy-plan-${{ github.event.pull_request.number }}', 'cancel-in-progress': true });
    const jobs = doc['jobs'] as Record<string, YamlMap>;
    expect(Object.keys(jobs)).toEqual(['changes', 'plan']);
    // Skipped by its condition when no policy changed: GitHub reports a skipped job as passed.
    expect(jobs['plan']).toMatchObject({ needs: 'changes', if: "needs.changes.outputs.policies == 'true'" });
    expect(jobs['changes']!['outputs']).toEqual({ policies: '${{ steps.diff.outputs.policies }}' });
    expect(JSON.stringify(jobs['changes'])).not.toMatch(/secrets\.|npm /);
  });

  it('may read contents and write pull-request comments and labels, nothing else', async () => {
    const doc = await workflow('plan.yml');
    expect(doc['permissions']).toEqual({ contents: 'read', 'pull-requests': 'write' });
    expect(permissionProblems(doc, { contents: 'read', 'pull-requests': 'write' })).toEqual([]);
  });

  it('validates with annotations, plans to markdown + JSON, comments, uploads and labels', async () => {
    const doc = await workflow('plan.yml');
    expect(String(step(doc, 'Validate the policies')['run'])).toContain('validate --policies policies --format github');
    const plan = String(step(doc, 'Plan')['run']);
    expect(plan).toContain('plan --policies policies --changed-since HEAD^1 --format markdown --out plan.json --detailed-exitcode > plan.md 2> plan.err || code=$?');
    // The base side of the merge commit must be there to compare with.
    expect(step(doc, 'Check out')['with']).toMatchObject({ 'fetch-depth': 2 });
    expect(String(step(doc, 'Post or update the sticky plan comment')['run'])).toBe(
      'node dist/src/gitops/sticky-comment.js --file comment.md --marker dbss-policy-plan',
    );
    expect(step(doc, 'Upload the JSON plan')).toMatchObject({ uses: 'actions/upload-artifact@b7c566a772e6b6bfb58ed0dc250532a479d7789f', with: { name: 'dbss-policy-plan', path: 'plan.json' } });
    expect(String(step(doc, 'Label destructive plans')['run'])).toContain("--label 'dbss-policy: destructive' --present \"$DESTRUCTIVE\"");
    expect(String(step(doc, 'Read the plan\'s review flags')['run'])).toBe('node dist/src/gitops/plan-flags.js plan.json >> "$GITHUB_OUTPUT"');
  });

  it('gives the read-only DBSS secrets only to the steps that need them, and GITHUB_TOKEN only to the API steps', async () => {
    const doc = await workflow('plan.yml');
    const readOnly = { HUAWEICLOUD_SDK_AK: '${{ secrets.DBSS_READONLY_AK }}', HUAWEICLOUD_SDK_SK: '${{ secrets.DBSS_READONLY_SK }}' };
    expect(step(doc, 'Plan')['env']).toEqual(readOnly);
    expect(step(doc, 'Check for DBSS credentials')['env']).toEqual(readOnly);
    const withSecrets = stepsOf(doc).filter(({ step: s }) => JSON.stringify(s['env'] ?? {}).includes('secrets.')).map(({ step: s }) => s['name']);
    expect(withSecrets).toEqual(['Check for DBSS credentials', 'Plan', 'Post or update the sticky plan comment', 'Label destructive plans']);
    expect(step(doc, 'Label destructive plans')['env']).toMatchObject({ GITHUB_TOKEN: '${{ secrets.GITHUB_TOKEN }}' });
  });

  it('skips the plan on forks (no secrets) and still fails on invalid policies', async () => {
    const doc = await workflow('plan.yml');
    expect(String(step(doc, 'Check for DBSS credentials')['run'])).toMatch(/::notice title=dbss-policy plan skipped::/);
    expect(step(doc, 'Plan')['if']).toBe("steps.credentials.outputs.available == 'true'");
    expect(step(doc, 'Validate the policies')['continue-on-error']).toBe(true);
    expect(step(doc, 'Fail when validation or the plan failed')['if']).toMatch(/^steps\.validate\.outcome == 'failure' \|\|/);
  });
});

describe('reconcile.yml', () => {
  it('runs on a schedule and on dispatch with a dry_run input', async () => {
    const doc = await workflow('reconcile.yml');
    const on = doc['on'] as YamlMap;
    expect(on['schedule']).toEqual([{ cron: '17 * * * *' }]);
    expect(on['workflow_dispatch']).toEqual({
      inputs: { dry_run: { description: expect.any(String), type: 'boolean', default: true } },
    });
    expect(doc['permissions']).toEqual({ contents: 'read' });
    expect(permissionProblems(doc, { contents: 'read' })).toEqual([]);
  });

  it('plans for drift read-only, applies the saved plan with a report unless dry-run, and uploads both', async () => {
    const doc = await workflow('reconcile.yml');
    expect(cliVerbs(doc)).toEqual(['plan', 'apply']);
    const drift = step(doc, 'Detect drift (plan, reads only)');
    expect(String(drift['run'])).toContain('plan --policies policies --cache dbss-live-cache.json --format markdown --out plan.json --detailed-exitcode');
    expect(drift['env']).toEqual({ HUAWEICLOUD_SDK_AK: '${{ secrets.DBSS_READONLY_AK }}', HUAWEICLOUD_SDK_SK: '${{ secrets.DBSS_READONLY_SK }}' });
    expect(step(doc, 'Upload the drift plan')).toMatchObject({ if: 'always()', with: { name: 'dbss-policy-drift' } });
    expect(step(doc, 'Download the drift plan')).toMatchObject({ with: { name: 'dbss-policy-drift' } });
    // The cache file is kept between scheduled runs: restored from the newest, saved per run.
    const cache = step(doc, 'Restore the live-state cache');
    expect(String(cache['uses'])).toMatch(/^actions\/cache@[0-9a-f]{40}$/);
    expect(cache).toMatchObject({
      with: { path: 'dbss-live-cache.json', key: 'dbss-policy-live-cache-${{ github.run_id }}', 'restore-keys': 'dbss-policy-live-cache-' },
    });
    const apply = step(doc, 'Correct drift (apply the plan)');
    expect(String(apply['run'])).toContain('apply plan.json --policies policies --report report.json');
    expect(apply['env']).toEqual({ HUAWEICLOUD_SDK_AK: '${{ secrets.DBSS_AK }}', HUAWEICLOUD_SDK_SK: '${{ secrets.DBSS_SK }}' });
    expect(String(step(doc, 'Report corrected drift')['run'])).toContain('::warning title=DBSS drift corrected::');
    expect(step(doc, 'Upload the apply report')).toMatchObject({ if: 'always()', with: { name: 'dbss-policy-reconcile', path: 'report.json' } });
    for (const s of ['Set up Node.js']) expect(step(doc, s)['with']).toEqual({ 'node-version': '24.x', cache: 'npm' });
  });
});

describe('the workflow checks themselves', () => {
  const bad: YamlMap = {
    permissions: 'write-all',
    jobs: {
      j: {
        permissions: { contents: 'write' },
        steps: [
          { uses: 'actions/checkout@main' },
          { run: 'echo ${{ github.event.pull_request.title }}' },
          { run: 'set -x\nnode dist/src/cli/main.js plan --bogus --format yaml' },
          { run: 'echo "$HUAWEICLOUD_SDK_SK" | base64; printenv' },
          { run: 'node dist/src/gitops/sticky-comment.js --files x && node dist/src/gitops/nope.js' },
          { env: { AK: 'prefix-${{ secrets.AK }}' }, run: 'node dist/src/cli/main.js export' },
          { with: { token: '${{ secrets.GITHUB_TOKEN }}' }, uses: 'some/action@v1' },
        ],
      },
    },
  };

  it('catch each kind of mistake', () => {
    expect(stepProblems(bad)).toEqual([
      'jobs.j.steps[0] (actions/checkout@main): actions/checkout@main is not pinned to a major version (@vN) or a commit',
      'jobs.j.steps[0] (actions/checkout@main): checkout must set persist-credentials: false',
      'jobs.j.steps[1] (run): expression interpolated into a shell script (pass it through env)',
      'jobs.j.steps[2] (run): shell tracing would print secrets',
      'jobs.j.steps[2] (run): plan: flag --bogus is not in the contract',
      'jobs.j.steps[2] (run): plan: --format yaml is not one of text|markdown|json|github',
      'jobs.j.steps[3] (run): prints the environment',
      'jobs.j.steps[3] (run): uses $HUAWEICLOUD_SDK_SK other than in a [ -n / -z ] test',
      'jobs.j.steps[4] (run): sticky-comment: unknown flag --files',
      'jobs.j.steps[4] (run): unknown gitops script "nope"',
      'jobs.j.steps[5] (run): unknown command "export"',
    ]);
    expect(secretProblems(bad)).toEqual([
      'jobs.j.steps.5.env.AK: secrets may only be whole values of env entries',
      'jobs.j.steps.6.with.token: secrets may only be whole values of env entries',
    ]);
    expect(permissionProblems(bad, { contents: 'read' })).toEqual([
      'permissions: permissions must be an explicit map, got "write-all"',
      'jobs.j.permissions: contents: write is not allowed',
    ]);
  });

  it('every gitops script a workflow calls exists in src/gitops', async () => {
    const names = new Set<string>();
    for (const file of ['ci.yml', 'plan.yml', 'reconcile.yml']) {
      for (const { step: s } of stepsOf(await workflow(file))) {
        for (const call of scriptCalls(String(s['run'] ?? ''), 'gitops')) names.add(call.name);
      }
    }
    expect([...names].sort()).toEqual(['plan-comment', 'plan-flags', 'pr-label', 'sticky-comment']);
    for (const name of names) await expect(access(`${root}src/gitops/${name}.ts`)).resolves.toBeUndefined();
  });
});
