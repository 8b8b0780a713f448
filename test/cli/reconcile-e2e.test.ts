import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { startEmulatorEnv, TEST_AK, TEST_SK, writes } from './emulator-env.js';
import type { EmulatorEnv } from './emulator-env.js';

const REPO = join(import.meta.dirname, '../..');
const POLICIES = join(REPO, 'policies');

let e: EmulatorEnv;
beforeEach(async () => {
  e = await startEmulatorEnv();
});
afterEach(async () => {
  await e.close();
});

/** The CLI's default budget is 10 requests/s; the emulator takes more (a faster suite, same calls). */
const cli = (args: string[], extraEnv: Record<string, string> = {}) =>
  runCli([...args, '--policies', POLICIES, '--rate-limit', '1000/s'], { env: { ...e.env, ...extraEnv }, cwd: REPO });

function expectNoSecrets(out: string): void {
  expect(out).not.toContain(TEST_SK);
  expect(out).not.toContain(TEST_AK);
}

describe('plan → reconcile → plan against the emulator', () => {
  it('plans the demo changes without writing, applies them, and then has nothing to do', async () => {
    const plan = await cli(['plan', '--detailed-exitcode']);
    expect(plan.code).toBe(2);
    expect(plan.stdout).toContain('~ update drop-table-in-prod');
    expect(plan.stdout).toContain('risk_level: MEDIUM → HIGH');
    expect(plan.stdout).toContain('+ create truncate-in-prod');
    expect(plan.stdout).toContain('- delete legacy-export');
    expect(plan.stdout).toContain('± switch ON [Slow_SQL_detection (system)]');
    expect(plan.stdout).toMatch(/summary task risk: off → on/);
    expect(plan.stdout).toMatch(/^Plan: 9 to create, 4 to update, 1 to delete, 4 switches, 3 reorders, 1 task change\./m);
    expect(writes(e.emulator)).toBe(0);
    expectNoSecrets(plan.stdout + plan.stderr);

    const applied = await cli(['reconcile']);
    // Off a terminal the only stderr lines allowed are the ~30 s progress lines of a slow read:
    // the shipped demo policy has no warning.
    expect(applied.stderr.replace(/^(reading|verifying): \d+ of ~\d+ requests.*\n/gm, '')).toBe('');
    // each reorder says which numbering it observed and how it moved the rules
    expect(applied.stdout).toMatch(/^APPLIED +\S+ reorder: order confirmed by a listing; numbering: system and custom share 1\.\.\d+ \(dense, system first\); \d+ rank calls? \(predicted\)$/m);
    expect(applied.code).toBe(0);
    expect(applied.stdout).toContain('Apply: 22 applied, 0 failed, 0 skipped, 0 not-attempted.');
    expect(applied.stdout).toContain('Converged');
    expectNoSecrets(applied.stdout + applied.stderr);

    e.emulator.resetCounters();
    const again = await cli(['plan', '--detailed-exitcode']);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('No changes.');
    // The fewest calls the API allows for this no-change plan: one instance list per project (2),
    // one rule list per instance (4), one show per declared rule that exists (9), one read per
    // declared summary task (4), and one read per kind that prod-audit alone declares (7: SQL-injection
    // rules, audit scopes, whitelist, alarms, mask rules, the masking and result-set switches).
    const c = e.emulator.counters();
    expect(c.byOperation).toEqual({
      ListAuditInstancesNew: 2,
      ListAuditRuleRisksNew: 4,
      ShowAuditRuleRiskNew: 9,
      ShowAuditTaskStatus: 4,
      ListSqlInjectionRulesNew: 1,
      ListAuditRuleScopesNew: 1,
      ListWhitelists: 1,
      ListAlarmTopicConfigInfoNew: 1,
      ListAuditSensitiveMasksNew: 1,
      ShowSensitiveMaskSwitch: 1,
      ShowSensitiveResultSwitch: 1,
    });
    expect(c.requests).toBe(26);
  });

  it('reconcile --dry-run prints the plan and writes nothing', async () => {
    const r = await cli(['reconcile', '--dry-run', '--detailed-exitcode']);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('+ create pci-card-table-read');
    expect(writes(e.emulator)).toBe(0);
  });

  it('--instance limits reading and planning to that instance; --summary-tasks adds its project tasks', async () => {
    const r = await cli(['plan', '--instance', 'staging-audit']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('switch ON [drop-table-staging]');
    expect(r.stdout).not.toContain('prod-audit');
    expect(r.stdout).not.toContain('pci-audit');
    expect(r.stdout).not.toContain('summary task');
    expect(e.emulator.counters().byOperation['ListAuditRuleRisksNew']).toBe(1);
    expect(e.emulator.counters().byOperation['ShowAuditTaskStatus']).toBeUndefined();
    const withTasks = await cli(['plan', '--instance', 'staging-audit', '--summary-tasks']);
    expect(withTasks.code).toBe(0);
    expect(withTasks.stdout).toMatch(/summary task risk: off → on/);
    expect(withTasks.stdout).not.toContain('prod-audit');
  });

  it('ends with what could not be read, not "No changes.", when --instance matches nothing', async () => {
    const r = await cli(['plan', '--instance', 'no-such-audit']);
    expect(r.code).toBe(1);
    expect(r.stdout).not.toContain('No changes.');
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('--instance "no-such-audit" matched no declared instance; nothing was planned for it.');
  });
});

describe('saved plans', () => {
  it('applies a saved plan, and refuses it once the live state has changed', async () => {
    const planFile = join(e.dir, 'plan.json');
    const planned = await cli(['plan', '--out', planFile]);
    expect(planned.code).toBe(0);
    const saved = JSON.parse(await readFile(planFile, 'utf8')) as { formatVersion: number; changes: unknown[] };
    expect(saved.formatVersion).toBe(1);
    expect(saved.changes.length).toBe(22);

    // Someone edits a planned rule in the console after the plan was reviewed.
    const prod = e.emulator.state.projects['0f1e2d3c4b5a69788796a5b4c3d2e1f0']!.instances.find((i) => i.name === 'prod-audit')!;
    prod.rules.find((r) => r.name === 'drop-table-in-prod')!.riskLevel = 'LOW';
    e.emulator.resetCounters();

    const stale = await cli(['apply', planFile]);
    expect(stale.code).toBe(1);
    expect(stale.stderr).toMatch(/plan\.json is stale or was edited: change \S+prod-audit#update:drop-table-in-prod differs at before\.riskLevel: the plan file has "MEDIUM", a fresh plan has "LOW"; nothing was changed/);
    expect(writes(e.emulator)).toBe(0);

    const fresh = await cli(['plan', '--out', planFile]);
    expect(fresh.code).toBe(0);
    const ok = await cli(['apply', planFile, '--report', join(e.dir, 'report.json')]);
    expect(ok.code).toBe(0);
    const report = JSON.parse(await readFile(join(e.dir, 'report.json'), 'utf8')) as {
      outcomes: Record<string, number>;
      results: { outcome: string; kind: string; rank?: { numbering: string; mode: string; rankCalls: number; observed: string[] } }[];
      calls: { requests: number };
    };
    expect(report.outcomes).toEqual({ applied: 22, failed: 0, skipped: 0, 'not-attempted': 0 });
    // the report says which rank numbering each reorder observed, and how it moved the rules
    const reorders = report.results.filter((r) => r.kind === 'reorder');
    expect(reorders.length).toBeGreaterThan(0);
    for (const r of reorders) expect(r.rank).toMatchObject({ numbering: expect.stringMatching(/^system and custom share 1\.\.\d+ \(dense/), mode: 'predicted' });
    expect(report.calls.requests).toBeGreaterThan(22);
    expectNoSecrets(JSON.stringify(report));
  });

  it('refuses a plan file that is not a plan', async () => {
    const bogus = join(e.dir, 'bogus.json');
    await import('node:fs/promises').then((fs) => fs.writeFile(bogus, '{"formatVersion": 99}'));
    const r = await cli(['apply', bogus]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/bogus\.json/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(writes(e.emulator)).toBe(0);
  });
});

describe('safety', () => {
  it('refuses a plan that changes too large a share of an instance, unless forced', async () => {
    const refused = await cli(['reconcile', '--max-change-ratio', '0.2', '--min-rules', '1']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/prod-audit: 2 of 4 rules/);
    expect(refused.stderr).toMatch(/nothing was changed/);
    expect(writes(e.emulator)).toBe(0);

    const forced = await cli(['reconcile', '--max-change-ratio', '0.2', '--min-rules', '1', '--force']);
    expect(forced.code).toBe(0);
  });

  it('--fail-on-weakening exits 1 when the plan deletes a rule, and names the weakening change', async () => {
    const r = await cli(['plan', '--fail-on-weakening']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('weakening');
    expect(r.stderr).toMatch(
      /the plan weakens auditing in 3 changes \(--fail-on-weakening\):\n\s+\S+\/prod-audit: delete legacy-export \(rule deleted\)\n\s+\S+\/prod-audit: create whitelist "SELECT 1 FROM dual" \(whitelist entry "SELECT 1 FROM dual" added and enabled: the statement is no longer audited as a risk\)\n\s+\S+\/prod-audit: set alarm "alarms" \(disk alarm threshold raised 80% → 85%; memory alarm threshold raised 80% → 90%\)\n/,
    );
  });
});

describe('failures', () => {
  it('a failed create fails alone: independent changes apply, its reorder is skipped, the next run converges', async () => {
    // The create of truncate-in-prod (the only create on prod-audit) fails as a business failure
    // (HTTP 200 status FAILED, not retried); the three pci-audit creates go through.
    e.emulator.failNext('CreateAuditRiskRule', 'failed', 4);
    const r = await cli(['reconcile']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/FAILED\s+\S+prod-audit create:truncate-in-prod: .*FAILED/);
    expect(r.stdout).toMatch(/SKIPPED\s+\S+prod-audit reorder: depends on failed create of truncate-in-prod/);
    expect(r.stdout).toMatch(/APPLIED\s+\S+prod-audit update:drop-table-in-prod/);
    expect(r.stdout).toMatch(/APPLIED\s+\S+staging-audit switch:ON/);
    expect(r.stdout).toContain('Not converged:');

    const again = await cli(['reconcile']);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('Converged');
    const prod = e.emulator.state.projects['0f1e2d3c4b5a69788796a5b4c3d2e1f0']!.instances.find((i) => i.name === 'prod-audit')!;
    const custom = prod.rules.filter((x) => x.ruleType === 'CUSTOMIZE').map((x) => x.name);
    expect(custom).toEqual(['drop-table-in-prod', 'bulk-delete-prod', 'grant-outside-dba', 'truncate-in-prod']);
  });

  it('missing credentials stop the run before any request, naming the variables but no values', async () => {
    const r = await runCli(['plan', '--policies', POLICIES], {
      cwd: REPO,
      env: { DBSS_ENDPOINT: e.emulator.url, HUAWEICLOUD_SDK_AK: '', HUAWEICLOUD_SDK_SK: '', HW_ACCESS_KEY: '', HW_SECRET_KEY: '', HUAWEICLOUD_AUTH_TOKEN: '' },
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/HUAWEICLOUD_SDK_AK/);
    expect(e.emulator.counters().requests).toBe(0);
  });

  it('an invalid policy tree changes nothing and lists every problem by file and line', async () => {
    const { mkdir, writeFile } = await import('node:fs/promises');
    const bad = join(e.dir, 'bad');
    await mkdir(bad);
    await writeFile(join(bad, 'a.yaml'), 'version: 1\nregion: cn-north-4\nproject_id: 0f1e2d3c4b5a69788796a5b4c3d2e1f0\ninstances:\n  - name: prod-audit\n    risk_rules:\n      - name: x\n        risk_level: SEVERE\n');
    const r = await runCli(['reconcile', '--policies', bad], { env: e.env, cwd: e.dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/a\.yaml:8:\d+ .*risk_level/);
    expect(e.emulator.counters().requests).toBe(0);
  });
});

describe('sharding', () => {
  it('the plans of shards 1/3, 2/3 and 3/3 together are the whole plan, without overlap', async () => {
    const whole = await cli(['plan', '--format', 'json']);
    const ids = (out: string) => (JSON.parse(out) as { changes: { id: string }[] }).changes.map((c) => c.id);
    const all = ids(whole.stdout);
    const parts = await Promise.all([1, 2, 3].map((i) => cli(['plan', '--format', 'json', '--shard', `${i}/3`])));
    const union = parts.flatMap((p) => ids(p.stdout));
    expect(union.sort()).toEqual([...all].sort());
    expect(new Set(union).size).toBe(union.length);
  });
});

describe('instance selection', () => {
  it('--instance accepts the live name of an instance declared by id', async () => {
    const r = await cli(['plan', '--instance', 'pci-audit']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('+ create pci-card-table-read');
    expect(r.stdout).not.toContain('prod-audit');
  });
});

describe('interruption', () => {
  it('SIGINT during apply stops dispatching, reports every change, exits 130; the next run converges', async () => {
    const { spawn } = await import('node:child_process');
    const { CLI_MAIN } = await import('../helpers/run-cli.js');
    e.emulator.configure({ latency: { fixedMs: 300 } });
    const child = spawn(process.execPath, [CLI_MAIN, 'reconcile', '--policies', POLICIES, '--concurrency', '1'], {
      cwd: REPO,
      env: { ...process.env, ...e.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    let closed = false;
    const code = new Promise<number | null>((res) => child.on('close', (c) => res(c)));
    void code.then(() => (closed = true));
    // Interrupt once the first write landed (an event, not a deadline: a slow machine only waits longer).
    await new Promise<void>((resolve) => {
      const poll = (): void => (writes(e.emulator) > 0 || closed ? resolve() : void setTimeout(poll, 20));
      poll();
    });
    child.kill('SIGINT');
    expect(await code).toBe(130);
    expect(stdout).toMatch(/NOT-ATTEMPTED/);
    expect(stdout).toMatch(/\(interrupted\)/);
    const total = (stdout.match(/^(APPLIED|FAILED|SKIPPED|NOT-ATTEMPTED) /gm) ?? []).length;
    expect(total).toBe(22);

    e.emulator.configure({ latency: null });
    const again = await cli(['reconcile']);
    expect(again.code).toBe(0);
    const again2 = await cli(['plan', '--detailed-exitcode']);
    expect(again2.code).toBe(0);
    for (const project of Object.values(e.emulator.state.projects)) {
      for (const inst of project.instances) {
        const names = inst.rules.map((r) => r.name);
        expect(new Set(names).size).toBe(names.length);
      }
    }
  });
});

describe('timeouts', () => {
  it('--timeout and --max-attempts bound a hung endpoint: exit 1 with a clear message, no stack trace', async () => {
    const { createServer } = await import('node:http');
    const hung = createServer(() => {}); // accepts, never answers
    await new Promise<void>((r) => hung.listen(0, '127.0.0.1', () => r()));
    const port = (hung.address() as { port: number }).port;
    try {
      // Without the flags this would take 5 attempts of 30 s and outlive the test's own timeout.
      const r = await cli(['plan', '--timeout', '300', '--max-attempts', '2'], { DBSS_ENDPOINT: `http://127.0.0.1:${port}` });
      expect(r.code).toBe(1);
      expect(r.stdout + r.stderr).toMatch(/time(d)? ?out/i);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    } finally {
      hung.closeAllConnections();
      hung.close();
    }
  });
});
