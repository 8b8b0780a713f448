import { execFileSync } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePlan } from '../../src/plan/plan-json.js';
import { runCli } from '../helpers/run-cli.js';
import { startEmulatorEnv } from './emulator-env.js';
import type { EmulatorEnv } from './emulator-env.js';

/**
 * `plan --changed-since` on the example policies (rule sets, a `bi-*` selector, instances by
 * name and by id) against the demo estate: a changed selector plans only what it matches; a
 * changed rule set plans every instance that uses it, the selector's matches included.
 */

const REPO_POLICIES = join(import.meta.dirname, '../../policies');
let e: EmulatorEnv;
let repo: string;

const git = (...args: string[]): string =>
  execFileSync('git', ['-c', 'user.email=test@example.invalid', '-c', 'user.name=test', '-c', 'commit.gpgsign=false', ...args], {
    cwd: repo,
    encoding: 'utf8',
  });

const plan = async () => {
  e.emulator.resetCounters();
  const run = await runCli(['plan', '--policies', 'policies', '--changed-since', 'main', '--format', 'json'], { cwd: repo, env: e.env });
  expect(run.stderr).toBe('');
  return { plan: parsePlan(run.stdout), reads: e.emulator.counters().byOperation };
};

async function edit(file: string, from: string, to: string): Promise<void> {
  const path = join(repo, 'policies', file);
  const text = await readFile(path, 'utf8');
  expect(text).toContain(from);
  await writeFile(path, text.replace(from, to));
}

beforeAll(async () => {
  e = await startEmulatorEnv();
  repo = await mkdtemp(join(tmpdir(), 'dbss-changed-demo-'));
  await cp(REPO_POLICIES, join(repo, 'policies'), { recursive: true });
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('commit', '-q', '-m', 'base');
});

afterAll(async () => {
  await e.close();
  await rm(repo, { recursive: true, force: true });
});

describe('plan --changed-since on rule sets and selectors', () => {
  it('a changed selector rule: lists its project, reads only the instances it matches and the changed rule', async () => {
    git('checkout', '-q', '-B', 'selector-change', 'main');
    await edit('analytics/bi-audit.yaml', 'value: 100000', 'value: 5000');
    const { plan: p, reads } = await plan();
    expect(reads).toEqual({ ListAuditInstancesNew: 1, ListAuditRuleRisksNew: 1, ShowAuditRuleRiskNew: 1 });
    expect(p.targets.map((t) => `${t.instanceName}:${t.selector ?? ''}`)).toEqual(['bi-audit:bi-*']);
    expect(p.changes.map((c) => `${c.kind}:${'rule' in c ? c.rule : ''}`)).toEqual(['update:bulk-export']);
    expect(p.selectors.map((s) => s.matched)).toEqual([['bi-audit']]);
    expect(p.coverage?.changedSince).toMatchObject({ changedTargets: 1, unreadRules: 0 });
    git('checkout', '-q', '--', '.');
  });

  it('a changed rule set: plans every instance that uses it, by name, by id and through the selector; no show is needed', async () => {
    git('checkout', '-q', '-B', 'set-change', 'main');
    await edit('baseline.yaml', 'Slow_SQL_detection: ON', 'Slow_SQL_detection: OFF');
    const { plan: p, reads } = await plan();
    expect(p.targets.map((t) => t.instanceName).sort()).toEqual(['bi-audit', 'pci-audit', 'prod-audit', 'staging-audit']);
    // No risk-rule show (ShowAuditRuleRiskNew) is needed. prod-audit, the one instance that declares
    // the other kinds, has each of them read once (the masking settings through their own shows).
    expect(reads).toEqual({
      ListAuditInstancesNew: 2,
      ListAuditRuleRisksNew: 4,
      ListSqlInjectionRulesNew: 1,
      ListAuditRuleScopesNew: 1,
      ListWhitelists: 1,
      ListAlarmTopicConfigInfoNew: 1,
      ListAuditSensitiveMasksNew: 1,
      ShowSensitiveMaskSwitch: 1,
      ShowSensitiveResultSwitch: 1,
    });
    const switched = p.changes.flatMap((c) => (c.kind === 'switch' && c.status === 'OFF' ? c.rules.map((r) => r.name) : []));
    expect(switched).toContain('Slow_SQL_detection');
    expect(p.coverage?.changedSince?.unreadRules).toBeGreaterThan(0);
    git('checkout', '-q', '--', '.');
  });
});
