import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { startEmulatorEnv, writes } from './emulator-env.js';
import type { EmulatorEnv } from './emulator-env.js';

/** `--target INSTANCE/RULE` as a user runs it: plan, save, apply the saved targeted plan. */

const REPO = join(import.meta.dirname, '../..');
const POLICIES = join(REPO, 'policies');

let e: EmulatorEnv;
beforeEach(async () => {
  e = await startEmulatorEnv();
});
afterEach(async () => {
  await e.close();
});

const cli = (args: string[]) => runCli([...args, '--policies', POLICIES, '--rate-limit', '1000/s'], { env: e.env, cwd: e.dir });

describe('--target INSTANCE/RULE', () => {
  it('plans only the matching rules and says the plan is targeted', async () => {
    const r = await cli(['plan', '--target', 'prod-*/drop-*', '--detailed-exitcode']);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('~ update drop-table-in-prod');
    expect(r.stdout).not.toContain('truncate-in-prod');
    expect(r.stdout).not.toContain('legacy-export');
    expect(r.stdout).not.toContain('summary task risk');
    expect(r.stdout).not.toContain('reorder [');
    expect(r.stdout).not.toContain('pci-audit');
    expect(r.stdout).toContain('Targeted with --target prod-*/drop-*: only changes of matching rules are planned');
    expect(r.stdout).toMatch(/^Plan: 0 to create, 1 to update, 0 to delete, 0 switches, 0 reorders\.$/m);
  });

  it('applies a saved targeted plan with its own targets, and only that rule changes', async () => {
    const planFile = join(e.dir, 'targeted.json');
    const planned = await cli(['plan', '--target', 'prod-audit/truncate-in-prod', '--out', planFile]);
    expect(planned.code).toBe(0);
    const saved = JSON.parse(await readFile(planFile, 'utf8')) as { ruleTargets: string[]; changes: { id: string }[] };
    expect(saved.ruleTargets).toEqual(['prod-audit/truncate-in-prod']);
    expect(saved.changes.map((c) => c.id.replace(/^.*#/, ''))).toEqual(['create:truncate-in-prod']);

    const both = await cli(['apply', planFile, '--yes', '--target', 'prod-audit/*']);
    expect(both.code).toBe(1);
    expect(both.stderr).toContain('--target cannot be combined with a plan file: ');

    // The targets are part of what apply compares: without them a fresh plan has more changes.
    const { ruleTargets: _dropped, ...untargeted } = saved;
    const edited = join(e.dir, 'untargeted.json');
    await writeFile(edited, JSON.stringify(untargeted));
    const refused = await cli(['apply', edited, '--yes']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/untargeted\.json is stale or was edited: a fresh plan makes change \S+, which the plan file does not have/);
    expect(writes(e.emulator)).toBe(0);

    const applied = await cli(['apply', planFile, '--yes']);
    expect(applied.stderr).not.toContain('stale');
    expect(applied.code).toBe(0);
    expect(applied.stdout).toContain('Apply: 1 applied, 0 failed, 0 skipped, 0 not-attempted.');
    expect(applied.stdout).toContain('Converged');

    const after = await cli(['plan']);
    expect(after.stdout).not.toContain('+ create truncate-in-prod');
    expect(after.stdout).toContain('~ update drop-table-in-prod');
    expect(after.stdout).toContain('- delete legacy-export');
  });

  it('names a target that matches no instance, and a malformed one', async () => {
    const none = await cli(['plan', '--target', 'nope-*/x']);
    expect(none.code).toBe(1);
    expect(none.stdout).toContain('--target "nope-*/x" matched no declared instance; nothing was planned for it.');
    const bad = await cli(['plan', '--target', 'prod-audit']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('--target must be INSTANCE/RULE (globs, e.g. prod-audit/drop-* or */legacy-export), got "prod-audit"');
  });
});
