import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatDiagnosticLine } from '../../src/policy/diagnostics.js';
import { loadPolicies } from '../../src/policy/load-policies.js';
import { instanceKey } from '../../src/domain.js';
import { header, P1, P2, useTempTrees } from './policy-fixtures.js';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const tree = useTempTrees();

describe('loadPolicies on the shipped policies/ (the demo estate)', () => {
  it('validates without any error or warning: a newcomer\'s first run shows nothing about the project\'s own files', async () => {
    const result = await loadPolicies('policies', { cwd: REPO });
    expect(result.diagnostics.map(formatDiagnosticLine)).toEqual([]);
    expect(result.valid).toBe(true);
    expect(result.files).toEqual([
      'policies/analytics/bi-audit.yaml',
      'policies/analytics/pci-audit.yaml',
      'policies/analytics/pci-extra.yaml',
      'policies/baseline.yaml',
      'policies/guardrails.yaml',
      'policies/payments/cn-north-4.yaml',
    ]);
  });

  it('declares the instances, rule order, switches and summary tasks of the demo spec', async () => {
    const { desired } = await loadPolicies('policies', { cwd: REPO });
    const byKey = new Map(desired.instances.map((i) => [instanceKey(i), i]));
    expect([...byKey.keys()]).toEqual([
      `cn-east-3/${P2}/id:8c5e0f3b2d4a7b6c1e9f5a4d3b2c1e0f`,
      `cn-north-4/${P1}/prod-audit`,
      `cn-north-4/${P1}/staging-audit`,
    ]);
    const prod = byKey.get(`cn-north-4/${P1}/prod-audit`);
    expect(prod?.prune).toBe(true);
    expect(prod?.riskRules.map((r) => r.name)).toEqual(['drop-table-in-prod', 'bulk-delete-prod', 'grant-outside-dba', 'truncate-in-prod']);
    expect(prod?.systemRules.map((s) => [s.name, s.status])).toEqual([
      ['Database_drag_detection', 'ON'],
      ['Slow_SQL_detection', 'ON'],
    ]);
    const { source, ...dropTable } = prod?.riskRules[0] ?? { source: undefined };
    expect(source).toMatchObject({ file: 'policies/payments/cn-north-4.yaml' });
    expect(dropTable).toEqual({
      name: 'drop-table-in-prod',
      riskLevel: 'HIGH',
      status: 'ON',
      actions: ['DROP_TABLE', 'DROP_TABLESPACE'],
      affectRows: { symbol: 'GREATER_EQUAL', value: 0 },
      executionTime: { symbol: 'GREATER_EQUAL', value: 0 },
      dbIds: ['lQZpwJgB0g4pz3UTv74a'],
      clientIps: ['10.0.0.0/8', '192.168.1.10-192.168.1.20'],
      exceptionIps: ['10.0.0.5'],
      // The migration runner's exception expires (a time-boxed exception_ips entry).
      exceptions: { exceptionIps: [{ ip: '10.0.0.5', term: { reason: 'migration runner for the ledger move', until: '2099-06-30', source: { file: 'policies/payments/cn-north-4.yaml', line: 25, col: 13 } } }] },
      schemas: [{ schema: 'finance', table: 'ledger' }],
      ignoreCase: false,
    });
    expect(prod?.riskRules[3]?.executionTime).toEqual({ symbol: 'GREATER', value: 5000 });
    const pci = byKey.get(`cn-east-3/${P2}/id:8c5e0f3b2d4a7b6c1e9f5a4d3b2c1e0f`);
    expect(pci?.riskRules.map((r) => [r.name, r.riskLevel, r.actions.join(), r.origin?.ruleSet])).toEqual([
      ['pci-card-table-read', 'HIGH', 'SELECT', 'pci-extra'],
      ['pci-bulk-update', 'HIGH', 'UPDATE', 'pci-extra'],
      ['pci-admin-login-outside-vpn', 'MEDIUM', 'LOGIN', 'pci-extra'],
    ]);
    // The shared baseline reaches every instance and the bi-* selector.
    const baseline = (rules: readonly { name: string; origin?: { ruleSet: string } }[]) => rules.map((s) => `${s.name}@${s.origin?.ruleSet}`);
    for (const d of [...desired.instances, ...(desired.selectors ?? [])]) {
      expect(baseline(d.systemRules)).toEqual(['Database_drag_detection@baseline', 'Slow_SQL_detection@baseline']);
    }
    expect(desired.selectors?.map((s) => [s.region, s.projectId, s.pattern, s.riskRules.map((r) => r.name).join()])).toEqual([
      ['cn-east-3', P2, 'bi-*', 'bulk-export'],
    ]);
    expect(desired.summaryTasks.map((t) => `${t.projectId}:${t.busiType}=${t.enabled}`).sort()).toEqual([
      `${P1}:audit=false`,
      `${P1}:risk=true`,
      `${P2}:audit=true`,
      `${P2}:risk=true`,
    ]);
  });
});

describe('loadPolicies on a broken tree', () => {
  it('reports every problem of every file in one run, sorted by file, line and column', async () => {
    const root = await tree({
      'b.yaml': `${header()}instances:\n  - name: x\n    prune: sometimes\n  - name: x\n`,
      'a/one.yaml': `${header()}instances:\n  - name: x\n    risk_rules: [{name: r, risk_level: HUGE}]\n`,
      'a/two.yml': 'version: 1\nregion: [\n',
    });
    const result = await loadPolicies('.', { cwd: root });
    expect(result.valid).toBe(false);
    expect(result.diagnostics.map((d) => `${d.file}:${d.line}:${d.col}`)).toEqual([
      'a/one.yaml:6:40',
      'a/two.yml:3:1',
      'b.yaml:5:11',
      'b.yaml:6:12',
      'b.yaml:7:11',
    ]);
    expect(result.diagnostics.map((d) => d.message)).toContain(`instance cn-north-4/${P1}/x declared twice (also declared at a/one.yaml:5:11)`);
    // the desired state holds only schema-valid documents
    expect(result.desired.instances).toEqual([]);
  });

  it('keeps warnings out of the verdict', async () => {
    const root = await tree({ 'p.yaml': `${header()}summary_tasks: {risk: on}\n---\n${header()}` });
    const result = await loadPolicies('.', { cwd: root });
    expect(result.valid).toBe(true);
    expect(result.diagnostics.map((d) => d.severity)).toEqual(['warning']);
    expect(result.desired.summaryTasks).toHaveLength(1);
  });
});
