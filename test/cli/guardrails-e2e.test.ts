import { cp, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Plan } from '../../src/plan/types.js';
import { runCli } from '../helpers/run-cli.js';
import { startEmulatorEnv, writes } from './emulator-env.js';
import type { EmulatorEnv } from './emulator-env.js';

/**
 * Guardrails end to end: the real CLI (dist/) against the emulator with the demo state, on the
 * shipped policies/ with the example guardrail library (examples/guardrails/estate.yaml) in place
 * of policies/guardrails.yaml. The demo's prod-audit has its DROP TABLE rule at MEDIUM, result-set
 * storage ON and alarms OFF: the declared state holds the three guardrails, the live state breaks
 * them until the plan is applied.
 */

const REPO = join(import.meta.dirname, '../..');
const PAYMENTS = 'cn-north-4/0f1e2d3c4b5a69788796a5b4c3d2e1f0';

let e: EmulatorEnv;
let policies: string;
beforeEach(async () => {
  e = await startEmulatorEnv();
  policies = join(e.dir, 'policies');
  await cp(join(REPO, 'policies'), policies, { recursive: true });
  await cp(join(REPO, 'examples/guardrails/estate.yaml'), join(policies, 'guardrails.yaml'));
});
afterEach(async () => {
  await e.close();
});

const cli = (args: string[]) => runCli([...args, '--policies', 'policies', '--rate-limit', '1000/s'], { env: e.env, cwd: e.dir });
const LIVE_VIOLATION = `error prod-drop-table-high: ${PAYMENTS}/prod-audit (live): prod-* instances each have an ON risk rule with DROP_TABLE at HIGH`;
const STORAGE_VIOLATION = `error result-set-storage-off: ${PAYMENTS}/prod-audit (live): result-set storage is OFF everywhere (PCI DSS)`;
const ALARM_WARNING = `warning alarms-on-with-high: ${PAYMENTS}/prod-audit (live): alarms are ON with HIGH in their levels`;

describe('guardrails in plan', () => {
  it('shows a live violation located at the instance entry and at the guardrail, and exits 0 without --fail-on-guardrail', async () => {
    const r = await cli(['plan']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      [
        'Guardrails: 4 checked, 3 violations (2 errors, 1 warning)',
        `  ! ${ALARM_WARNING}`,
        '      at policies/payments/cn-north-4.yaml:10:5; guardrail at policies/guardrails.yaml:39:5',
        `  ✗ ${LIVE_VIOLATION}`,
        '      at policies/payments/cn-north-4.yaml:10:5; guardrail at policies/guardrails.yaml:12:5',
        `  ✗ ${STORAGE_VIOLATION}`,
        '      at policies/payments/cn-north-4.yaml:10:5; guardrail at policies/guardrails.yaml:31:5',
      ].join('\n'),
    );
  });

  it('fails with --fail-on-guardrail (exit 1), saying which guardrail breaks where; reconcile refuses to apply', async () => {
    const r = await cli(['plan', '--fail-on-guardrail']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      // Errors only: the alarm warning does not fail the run.
      `Exit 1: 2 guardrail violations (--fail-on-guardrail):\n    prod-drop-table-high: ${PAYMENTS}/prod-audit (live) at policies/payments/cn-north-4.yaml:10:5\n    result-set-storage-off: ${PAYMENTS}/prod-audit (live) at policies/payments/cn-north-4.yaml:10:5\n`,
    );
    const before = writes(e.emulator);
    const apply = await cli(['reconcile', '--yes', '--fail-on-guardrail']);
    expect(apply.code).toBe(1);
    expect(apply.stderr).toContain('plan refused, nothing was changed');
    expect(writes(e.emulator)).toBe(before);
  });

  it('holds once the plan is applied: the live rule is HIGH, and --fail-on-guardrail passes', async () => {
    expect((await cli(['reconcile', '--yes'])).code).toBe(0);
    const r = await cli(['plan', '--fail-on-guardrail']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Guardrails: 4 checked, all hold.');
  });

  it('shows violations in markdown, JSON and GitHub annotations', async () => {
    const md = await cli(['plan', '--format', 'markdown']);
    expect(md.stdout).toContain('> [!CAUTION]\n> **Guardrails: 4 checked, 3 violations (2 errors, 1 warning)**\n>\n');
    expect(md.stdout).toContain(
      `> - error prod-drop-table-high: ${PAYMENTS}/prod-audit (live): prod-\\* instances each have an ON risk rule with DROP\\_TABLE at HIGH at \`policies/payments/cn-north-4.yaml:10:5\`, guardrail at \`policies/guardrails.yaml:12:5\``,
    );
    const json = JSON.parse((await cli(['plan', '--format', 'json'])).stdout) as Plan;
    expect(json.guardrails).toEqual({
      checked: 4,
      violations: [
        {
          guardrail: 'alarms-on-with-high',
          severity: 'warning',
          message: 'alarms are ON with HIGH in their levels',
          state: 'live',
          target: `${PAYMENTS}/prod-audit`,
          at: { file: 'policies/payments/cn-north-4.yaml', line: 10, col: 5 },
          guardrailAt: { file: 'policies/guardrails.yaml', line: 39, col: 5 },
        },
        {
          guardrail: 'prod-drop-table-high',
          severity: 'error',
          message: 'prod-* instances each have an ON risk rule with DROP_TABLE at HIGH',
          state: 'live',
          target: `${PAYMENTS}/prod-audit`,
          at: { file: 'policies/payments/cn-north-4.yaml', line: 10, col: 5 },
          guardrailAt: { file: 'policies/guardrails.yaml', line: 12, col: 5 },
        },
        {
          guardrail: 'result-set-storage-off',
          severity: 'error',
          message: 'result-set storage is OFF everywhere (PCI DSS)',
          state: 'live',
          target: `${PAYMENTS}/prod-audit`,
          at: { file: 'policies/payments/cn-north-4.yaml', line: 10, col: 5 },
          guardrailAt: { file: 'policies/guardrails.yaml', line: 31, col: 5 },
        },
      ],
    });
    const gh = await cli(['plan', '--format', 'github']);
    expect(gh.stdout).toContain(
      `::error file=policies/payments/cn-north-4.yaml,line=10,col=5,title=dbss-policy guardrail prod-drop-table-high::${LIVE_VIOLATION} (guardrail at policies/guardrails.yaml:12:5)\n`,
    );
  });

  it('a saved plan keeps its guardrails: plan --out writes them, and the plan file is valid for apply', async () => {
    const r = await cli(['plan', '--out', 'plan.json']);
    expect(r.code).toBe(0);
    const applied = await cli(['apply', 'plan.json', '--yes', '--fail-on-guardrail']);
    // The fresh plan apply computes breaks the guardrail too: refused before any write.
    expect(applied.code).toBe(1);
    expect(applied.stderr).toContain('2 guardrail violations (--fail-on-guardrail)');
  });
});

describe('guardrails in validate', () => {
  const DEV = `version: 1
region: cn-north-4
project_id: 0f1e2d3c4b5a69788796a5b4c3d2e1f0
instances:
  - name: prod-reports
    risk_rules:
      - name: everyone-is-fine
        risk_level: NO_RISK
        client_ips: [0.0.0.0/0]
`;

  it('lists violations of the declared state at the instance and the rule, exits 1 only with --fail-on-guardrail', async () => {
    await writeFile(join(policies, 'payments/reports.yaml'), DEV);
    const r = await runCli(['validate'], { cwd: e.dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      [
        'Guardrails: 4 checked, 2 violations (2 errors, 0 warnings)',
        `  ✗ error prod-drop-table-high: ${PAYMENTS}/prod-reports (declared): prod-* instances each have an ON risk rule with DROP_TABLE at HIGH`,
        '      at policies/payments/reports.yaml:5:5; guardrail at policies/guardrails.yaml:12:5',
        `  ✗ error no-world-at-no-risk: ${PAYMENTS}/prod-reports rule everyone-is-fine (declared): no risk rule at NO_RISK covers 0.0.0.0/0 (or every client)`,
        '      at policies/payments/reports.yaml:7:9; guardrail at policies/guardrails.yaml:22:5',
        'policies/: 7 files, 4 instances, 1 selector, 10 rules, 4 summary tasks, 15 other objects and settings: valid',
        '',
      ].join('\n'),
    );
    const failing = await runCli(['validate', '--fail-on-guardrail', '--format', 'json'], { cwd: e.dir });
    expect(failing.code).toBe(1);
    const report = JSON.parse(failing.stdout) as { valid: boolean; guardrails: { violations: { guardrail: string; rule?: string }[] } };
    expect(report.valid).toBe(true);
    expect(report.guardrails.violations.map((v) => [v.guardrail, v.rule])).toEqual([
      ['prod-drop-table-high', undefined],
      ['no-world-at-no-risk', 'everyone-is-fine'],
    ]);
    const gh = await runCli(['validate', '--format', 'github'], { cwd: e.dir });
    expect(gh.stdout).toContain('::error file=policies/payments/reports.yaml,line=7,col=9,title=dbss-policy guardrail no-world-at-no-risk::');
  });

  it('a CEL syntax error is a validation error at the expression line (exit 1), and plan stops before reading', async () => {
    await writeFile(join(policies, 'broken.yaml'), 'version: 1\nguardrails:\n  - name: broken\n    message: m\n    expression: "instance.risk_rules.exists(r, r.status ==)"\n');
    const r = await runCli(['validate'], { cwd: e.dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('policies/broken.yaml:5:17 $.guardrails[0].expression: guardrail "broken": CEL syntax error at 1:');
    const plan = await cli(['plan']);
    expect(plan.code).toBe(1);
    expect(plan.stderr).toContain('policies/broken.yaml:5:17 $.guardrails[0].expression: guardrail "broken": CEL syntax error');
    expect(e.emulator.counters().requests).toBe(0);
  });
});
