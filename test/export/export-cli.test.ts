import { existsSync } from 'node:fs';
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_INSTANCES, DEMO_PROJECTS } from '../../src/emulator/index.js';
import { runCli } from '../helpers/run-cli.js';
import { startEmulatorEnv, TEST_AK, TEST_SK, writes } from '../cli/emulator-env.js';
import type { EmulatorEnv } from '../cli/emulator-env.js';
import { oddState, onlyProject } from './odd-state.js';

const SCHEMA = join(import.meta.dirname, '../../schemas/policy.schema.json');
const FAST = ['--rate-limit', '1000/s'];
const PAYMENTS = ['--project', DEMO_PROJECTS.payments, '--region', 'cn-north-4'];
const ANALYTICS = ['--project', DEMO_PROJECTS.analytics, '--region', 'cn-east-3'];

let e: EmulatorEnv | undefined;
afterEach(async () => {
  await e?.close();
  e = undefined;
});

async function env(options: Parameters<typeof startEmulatorEnv>[0] = {}): Promise<EmulatorEnv> {
  e = await startEmulatorEnv(options);
  return e;
}

const cli = (env: EmulatorEnv, args: string[]) => runCli([...args, ...FAST], { env: env.env, cwd: env.dir });

function expectNoSecrets(text: string): void {
  expect(text).not.toContain(TEST_SK);
  expect(text).not.toContain(TEST_AK);
}

describe('dbss-policy export: round trip', () => {
  it('exports the demo estate, and planning the exported files against it changes nothing', async () => {
    const t = await env();
    for (const project of [PAYMENTS, ANALYTICS]) {
      const r = await cli(t, ['export', ...project, '--out', 'adopted']);
      expect(r.code).toBe(0);
      expectNoSecrets(r.stdout + r.stderr);
    }
    const payments = await readFile(join(t.dir, 'adopted/cn-north-4', `${DEMO_PROJECTS.payments}.yaml`), 'utf8');
    expectNoSecrets(payments);
    expect(payments).toContain('name: prod-audit');
    expect(payments).toMatch(/^ {6}Slow_SQL_detection: OFF$/m);
    expect(payments).toMatch(/- name: drop-table-staging\n\s+risk_level: MEDIUM\n\s+status: OFF/);
    // The legacy instance is SHUTOFF: skipped with a comment, and the demo policy's rule order kept.
    expect(payments).toMatch(/^# - instance "legacy-audit" \(\w+\) is SHUTOFF/m);
    expect(payments).not.toContain('name: legacy-audit');
    const order = [...payments.matchAll(/- name: ([\w-]+)\n\s+risk_level/g)].map((m) => m[1]);
    expect(order).toEqual(['bulk-delete-prod', 'drop-table-in-prod', 'grant-outside-dba', 'legacy-export', 'drop-table-staging', 'temp-debug-select']);

    t.emulator.resetCounters();
    const plan = await cli(t, ['plan', '--policies', 'adopted', '--detailed-exitcode']);
    expect(plan.stdout).toContain('No changes.');
    expect(plan.code).toBe(0);
    expect(plan.stdout).not.toContain('not declared');
    expect(writes(t.emulator)).toBe(0);
  });

  it('round-trips a generated estate with odd names, IPv6 ranges, columns, every symbol and rules OFF', async () => {
    const state = oddState();
    const t = await env({ state });
    const project = onlyProject(state);
    const r = await cli(t, ['export', '--project', project, '--region', 'cn-north-4', '--out', 'adopted']);
    expect(r.stderr).toContain(`Exported 3 instances (131 custom rules) of project ${project} (cn-north-4)`);
    expect(r.code).toBe(0);
    const text = await readFile(join(t.dir, 'adopted/cn-north-4', `${project}.yaml`), 'utf8');
    for (const quoted of ['"yes"', '"on"', '"#x"', '"a: b"', '"10:20"', '"null"', '"ON"']) expect(text).toContain(`name: ${quoted}`);
    expect(text).toContain('{schema: hr, table: salaries, column: amount}');
    expect(text).toContain('{column: ssn}');
    expect(text).not.toContain('10.9.9.9'); // exception_ips cannot be read back
    expect(text.match(/# exception_ips: write-only/g)).toHaveLength(131);

    const plan = await cli(t, ['plan', '--policies', 'adopted', '--detailed-exitcode']);
    expect(plan.stdout).toContain('No changes.');
    expect(plan.code).toBe(0);
  });

  it('exports instances whose name is shared by id, so the plan stays unambiguous', async () => {
    const t = await env();
    const analytics = t.emulator.state.projects[DEMO_PROJECTS.analytics]!;
    const twin = { ...structuredClone(analytics.instances[1]!), id: 'ab'.repeat(16) };
    analytics.instances.push(twin);
    const r = await cli(t, ['export', ...ANALYTICS, '--out', 'adopted']);
    expect(r.code).toBe(0);
    const text = await readFile(join(t.dir, 'adopted/cn-east-3', `${DEMO_PROJECTS.analytics}.yaml`), 'utf8');
    expect(text).toContain(`- id: ${DEMO_INSTANCES.biAudit} # name "bi-audit" is shared`);
    expect(text).toContain(`- id: ${twin.id} # name "bi-audit" is shared`);
    expect(text).toContain('- name: pci-audit');
    const plan = await cli(t, ['plan', '--policies', 'adopted', '--detailed-exitcode']);
    expect(plan.stdout).toContain('No changes.');
    expect(plan.code).toBe(0);

    const ambiguous = await cli(t, ['export', ...ANALYTICS, '--instance', 'bi-audit', '--out', '-']);
    expect(ambiguous.code).toBe(1);
    expect(ambiguous.stderr).toContain(`--instance bi-audit: 2 instances have that name in project ${DEMO_PROJECTS.analytics} (cn-east-3)`);
    expect(ambiguous.stdout).toBe('');
  });
});

describe('dbss-policy export: output and selection', () => {
  it('refuses to overwrite an existing file unless --force', async () => {
    const t = await env();
    const file = join(t.dir, 'exported/cn-north-4', `${DEMO_PROJECTS.payments}.yaml`);
    await mkdir(join(t.dir, 'exported/cn-north-4'), { recursive: true });
    await writeFile(file, '# hand-written\n');
    const refused = await cli(t, ['export', ...PAYMENTS]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`exported/cn-north-4/${DEMO_PROJECTS.payments}.yaml already exists; pass --force to overwrite it`);
    expect(await readFile(file, 'utf8')).toBe('# hand-written\n');
    expect(t.emulator.counters().requests).toBe(0); // refused before reading anything

    await mkdir(join(t.dir, 'schemas'));
    await copyFile(SCHEMA, join(t.dir, 'schemas/policy.schema.json'));
    const forced = await cli(t, ['export', ...PAYMENTS, '--force']);
    expect(forced.code).toBe(0);
    const text = await readFile(file, 'utf8');
    expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=../../schemas/policy.schema.json');
  });

  it('--out - prints the document (without a schema comment) and writes no file', async () => {
    const t = await env();
    const r = await cli(t, ['export', ...PAYMENTS, '--instance', 'staging-audit', '--out', '-']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^# Exported by `dbss-policy export`/);
    expect(r.stdout).toContain(`project_id: ${DEMO_PROJECTS.payments}`);
    expect(r.stdout).toContain('- name: staging-audit');
    expect(r.stdout).not.toContain('prod-audit');
    expect(r.stdout).not.toContain('yaml-language-server');
    expect(r.stderr).toContain('Exported 1 instance (2 custom rules)');
    expect(existsSync(join(t.dir, 'exported'))).toBe(false);
  });

  it('selects instances by name or id, and skips a SHUTOFF one with a notice', async () => {
    const t = await env();
    const r = await cli(t, ['export', ...PAYMENTS, '--instance', DEMO_INSTANCES.prodAudit, '--instance', 'legacy-audit', '--out', '-']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('- name: prod-audit');
    expect(r.stdout).not.toContain('staging-audit');
    expect(r.stderr).toContain(`warning: instance "legacy-audit" (${DEMO_INSTANCES.legacyAudit}) is SHUTOFF: its rules cannot be read`);
    expect(r.stdout).toContain(`# - instance "legacy-audit" (${DEMO_INSTANCES.legacyAudit}) is SHUTOFF`);
    expect(t.emulator.counters().byOperation['ListAuditRuleRisksNew']).toBe(1);
  });

  it('an unknown instance is an error naming it, and nothing is written', async () => {
    const t = await env();
    const r = await cli(t, ['export', ...PAYMENTS, '--instance', 'no-such-audit']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`dbss-policy export: --instance no-such-audit: no instance with that name or id in project ${DEMO_PROJECTS.payments} (cn-north-4)`);
    expect(r.stderr).not.toContain('    at ');
    expect(existsSync(join(t.dir, 'exported'))).toBe(false);
  });

  it('requires --project and --region, and checks their shape', async () => {
    const t = await env();
    const missing = await cli(t, ['export', '--instance', 'prod-audit']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('--project and --region are required');
    const bad = await cli(t, ['export', '--project', '../../etc', '--region', 'cn-north-4']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('--project must be an IAM project id');
    expect(t.emulator.counters().requests).toBe(0);
  });

  it('omits an unreadable summary task with a comment, and exits 1 when a live value does not fit the format', async () => {
    const t = await env();
    const payments = t.emulator.state.projects[DEMO_PROJECTS.payments]!;
    (payments.summaryTasks.audit as { taskSwitch: string }).taskSwitch = 'paused';
    payments.instances[1]!.rules.push({ ...structuredClone(payments.instances[1]!.rules[4]!), id: 'longname000000000001', name: 'x'.repeat(300) });
    const r = await cli(t, ['export', ...PAYMENTS, '--out', '-']);
    // task_switch values are undocumented: "paused" reads as unknown (not a read failure), and is not exported
    expect(r.stdout).toMatch(/^# - summary task audit is not exported: its task_switch reads paused, neither on nor off/m);
    expect(r.stdout).toMatch(/summary_tasks:\n {2}risk: off\ninstances:/);
    expect(r.stderr).toContain('warning: summary task audit is not exported');
    expect(r.stderr).toMatch(/<stdout>:\d+:\d+ \$\.instances\[1\]\.risk_rules\[2\]\.name: .*255/);
    expect(r.stderr).toContain('does not validate');
    expect(r.code).toBe(1);
  });
});
