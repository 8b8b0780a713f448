import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_PROJECTS } from '../../../src/emulator/index.js';
import { Prng } from '../../../src/emulator/prng.js';
import { systemRules } from '../../../src/emulator/seed-rules.js';
import { runCli } from '../../helpers/run-cli.js';
import { startEmulatorEnv, type EmulatorEnv } from '../../cli/emulator-env.js';

/** The whitelist end to end: the real CLI (dist/) against the emulator with the demo state. */

const REPO = join(import.meta.dirname, '../../..');

const INSTANCE_ID = 'c0ffee00c0ffee00c0ffee00c0ffee00';

let e: EmulatorEnv;
beforeEach(async () => {
  e = await startEmulatorEnv();
  // an instance with no custom risk rules, so that `prune: true` concerns the whitelist only
  e.emulator.state.projects[DEMO_PROJECTS.payments]!.instances.push({
    id: INSTANCE_ID,
    name: 'wl-audit',
    status: 'ACTIVE',
    created: '2024-07-01T00:00:00Z',
    specification: 'audit.professional',
    rules: systemRules(new Prng(7)),
  });
});
afterEach(async () => {
  await e.close();
});

const cli = (args: string[], policies: string) => runCli([...args, '--policies', policies, '--rate-limit', '1000/s'], { env: e.env, cwd: REPO });

/** A policies tree of one payments document whose wl-audit entry has the given YAML lines. */
async function tree(name: string, lines: string): Promise<string> {
  const dir = join(e.dir, name);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'p.yaml'), `version: 1\nregion: cn-north-4\nproject_id: ${DEMO_PROJECTS.payments}\ninstances:\n  - name: wl-audit\n${lines}`);
  return dir;
}

const HOSTILE = `      - sql: "SELECT * FROM t WHERE name = 'O''Brien' -- \\e[31m<b>red</b>"\n        databases: [db-1]\n        description: "two\\nlines"\n      - sql: |\n          SELECT 1\n            FROM dual\n        enabled: false\n`;

describe('sql_whitelist through the CLI', () => {
  it('plans (an added enabled entry is weakening, hostile text escaped), applies, plans nothing after, and exports what plans nothing', async () => {
    const policies = await tree('pol', `    prune: true\n    sql_whitelist:\n${HOSTILE}`);
    const plan = await cli(['plan'], policies);
    expect(plan.code).toBe(0);
    expect(plan.stdout).toContain("  + create whitelist entry SELECT * FROM t WHERE name = 'O''Brien' -- <b>red</b>  (");
    expect(plan.stdout).toContain('added and enabled: the statement is no longer audited as a risk)');
    expect(plan.stdout).toContain('      description: two\\nlines\n');
    expect(plan.stdout).toContain('  + create whitelist entry SELECT 1 FROM dual  (');
    expect(plan.stdout).not.toContain('\u001b');
    expect(plan.stdout).toContain('Plan: 2 to create, 0 to update, 0 to delete');

    const weak = await cli(['plan', '--fail-on-weakening'], policies);
    expect(weak.code).toBe(1);
    expect(weak.stderr).toContain('the plan weakens auditing in 1 change (--fail-on-weakening)');
    expect(weak.stderr).not.toContain('\u001b');

    const apply = await cli(['reconcile'], policies);
    expect(apply.code).toBe(0);
    expect(apply.stdout).toContain('Apply: 2 applied, 0 failed, 0 skipped, 0 not-attempted.');
    expect(e.emulator.counters().byOperation['BatchAddAuditWhitelist']).toBe(1);

    e.emulator.resetCounters();
    const again = await cli(['plan'], policies);
    expect(again.stdout).toContain('No changes.');
    expect(e.emulator.counters().byOperation['ListWhitelists']).toBe(1);

    // a changed SQL text: a new entry, and the old one deleted after the new one is listed
    const changed = await tree('pol2', `    prune: true\n    sql_whitelist:\n${HOSTILE.replace('FROM dual', 'FROM dual WHERE 1 = 1')}`);
    const swap = await cli(['reconcile'], changed);
    expect(swap.code).toBe(0);
    expect(swap.stdout).toContain('  + create whitelist entry SELECT 1 FROM dual WHERE 1 = 1  (');
    expect(swap.stdout).toContain('  - delete whitelist entry SELECT 1 FROM dual');
    expect(swap.stdout).toContain('Apply: 2 applied');
    const ops = e.emulator.log.map((l) => l.operation).filter((o) => o.includes('Whitelist'));
    expect(ops.indexOf('DeleteAuditWhitelist')).toBeGreaterThan(ops.indexOf('BatchAddAuditWhitelist'));
    expect(ops.slice(ops.indexOf('BatchAddAuditWhitelist'), ops.indexOf('DeleteAuditWhitelist'))).toContain('ListWhitelists');

    const out = join(e.dir, 'exported');
    const exported = await runCli(['export', '--project', DEMO_PROJECTS.payments, '--region', 'cn-north-4', '--instance', 'wl-audit', '--out', out, '--rate-limit', '1000/s'], { env: e.env, cwd: REPO });
    expect(exported.code).toBe(0);
    const roundTrip = await cli(['plan'], out);
    expect(roundTrip.code).toBe(0);
    expect(roundTrip.stdout).toContain('No changes.');
  });
});
