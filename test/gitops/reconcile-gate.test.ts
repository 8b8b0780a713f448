import { fileURLToPath } from 'node:url';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fakeToolTree, runStep } from './helpers/run-step.js';
import type { FakeTool } from './helpers/run-step.js';
import type { YamlMap } from './helpers/workflow-lint.js';
import { loadYaml } from './helpers/workflow-lint.js';
import { allWorkflowSources, parseSource } from './helpers/workflow-sources.js';

/**
 * reconcile.yml cannot apply from a ref other than the default branch, and its read-write
 * credentials exist only in a job bound to a GitHub environment (whose protection rules, such
 * as required reviewers, gate every apply). The same holds for the reconcile example of docs/ci.md.
 */

const root = fileURLToPath(new URL('../../', import.meta.url));
// The write keys: DBSS_AK/SK, or one pair per credential (DBSS_PAYMENTS_AK); never a READONLY pair.
const READ_WRITE = /secrets\.DBSS_(?!\w*READONLY)(\w+_)?(AK|SK)\b/;
const GUARD = 'Refuse to apply from a ref other than the default branch';

type Jobs = Record<string, YamlMap>;
const stepsOfJob = (job: YamlMap) => (job['steps'] ?? []) as YamlMap[];
const usesReadWrite = (job: YamlMap) => READ_WRITE.test(JSON.stringify(job));

let doc: YamlMap;
let jobs: Jobs;
beforeAll(async () => {
  doc = await loadYaml(`${root}.github/workflows/reconcile.yml`);
  jobs = doc['jobs'] as Jobs;
});

describe('reconcile.yml: who may apply', () => {
  it('only the apply job holds the read-write secrets, and it runs in the dbss-production environment', () => {
    const withReadWrite = Object.entries(jobs).filter(([, job]) => usesReadWrite(job)).map(([id]) => id);
    expect(withReadWrite).toEqual(['apply']);
    expect(jobs['apply']!['environment']).toBe('dbss-production');
    expect(jobs['drift']).not.toHaveProperty('environment');
    // The drift job reads with the read-only user.
    expect(JSON.stringify(jobs['drift'])).toContain('secrets.DBSS_READONLY_AK');
  });

  it('the apply job needs drift, skips dry runs, and starts with the default-branch guard', () => {
    const apply = jobs['apply']!;
    expect(apply['needs']).toBe('drift');
    expect(apply['if']).toBe("needs.drift.outputs.exit-code == '2' && needs.drift.outputs.dry-run != 'true'");
    expect(stepsOfJob(apply)[0]!['name']).toBe(GUARD);
    expect(stepsOfJob(jobs['drift']!)[0]!['name']).toBe(GUARD);
    expect(stepsOfJob(apply)[0]!['run']).toBe(stepsOfJob(jobs['drift']!)[0]!['run']);
  });

  it('keeps one drift check and one apply at a time, in groups of their own, never cancelling either', () => {
    // A workflow-wide group would let an apply waiting for its reviewers hold back every later
    // run (GitHub keeps one pending run per group): drift detection would stall.
    expect(doc).not.toHaveProperty('concurrency');
    expect(jobs['drift']!['concurrency']).toEqual({ group: 'dbss-policy-drift', 'cancel-in-progress': false });
    expect(jobs['apply']!['concurrency']).toEqual({ group: 'dbss-policy-apply', 'cancel-in-progress': false });
    expect(jobs['build']).not.toHaveProperty('concurrency');
  });

  it('the jobs that hold DBSS credentials install only the runtime dependencies, with install scripts off, and run the build job\'s dist/', () => {
    for (const id of ['drift', 'apply']) {
      const steps = stepsOfJob(jobs[id]!);
      const installs = steps.map((s) => String(s['run'] ?? '')).filter((r) => /\bnpm (ci|install|i)\b/.test(r));
      expect(installs, id).toEqual(['npm ci --omit=dev --ignore-scripts --no-audit --no-fund']);
      expect(steps.find((s) => s['name'] === 'Download the build'), id).toMatchObject({ with: { name: 'dbss-policy-dist', path: 'dist' } });
    }
    expect(usesReadWrite(jobs['build']!) || JSON.stringify(jobs['build']).includes('secrets.')).toBe(false);
    expect(stepsOfJob(jobs['build']!).find((s) => s['name'] === 'Upload the build')).toMatchObject({ with: { name: 'dbss-policy-dist', path: 'dist/' } });
    expect(jobs['drift']!['needs']).toBe('build');
  });

  it('scheduled runs honour DBSS_RECONCILE_DRY_RUN and a dispatch its dry_run box', () => {
    const env = doc['env'] as YamlMap;
    expect(env['DRY_RUN']).toBe(
      "${{ (github.event_name == 'workflow_dispatch' && inputs.dry_run) || (github.event_name == 'schedule' && vars.DBSS_RECONCILE_DRY_RUN == 'true') }}",
    );
    expect((jobs['drift']!['outputs'] as YamlMap)['dry-run']).toBe('${{ steps.guard.outputs.dry-run }}');
  });
});

describe('reconcile.yml: the default-branch guard, executed', () => {
  let tool: FakeTool;
  beforeEach(async () => {
    tool = await fakeToolTree();
  });
  const guard = (env: Record<string, string>) => {
    const script = String(stepsOfJob(jobs['apply']!)[0]!['run']);
    return runStep(script, { cwd: tool.dir, env: { DEFAULT_BRANCH: 'main', GITHUB_EVENT_NAME: 'workflow_dispatch', ...env } });
  };

  it('refuses an apply dispatched on another branch, a tag or a pull-request ref', async () => {
    for (const ref of ['refs/heads/feature/wider-rules', 'refs/tags/v1.0.0', 'refs/pull/7/merge', 'refs/heads/main-copy']) {
      const r = await guard({ GITHUB_REF: ref, DRY_RUN: 'false' });
      expect(r.code, ref).toBe(1);
      expect(r.stdout).toContain(`::error title=dbss-policy reconcile refused::this run would apply the policies of ${ref}; applies run only from the default branch (main)`);
    }
  });

  it('refuses when the default branch is unknown', async () => {
    const r = await guard({ GITHUB_REF: 'refs/heads/main', DRY_RUN: 'false', DEFAULT_BRANCH: '' });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('applies run only from the default branch (unknown)');
  });

  it('allows the default branch, a scheduled run, and a dry run from any branch', async () => {
    expect(await guard({ GITHUB_REF: 'refs/heads/main', DRY_RUN: 'false' })).toMatchObject({ code: 0, outputs: { 'dry-run': 'false' } });
    expect((await guard({ GITHUB_REF: 'refs/heads/main', DRY_RUN: 'false', GITHUB_EVENT_NAME: 'schedule', DEFAULT_BRANCH: '' })).code).toBe(0);
    expect(await guard({ GITHUB_REF: 'refs/heads/feature/x', DRY_RUN: 'true' })).toMatchObject({ code: 0, outputs: { 'dry-run': 'true' } });
  });
});

describe('docs/ci.md: the reconcile example for a policies-only repository', () => {
  let example: YamlMap;
  beforeAll(async () => {
    const source = (await allWorkflowSources()).find((s) => s.name === 'docs/ci.md: .github/workflows/dbss-reconcile.yml');
    if (!source) throw new Error('docs/ci.md has no dbss-reconcile.yml example');
    example = parseSource(source);
  });

  it('binds the read-write secrets to an environment and guards the default branch', () => {
    const exampleJobs = example['jobs'] as Jobs;
    const withReadWrite = Object.entries(exampleJobs).filter(([, job]) => usesReadWrite(job));
    expect(withReadWrite.map(([id]) => id)).toEqual(['apply']);
    const apply = exampleJobs['apply']!;
    expect(apply['environment']).toBe('dbss-production');
    expect(String(stepsOfJob(apply)[0]!['run'])).toContain('"$GITHUB_REF" != "refs/heads/$DEFAULT_BRANCH"');
    // A dry run stops the apply: on the apply job, or on the job that lists the credentials to apply (a matrix per credential).
    const gate = apply['needs'] === 'drifted' ? exampleJobs['drifted']! : apply;
    expect(String(gate['if'])).toContain("needs.drift.outputs.dry-run != 'true'");
    expect(JSON.stringify(example)).toContain("vars.DBSS_RECONCILE_DRY_RUN == 'true'");
  });

  it('its guard refuses another branch and allows the default one', async () => {
    const script = String(stepsOfJob((example['jobs'] as Jobs)['apply']!)[0]!['run']);
    const tool = await fakeToolTree();
    const env = { DEFAULT_BRANCH: 'main', GITHUB_EVENT_NAME: 'workflow_dispatch' };
    expect((await runStep(script, { cwd: tool.dir, env: { ...env, GITHUB_REF: 'refs/heads/feature' } })).code).toBe(1);
    expect((await runStep(script, { cwd: tool.dir, env: { ...env, GITHUB_REF: 'refs/heads/main' } })).code).toBe(0);
  });
});
