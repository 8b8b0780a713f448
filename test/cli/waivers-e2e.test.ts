import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_INSTANCES, DEMO_PROJECTS } from '../../src/emulator/index.js';
import type { Plan } from '../../src/plan/types.js';
import { runCli } from '../helpers/run-cli.js';
import { startEmulatorEnv } from './emulator-env.js';
import type { EmulatorEnv } from './emulator-env.js';

/**
 * Drift waivers end to end: the real CLI (dist/) against the emulator's demo prod-audit, whose
 * drop-table-in-prod is MEDIUM (the policy says HIGH) and whose Slow_SQL_detection is OFF (the
 * policy says ON).
 */

let e: EmulatorEnv;
beforeEach(async () => {
  e = await startEmulatorEnv();
});
afterEach(async () => {
  await e.close();
});

const BEFORE = '2026-12-20T00:00:00Z';
const AFTER = '2027-01-01T00:00:00Z';
const PROD = `cn-north-4/${DEMO_PROJECTS.payments}/prod-audit`;

const cli = (args: string[]) => runCli([...args, '--rate-limit', '1000/s'], { env: e.env, cwd: e.dir });
const planOf = (stdout: string): Plan => JSON.parse(stdout) as Plan;

const INSTANCE = `instances:
  - name: prod-audit
    system_rules:
      Slow_SQL_detection: ON
    risk_rules:
      - name: drop-table-in-prod
        risk_level: HIGH
        actions: [DROP_TABLE, DROP_TABLESPACE]
        db_ids: [lQZpwJgB0g4pz3UTv74a]
        client_ips: [10.0.0.0/8, 192.168.1.10-192.168.1.20]
        schemas:
          - { schema: finance, table: ledger }
`;

/** A payments document: the waivers given, then prod-audit. */
async function tree(waivers: string): Promise<void> {
  await mkdir(join(e.dir, 'policies'), { recursive: true });
  await writeFile(join(e.dir, 'policies', 'p.yaml'), `version: 1\nregion: cn-north-4\nproject_id: ${DEMO_PROJECTS.payments}\nwaivers:\n${waivers}${INSTANCE}`);
}

const RISK_LEVEL_WAIVER = `  - instance: prod-audit
    kind: risk-rule
    object: drop-table-in-prod
    field: risk_level
    until: 2026-12-31
    reason: vendor tuning, ticket 88
`;
const SLOW_SQL_WAIVER = `  - match: prod-*
    kind: system-rule
    object: Slow_SQL_detection
    until: 2026-12-31
    reason: noisy during the migration
`;

const prod = () => e.emulator.state.projects[DEMO_PROJECTS.payments]!.instances.find((i) => i.id === DEMO_INSTANCES.prodAudit)!;
const liveRule = (name: string) => prod().rules.find((r) => r.name === name)!;

describe('a waiver', () => {
  it('shows the drift it hides and leaves it alone, until it expires: then the drift is a labelled change', async () => {
    await tree(RISK_LEVEL_WAIVER + SLOW_SQL_WAIVER);
    const before = await cli(['plan', '--now', BEFORE]);
    expect(before.code).toBe(0);
    expect(before.stdout).toContain('No changes.');
    expect(before.stdout).toContain('Waived drift (shown, not corrected):');
    expect(before.stdout).toContain(`  ${PROD}: ~ update drop-table-in-prod`);
    expect(before.stdout).toContain('risk_level: MEDIUM → HIGH');
    expect(before.stdout).toContain('waived by policies/p.yaml:5 (instance prod-audit, risk-rule drop-table-in-prod.risk_level) until 2026-12-31: vendor tuning, ticket 88');
    expect(before.stdout).toContain(`  ${PROD}: ± switch ON [Slow_SQL_detection (system)]`);
    expect(before.stdout).toContain('waived by policies/p.yaml:11 (match prod-*, system-rule Slow_SQL_detection) until 2026-12-31: noisy during the migration');

    const json = planOf((await cli(['plan', '--now', BEFORE, '--format', 'json'])).stdout);
    expect(json.changes).toEqual([]);
    expect(json.waived?.map((w) => [w.change.kind, w.waiver.source.line])).toEqual([['update', 5], ['switch', 11]]);
    const md = (await cli(['plan', '--now', BEFORE, '--format', 'markdown'])).stdout;
    expect(md).toContain('Waived drift (shown, not corrected): 2');

    // Applying while the waivers hold writes nothing and changes nothing.
    const applied = await cli(['apply', '--yes', '--now', BEFORE]);
    expect(applied.code).toBe(0);
    expect(liveRule('drop-table-in-prod').riskLevel).toBe('MEDIUM');
    expect(liveRule('Slow_SQL_detection').status).toBe('OFF');

    const after = await cli(['plan', '--now', AFTER]);
    expect(after.stdout).not.toContain('Waived drift');
    expect(after.stdout).toContain('~ update drop-table-in-prod');
    expect(after.stdout).toContain('! waiver expired (declared at policies/p.yaml:5, until 2026-12-31, reason vendor tuning, ticket 88)');
    expect(after.stdout).toContain('! waiver expired (declared at policies/p.yaml:11, until 2026-12-31, reason noisy during the migration)');
    expect((await cli(['apply', '--yes', '--now', AFTER])).code).toBe(0);
    expect(liveRule('drop-table-in-prod').riskLevel).toBe('HIGH');
    expect(liveRule('Slow_SQL_detection').status).toBe('ON');
  });

  it('on one field leaves the rule\'s other drift to be corrected', async () => {
    await tree(RISK_LEVEL_WAIVER);
    liveRule('drop-table-in-prod').ignoreCase = true;
    const json = planOf((await cli(['plan', '--now', BEFORE, '--format', 'json'])).stdout);
    const update = json.changes.find((c) => c.kind === 'update');
    expect(update?.kind === 'update' && update.fields.map((f) => f.field)).toEqual(['ignoreCase']);
    // The update sends the live risk level: the waived field keeps its drift.
    expect(update?.kind === 'update' && update.after.riskLevel).toBe('MEDIUM');
    expect(json.waived?.[0]?.change.kind === 'update' && json.waived[0].change.fields.map((f) => f.field)).toEqual(['riskLevel']);
  });

  it('that matches nothing is a warning in every format', async () => {
    await tree(`  - instance: prod-audit
    kind: risk-rule
    object: no-such-rule
    until: 2026-12-31
    reason: left over
`);
    const r = await cli(['plan', '--now', BEFORE]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('warning: waiver at policies/p.yaml:5 (instance prod-audit, risk-rule no-such-rule, until 2026-12-31) matches no drift in this plan');
    const gh = (await cli(['plan', '--now', BEFORE, '--format', 'github'])).stdout;
    expect(gh).toContain('::warning file=policies/p.yaml,line=5,col=');
    const md = (await cli(['plan', '--now', BEFORE, '--format', 'markdown'])).stdout;
    expect(md).toContain('**Waivers that match no drift**');
  });

  it('does not hide a weakening from --fail-on-weakening unless it says allow_weakening: true', async () => {
    await tree(SLOW_SQL_WAIVER);
    const failed = await cli(['plan', '--now', BEFORE, '--fail-on-weakening']);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('1 waived drift is weaker than the policy (--fail-on-weakening)');
    expect(failed.stderr).toContain(`${PROD}: Slow_SQL_detection stays OFF (waiver at policies/p.yaml:5 has no allow_weakening: true)`);

    await tree(`${SLOW_SQL_WAIVER}    allow_weakening: true\n`);
    const allowed = await cli(['plan', '--now', BEFORE, '--fail-on-weakening']);
    expect(allowed.code).toBe(0);
    expect(allowed.stdout).toContain('[allow_weakening]');
  });
});
