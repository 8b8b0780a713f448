import { withoutPolicyWarnings } from '../helpers/policy-warnings.js';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { policyOfState, writePolicyTree } from '../../bench/policy-tree.js';
import type { PolicyProject } from '../../bench/policy-tree.js';
import { generateState, startEmulator } from '../../src/emulator/index.js';
import type { Emulator } from '../../src/emulator/index.js';
import { parsePlan } from '../../src/plan/plan-json.js';
import { runCli } from '../helpers/run-cli.js';
import { TEST_AK, TEST_SK } from './emulator-env.js';

/**
 * `plan --changed-since REF` against the emulator: a git repository whose policies declare a
 * 12-instance estate exactly; the working tree then changes one instance. The emulator's
 * counters show what was read: the request count follows the change, not the estate.
 */

const ESTATE = { projects: 1, instancesPerProject: 12, rulesPerInstance: 8, seed: 3 };

let emulator: Emulator;
let repo: string;
let base: PolicyProject[];

const git = (...args: string[]): string =>
  execFileSync('git', ['-c', 'user.email=test@example.invalid', '-c', 'user.name=test', '-c', 'commit.gpgsign=false', ...args], {
    cwd: repo,
    encoding: 'utf8',
  });

const cli = (args: string[], cwd = repo) =>
  runCli(['plan', '--policies', 'policies', ...args], {
    cwd,
    env: { DBSS_ENDPOINT: emulator.url, HUAWEICLOUD_SDK_AK: TEST_AK, HUAWEICLOUD_SDK_SK: TEST_SK, NO_COLOR: '1' },
  });

/** The base policy with `edit` applied to instance `n` (0-based) of the one project. */
function edited(n: number, edit: (i: PolicyProject['instances'][number]) => PolicyProject['instances'][number]): PolicyProject[] {
  return base.map((p) => ({ ...p, instances: p.instances.map((i, k) => (k === n ? edit(i) : i)) }));
}

async function writeTree(projects: readonly PolicyProject[]): Promise<void> {
  await rm(join(repo, 'policies'), { recursive: true, force: true });
  await writePolicyTree(join(repo, 'policies'), projects);
}

beforeAll(async () => {
  const state = generateState(ESTATE);
  base = policyOfState(state);
  emulator = await startEmulator({ state, auth: { credentials: [{ ak: TEST_AK, sk: TEST_SK }], tokens: [] } });
  repo = await mkdtemp(join(tmpdir(), 'dbss-changed-since-'));
  git('init', '-q', '-b', 'main');
  await writeTree(base);
  git('add', '-A');
  git('commit', '-q', '-m', 'base');
});

afterAll(async () => {
  await emulator.close();
  await rm(repo, { recursive: true, force: true });
});

beforeEach(async () => {
  await writeTree(base);
  emulator.resetCounters();
});

describe('plan --changed-since', () => {
  it('reads only the changed instance and the changed rule, and says what it did not read', async () => {
    await writeTree(
      edited(4, (i) => ({ ...i, risk_rules: i.risk_rules.map((r, k) => (k === 2 ? { ...r, risk_level: r.risk_level === 'HIGH' ? 'LOW' : 'HIGH' } : r)) })),
    );
    const run = await cli(['--changed-since', 'HEAD', '--out', 'plan.json', '--detailed-exitcode']);
    expect(withoutPolicyWarnings(run.stderr)).toBe('');
    expect(run.code).toBe(2);
    expect(emulator.counters().byOperation).toEqual({ ListAuditInstancesNew: 1, ListAuditRuleRisksNew: 1, ShowAuditRuleRiskNew: 1 });
    expect(run.stdout).toContain('~ update rule-0003');
    expect(run.stdout).toContain('1 changed target read and planned; 11 unchanged targets not read; drift is found by the scheduled job.');
    expect(run.stdout).toContain('7 declared rules of the planned instances not shown');
    const plan = parsePlan(await readFile(join(repo, 'plan.json'), 'utf8'));
    expect(plan.targets.map((t) => t.instanceName)).toEqual(['audit-1-5']);
    expect(plan.coverage?.changedSince).toMatchObject({ ref: 'HEAD', changedTargets: 1, unchangedTargets: 11, unreadRules: 7 });
    expect(plan.coverage?.changedSince?.commit).toBe(git('rev-parse', 'HEAD').trim());

    // --instance of an unchanged instance: nothing to plan, and no complaint about the name.
    emulator.resetCounters();
    const other = await cli(['--changed-since', 'HEAD', '--instance', 'audit-1-1', '--detailed-exitcode']);
    expect(other.code).toBe(0);
    expect(other.stdout).toContain('No changes.');
    expect(emulator.counters().requests).toBe(0);

    // A preview is not a plan of the estate: apply refuses it before reading anything.
    emulator.resetCounters();
    const apply = await runCli(['apply', 'plan.json', '--policies', 'policies'], {
      cwd: repo,
      env: { DBSS_ENDPOINT: emulator.url, HUAWEICLOUD_SDK_AK: TEST_AK, HUAWEICLOUD_SDK_SK: TEST_SK, NO_COLOR: '1' },
    });
    expect(apply.code).toBe(1);
    expect(apply.stderr).toContain('plan.json is a preview scoped with --changed-since HEAD; nothing was read or changed');
    expect(emulator.counters().requests).toBe(0);
  });

  it('shows a markdown note for the pull-request comment, and nothing is read when nothing changed', async () => {
    const md = await cli(['--changed-since', 'HEAD', '--format', 'markdown']);
    expect(md.code).toBe(0);
    expect(md.stdout).toContain('> [!NOTE]');
    expect(md.stdout).toContain('Scoped to what changed since `HEAD`');
    expect(md.stdout).toContain('0 changed targets read and planned; 12 unchanged targets not read');
    expect(md.stdout).toContain('No changes.');
    expect(emulator.counters().requests).toBe(0);
  });

  it('shows only the rules a reorder moves, and every rule of a newly declared instance', async () => {
    // Move rule-0008 to the top of audit-1-1: one rule moves; nothing else needs a show.
    await writeTree(edited(0, (i) => ({ ...i, risk_rules: [i.risk_rules[7]!, ...i.risk_rules.slice(0, 7)] })));
    const moved = await cli(['--changed-since', 'HEAD', '--format', 'json']);
    expect(moved.code).toBe(0);
    expect(emulator.counters().byOperation).toEqual({ ListAuditInstancesNew: 1, ListAuditRuleRisksNew: 1, ShowAuditRuleRiskNew: 1 });
    const plan = parsePlan(moved.stdout);
    expect(plan.changes.map((c) => c.kind)).toEqual(['reorder']);

    // An instance the base did not declare: all of its rules are read (a full plan of it).
    emulator.resetCounters();
    await writeTree(base.map((p) => ({ ...p, instances: p.instances.slice(0, 11) })));
    git('add', '-A');
    git('commit', '-q', '-m', 'without audit-1-12');
    await writeTree(base);
    const added = await cli(['--changed-since', 'HEAD', '--format', 'json']);
    expect(added.code).toBe(0);
    expect(emulator.counters().byOperation).toEqual({ ListAuditInstancesNew: 1, ListAuditRuleRisksNew: 1, ShowAuditRuleRiskNew: 8 });
    expect(parsePlan(added.stdout).coverage?.changedSince).toMatchObject({ changedTargets: 1, unchangedTargets: 11, unreadRules: 0 });
    git('add', '-A');
    git('commit', '-q', '-m', 'back to the base');
  });

  it('refuses outside a git work tree and with an unknown ref, reading nothing', async () => {
    const bad = await cli(['--changed-since', 'no-such-ref']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('unknown git ref "no-such-ref"');

    const plain = await mkdtemp(join(tmpdir(), 'dbss-not-git-'));
    try {
      await mkdir(join(plain, 'policies'));
      await writeFile(join(plain, 'policies', 'a.yaml'), (await readFile(join(repo, 'policies', base[0]!.project_id, 'audit-1-1.yaml'))).toString());
      const outside = await cli(['--changed-since', 'HEAD'], plain);
      expect(outside.code).toBe(1);
      expect(outside.stderr).toContain('--changed-since needs the policies directory in a git work tree');
    } finally {
      await rm(plain, { recursive: true, force: true });
    }
    expect(emulator.counters().requests).toBe(0);
  });
});
