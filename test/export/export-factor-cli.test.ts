import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_PROJECTS } from '../../src/emulator/index.js';
import { runCli } from '../helpers/run-cli.js';
import { startEmulatorEnv, writes } from '../cli/emulator-env.js';
import type { EmulatorEnv } from '../cli/emulator-env.js';
import { OWN_RULES, sharedState } from './shared-state.js';

const FAST = ['--rate-limit', '1000/s'];

let e: EmulatorEnv | undefined;
afterEach(async () => {
  await e?.close();
  e = undefined;
});

const cli = (env: EmulatorEnv, args: string[]) => runCli([...args, ...FAST], { env: env.env, cwd: env.dir });

/** Plans the tree against the live state it was exported from: exit 0, no changes, nothing written; and it validates. */
async function expectEmptyRoundTrip(t: EmulatorEnv, policies: string): Promise<void> {
  t.emulator.resetCounters();
  const plan = await cli(t, ['plan', '--policies', policies, '--detailed-exitcode']);
  expect(plan.stdout).toContain('No changes.');
  expect(plan.code).toBe(0);
  expect(writes(t.emulator)).toBe(0);
  const validate = await runCli(['validate', '--policies', policies], { cwd: t.dir });
  // a token read back outside the documented list (the demo estate's REVOKE) is kept with a warning
  expect(validate.stdout).toMatch(/: valid( \(\d+ warnings?\))?\n$/);
  expect(validate.code).toBe(0);
}

describe('dbss-policy export --factor', () => {
  it('writes the rules several instances start with once, as rule sets they use, and the plan stays empty', async () => {
    const state = sharedState();
    const t = (e = await startEmulatorEnv({ state }));
    const projects = Object.keys(state.projects);
    for (const project of projects) {
      const r = await cli(t, ['export', '--project', project, '--region', 'cn-north-4', '--out', 'adopted', '--factor']);
      expect(r.stderr).toContain(`Exported 4 instances (${4 * OWN_RULES + 7 + 7 + 5} custom rules, 2 rule sets) of project ${project}`);
      expect(r.code).toBe(0);
    }
    const [first] = projects;
    const set = (n: number) => `${first!.slice(0, 8)}-shared-${n}`;
    const text = await readFile(join(t.dir, 'adopted/cn-north-4', `${first}.yaml`), 'utf8');
    expect(text).toContain(`rule_sets:\n  ${set(1)}:\n    description: Rules that audit-1-1, audit-1-2, audit-1-3 have identically`);
    // The baseline's switches that all three users have move into the set; Slow_SQL differs, so it stays.
    expect(text).toMatch(new RegExp(`${set(1)}:\\n.*\\n {4}system_rules:\\n {6}Database_drag_detection: ON\\n {6}Batch_data_tampering_detection: ON\\n {6}Batch_data_deletion_detection: ON\\n {4}risk_rules:\\n {6}- name: baseline-1`));
    expect(text).toContain(`  ${set(2)}:\n    description: Rules that audit-1-1, audit-1-2 have identically`);
    expect(text.match(new RegExp(`use: \\[${set(1)}, ${set(2)}\\]`, 'g'))).toHaveLength(2);
    expect(text.match(new RegExp(`use: \\[${set(1)}\\]\\n {4}system_rules:\\n {6}Slow_SQL_detection: OFF\\n`, 'g'))).toHaveLength(1);
    for (const name of ['baseline-3', 'pci-card-read']) expect(text.split(`- name: ${name}\n`)).toHaveLength(2);
    // Every rule written, in a set or on an instance, still says where exception_ips goes.
    expect(text.match(/- name: .*\n +risk_level:/g)).toHaveLength(4 * OWN_RULES + 5 + 2);
    expect(text.match(/# exception_ips: write-only/g)).toHaveLength(4 * OWN_RULES + 5 + 2);

    const plain = await cli(t, ['export', '--project', first!, '--region', 'cn-north-4', '--out', '-']);
    expect(plain.stdout).not.toContain('rule_sets:');
    expect(text.split('\n').length).toBeLessThan(plain.stdout.split('\n').length - 40);

    // Both projects in one tree: the set names, prefixed by the project, do not collide.
    await expectEmptyRoundTrip(t, 'adopted');
  });

  it('changes nothing where no instances share their first rules (the demo estate)', async () => {
    const t = (e = await startEmulatorEnv());
    for (const [project, region] of [
      [DEMO_PROJECTS.payments, 'cn-north-4'],
      [DEMO_PROJECTS.analytics, 'cn-east-3'],
    ] as const) {
      const args = ['export', '--project', project, '--region', region];
      const factored = await cli(t, [...args, '--out', 'adopted', '--factor']);
      expect(factored.code).toBe(0);
      expect(factored.stderr).not.toContain('rule set');
      const plain = await cli(t, [...args, '--out', '-']);
      expect(await readFile(join(t.dir, 'adopted', region, `${project}.yaml`), 'utf8')).toBe(plain.stdout);
    }
    await expectEmptyRoundTrip(t, 'adopted');
  });
});
