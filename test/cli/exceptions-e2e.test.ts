import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_INSTANCES, DEMO_PROJECTS } from '../../src/emulator/index.js';
import type { Plan } from '../../src/plan/types.js';
import { runCli } from '../helpers/run-cli.js';
import { startEmulatorEnv } from './emulator-env.js';
import type { EmulatorEnv } from './emulator-env.js';

/**
 * Time-boxed exceptions end to end: the real CLI (dist/) against the emulator, "now" given with
 * --now, so an exception that is desired on 2026-12-20 has expired on 2027-01-01.
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

const cli = (args: string[]) => runCli([...args, '--rate-limit', '1000/s'], { env: e.env, cwd: e.dir });
const validate = (args: string[]) => runCli(['validate', '--policies', 'policies', ...args], { env: e.env, cwd: e.dir });
const planOf = (stdout: string): Plan => JSON.parse(stdout) as Plan;

/** staging-audit with three exceptions that end on 2026-12-31: a system rule OFF, a rule OFF, an exception IP. */
const STAGING = `version: 1
region: cn-north-4
project_id: ${DEMO_PROJECTS.payments}
instances:
  - name: staging-audit
    system_rules:
      Database_drag_detection: { status: OFF, until: 2026-12-31, reason: weekend migration }
    risk_rules:
      - name: drop-table-staging
        risk_level: MEDIUM
        actions: [DROP_TABLE]
        status: OFF
        off_until: 2026-12-31
        off_reason: incident 4711
      - name: temp-debug-select
        risk_level: NO_RISK
        actions: [SELECT]
        exception_ips:
          - 10.9.9.9
          - { ip: 10.0.0.5, until: 2026-12-31, reason: weekend migration }
`;

async function tree(text: string, config?: string): Promise<void> {
  await mkdir(join(e.dir, 'policies'), { recursive: true });
  await writeFile(join(e.dir, 'policies', 'p.yaml'), text);
  if (config !== undefined) await writeFile(join(e.dir, 'dbss-policy.yaml'), config);
}

const staging = () => e.emulator.state.projects[DEMO_PROJECTS.payments]!.instances.find((i) => i.id === DEMO_INSTANCES.stagingAudit)!;
const liveRule = (name: string) => staging().rules.find((r) => r.name === name)!;

describe('an exception that expires between two plans', () => {
  it('is desired before until, then removed with a labelled change in every format, and apply converges', async () => {
    await tree(STAGING);
    // Before: the instance is as the policy says (the drag detection OFF, the exception IPs sent).
    liveRule('Database_drag_detection').status = 'OFF';
    liveRule('temp-debug-select').exceptionIps = '10.9.9.9,10.0.0.5';

    const before = await cli(['plan', '--now', BEFORE]);
    expect(before.code).toBe(0);
    expect(before.stdout).toContain('No changes.');
    expect(before.stdout).not.toContain('exception expired');
    // All three end within the default 14 days, soonest first (same day: by target, then object).
    expect(before.stdout).toContain('Exceptions expiring within 14d (now 2026-12-20T00:00:00.000Z):');
    expect(before.stdout).toContain(
      `cn-north-4/${DEMO_PROJECTS.payments}/staging-audit risk-rule temp-debug-select exception_ips 10.0.0.5 until 2026-12-31 (policies/p.yaml:20): weekend migration`,
    );
    expect((await cli(['plan', '--now', BEFORE, '--expiring-within', '10d'])).stdout).not.toContain('Exceptions expiring');

    const after = await cli(['plan', '--now', AFTER]);
    expect(after.code).toBe(0);
    expect(after.stdout).toContain('± switch ON [Database_drag_detection (system), drop-table-staging]');
    expect(after.stdout).toContain('! exception expired (declared at policies/p.yaml:7, until 2026-12-31, reason weekend migration)');
    expect(after.stdout).toContain('! exception expired (declared at policies/p.yaml:13, until 2026-12-31, reason incident 4711)');
    expect(after.stdout).toContain('~ update temp-debug-select');
    expect(after.stdout).toContain('! exception expired (declared at policies/p.yaml:20, until 2026-12-31, reason weekend migration)');
    expect(after.stdout).toContain('exception_ips: (write-only, not verifiable) → [10.9.9.9]');

    const json = planOf((await cli(['plan', '--now', AFTER, '--format', 'json'])).stdout);
    expect(json.now).toBe('2027-01-01T00:00:00.000Z');
    const update = json.changes.find((c) => c.kind === 'update')!;
    expect(update.labels).toEqual([{ why: 'exception expired', source: { file: 'policies/p.yaml', line: 20, col: 13 }, until: '2026-12-31', reason: 'weekend migration' }]);
    const md = (await cli(['plan', '--now', AFTER, '--format', 'markdown'])).stdout;
    expect(md).toContain('! exception expired (declared at policies/p.yaml:13, until 2026-12-31, reason incident 4711)');
    const gh = (await cli(['plan', '--now', AFTER, '--format', 'github'])).stdout;
    expect(gh).toContain('::notice file=policies/p.yaml,line=7,col=');
    expect(gh).toContain('! exception expired (declared at policies/p.yaml:7, until 2026-12-31, reason weekend migration)');

    // The saved plan records now: applying it today (the machine's clock is before until) plans
    // again at 2027-01-01 and makes exactly those changes.
    const saved = join(e.dir, 'plan.json');
    expect((await cli(['plan', '--now', AFTER, '--out', saved])).code).toBe(0);
    expect(planOf(await readFile(saved, 'utf8')).now).toBe('2027-01-01T00:00:00.000Z');
    const applied = await cli(['apply', saved, '--yes']);
    expect(applied.stderr).not.toContain('stale');
    expect(applied.code).toBe(0);
    expect(liveRule('Database_drag_detection').status).toBe('ON');
    expect(liveRule('drop-table-staging').status).toBe('ON');
    expect(liveRule('temp-debug-select').exceptionIps).toBe('10.9.9.9');
    // What a read can show has converged: no switch is left. exception_ips cannot be read, so
    // every plan re-sends it without the expired IP until the entry leaves the policy.
    const next = await cli(['plan', '--now', AFTER]);
    expect(next.stdout).not.toContain('± switch');
    expect(next.stdout).toContain('Plan: 0 to create, 1 to update, 0 to delete, 0 switches, 0 reorders.');
  });

  it('refuses an until that is no calendar date, at its line', async () => {
    await tree(STAGING.replace('off_until: 2026-12-31', 'off_until: 2026-02-30'));
    const r = await validate([]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('policies/p.yaml:13:20 $.instances[0].risk_rules[0].off_until: until "2026-02-30" is not a calendar date');
  });
});

describe('the repository exception policy (dbss-policy.yaml exceptions:)', () => {
  it('reports an exception longer than max_exception_days, and one without until or reason, at their lines', async () => {
    const config = 'exceptions:\n  require_until: true\n  require_reason: true\n  max_exception_days: 30\n';
    await tree(STAGING.replace('off_until: 2026-12-31', 'off_until: 2027-06-30'), config);
    const r = await validate(['--now', BEFORE]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      'policies/p.yaml:13:20 $.instances[0].risk_rules[0].off_until: status OFF until 2027-06-30 is 193 days from now (2026-12-20); dbss-policy.yaml (exceptions) allows at most max_exception_days 30',
    );
    expect(r.stdout).toContain(
      'policies/p.yaml:19:13 $.instances[0].risk_rules[1].exception_ips[0]: exception_ips entry 10.9.9.9 has no until and reason: dbss-policy.yaml (exceptions) requires until and reason on every exception; write { ip: 10.9.9.9, until: …, reason: … }',
    );
    // plan refuses the same tree before reading anything.
    const plan = await cli(['plan', '--now', BEFORE]);
    expect(plan.code).toBe(1);
    expect(plan.stderr).toContain('policies/p.yaml:13:20 $.instances[0].risk_rules[0].off_until: status OFF until 2027-06-30 is 193 days');
  });
});
