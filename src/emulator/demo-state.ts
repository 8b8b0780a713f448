import { Prng } from './prng.js';
import { newProject } from './project-state.js';
import { customRule, systemRules } from './seed-rules.js';
import type { EmulatorState, InstanceState, RuleState } from './types.js';

/** Project ids of the demo estate (see policies/ and the README's Quick start). */
export const DEMO_PROJECTS = {
  /** Team "payments", cn-north-4. */
  payments: '0f1e2d3c4b5a69788796a5b4c3d2e1f0',
  /** Team "analytics", cn-east-3. */
  analytics: '7a6b5c4d3e2f10213243546576879809',
} as const;

/** Instance ids of the demo estate. */
export const DEMO_INSTANCES = {
  /** payments `prod-audit`, ACTIVE, four custom rules. */
  prodAudit: '5f2b7c0e9a1d4e3f8b6c2d1a0e9f8b7c',
  /** payments `staging-audit`, ACTIVE, two custom rules. */
  stagingAudit: '6a3c8d1f0b2e5f4a9c7d3e2b1f0a9c8d',
  /** payments `legacy-audit`, SHUTOFF (rule calls fail). */
  legacyAudit: '7b4d9e2a1c3f6a5b0d8e4f3c2a1b0d9e',
  /** analytics `pci-audit`, ACTIVE, system rules only. */
  pciAudit: '8c5e0f3b2d4a7b6c1e9f5a4d3b2c1e0f',
  /** analytics `bi-audit`, ACTIVE, one custom rule. */
  biAudit: '9d6f1a4c3e5b8c7d2f0a6b5e4c3d2f1a',
} as const;

const DEMO_SEED = 20240115;

function instance(id: string, name: string, status: InstanceState['status'], rules: RuleState[]): InstanceState {
  return { id, name, status, created: '2024-01-15T08:00:00Z', specification: 'audit.professional', rules };
}

/**
 * The demo estate, designed together with the example `policies/` tree so that a dry run
 * shows creates, an update, a delete, switches, a reorder and a summary-task change.
 * Deterministic: the same ids on every call.
 */
export function demoState(): EmulatorState {
  const prng = new Prng(DEMO_SEED);
  const payments = newProject(prng, 'cn-north-4');
  const analytics = newProject(prng, 'cn-east-3');

  payments.instances = [
    instance(DEMO_INSTANCES.prodAudit, 'prod-audit', 'ACTIVE', [
      ...systemRules(prng, ['Slow_SQL_detection']),
      customRule(prng, { name: 'bulk-delete-prod', riskLevel: 'HIGH', action: 'DELETE', affectSymbol: 'GREATER', affectRows: 1000 }),
      customRule(prng, {
        name: 'drop-table-in-prod',
        riskLevel: 'MEDIUM',
        action: 'DROP_TABLE,DROP_TABLESPACE',
        dbIds: 'lQZpwJgB0g4pz3UTv74a',
        clientIps: '10.0.0.0/8,192.168.1.10-192.168.1.20',
        schemas: [{ schema: 'finance', table: 'ledger' }],
      }),
      customRule(prng, { name: 'grant-outside-dba', riskLevel: 'HIGH', action: 'GRANT', clientIps: '10.20.0.0/16' }),
      customRule(prng, { name: 'legacy-export', riskLevel: 'LOW', action: 'SELECT' }),
    ]),
    instance(DEMO_INSTANCES.stagingAudit, 'staging-audit', 'ACTIVE', [
      ...systemRules(prng),
      customRule(prng, { name: 'drop-table-staging', riskLevel: 'MEDIUM', status: 'OFF', action: 'DROP_TABLE' }),
      customRule(prng, { name: 'temp-debug-select', riskLevel: 'NO_RISK', action: 'SELECT' }),
    ]),
    instance(DEMO_INSTANCES.legacyAudit, 'legacy-audit', 'SHUTOFF', systemRules(prng)),
  ];

  analytics.instances = [
    instance(DEMO_INSTANCES.pciAudit, 'pci-audit', 'ACTIVE', systemRules(prng, ['Database_drag_detection'])),
    instance(DEMO_INSTANCES.biAudit, 'bi-audit', 'ACTIVE', [
      ...systemRules(prng),
      customRule(prng, { name: 'bulk-export', riskLevel: 'MEDIUM', action: 'SELECT', affectSymbol: 'GREATER', affectRows: 100000 }),
    ]),
  ];
  // Live summary tasks: payments risk off / audit off; analytics both on (and ran before).
  const lastRun = Date.parse('2024-06-01T02:00:00Z');
  for (const task of Object.values(analytics.summaryTasks)) {
    Object.assign(task, { taskSwitch: 'on', taskStatus: '2', beginTime: lastRun, endTime: lastRun + 60_000 });
  }

  return {
    version: 1,
    idRngState: prng.state,
    projects: { [DEMO_PROJECTS.payments]: payments, [DEMO_PROJECTS.analytics]: analytics },
  };
}
