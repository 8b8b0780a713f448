import { describe, expect, it } from 'vitest';
import { SYSTEM_RULE_NAMES } from '../../src/domain.js';
import { DEMO_INSTANCES, DEMO_PROJECTS, demoState, generateState } from '../../src/emulator/index.js';
import type { EmulatorState, InstanceState } from '../../src/emulator/index.js';

function instance(state: EmulatorState, project: string, id: string): InstanceState {
  const found = state.projects[project]?.instances.find((i) => i.id === id);
  if (!found) throw new Error(`no instance ${id}`);
  return found;
}
const summary = (inst: InstanceState) => inst.rules.map((r) => `${r.name}:${r.riskLevel}:${r.status}`);

describe('demo state (per the demo spec)', () => {
  const state = demoState();

  it('has the two projects, five instances, statuses and regions', () => {
    expect(Object.keys(state.projects)).toEqual([DEMO_PROJECTS.payments, DEMO_PROJECTS.analytics]);
    expect(state.projects[DEMO_PROJECTS.payments]!.region).toBe('cn-north-4');
    expect(state.projects[DEMO_PROJECTS.analytics]!.region).toBe('cn-east-3');
    const all = Object.values(state.projects).flatMap((p) => p.instances.map((i) => `${i.name}:${i.id}:${i.status}`));
    expect(all).toEqual([
      `prod-audit:${DEMO_INSTANCES.prodAudit}:ACTIVE`,
      `staging-audit:${DEMO_INSTANCES.stagingAudit}:ACTIVE`,
      `legacy-audit:${DEMO_INSTANCES.legacyAudit}:SHUTOFF`,
      `pci-audit:${DEMO_INSTANCES.pciAudit}:ACTIVE`,
      `bi-audit:${DEMO_INSTANCES.biAudit}:ACTIVE`,
    ]);
  });

  it('gives every instance the four system rules at ranks 1-4, with the spec\'s OFF ones', () => {
    for (const project of Object.values(state.projects)) {
      for (const inst of project.instances) {
        expect(inst.rules.slice(0, 4).map((r) => [r.name, r.ruleType, r.riskLevel])).toEqual(SYSTEM_RULE_NAMES.map((n) => [n, 'SYSTEM', 'HIGH']));
      }
    }
    const off = (project: string, id: string) => instance(state, project, id).rules.filter((r) => r.ruleType === 'SYSTEM' && r.status === 'OFF').map((r) => r.name);
    expect(off(DEMO_PROJECTS.payments, DEMO_INSTANCES.prodAudit)).toEqual(['Slow_SQL_detection']);
    expect(off(DEMO_PROJECTS.analytics, DEMO_INSTANCES.pciAudit)).toEqual(['Database_drag_detection']);
    expect(off(DEMO_PROJECTS.payments, DEMO_INSTANCES.stagingAudit)).toEqual([]);
  });

  it('has the custom rules of the spec', () => {
    const prod = instance(state, DEMO_PROJECTS.payments, DEMO_INSTANCES.prodAudit);
    expect(summary(prod).slice(4)).toEqual(['bulk-delete-prod:HIGH:ON', 'drop-table-in-prod:MEDIUM:ON', 'grant-outside-dba:HIGH:ON', 'legacy-export:LOW:ON']);
    expect(prod.rules[5]).toMatchObject({
      action: 'DROP_TABLE,DROP_TABLESPACE',
      dbIds: 'lQZpwJgB0g4pz3UTv74a',
      clientIps: '10.0.0.0/8,192.168.1.10-192.168.1.20',
      schemas: [{ schema: 'finance', table: 'ledger' }],
    });
    expect(prod.rules[4]).toMatchObject({ action: 'DELETE', affectSymbol: 'GREATER', affectRows: 1000, executionSymbol: 'GREATER_EQUAL', executionTime: 0, clientIps: null });
    expect(prod.rules[6]).toMatchObject({ action: 'GRANT', clientIps: '10.20.0.0/16' });
    expect(summary(instance(state, DEMO_PROJECTS.payments, DEMO_INSTANCES.stagingAudit)).slice(4)).toEqual(['drop-table-staging:MEDIUM:OFF', 'temp-debug-select:NO_RISK:ON']);
    expect(instance(state, DEMO_PROJECTS.analytics, DEMO_INSTANCES.pciAudit).rules).toHaveLength(4);
    expect(instance(state, DEMO_PROJECTS.analytics, DEMO_INSTANCES.biAudit).rules[4]).toMatchObject({ name: 'bulk-export', riskLevel: 'MEDIUM', action: 'SELECT', affectSymbol: 'GREATER', affectRows: 100000 });
    const ids = Object.values(state.projects).flatMap((p) => p.instances.flatMap((i) => i.rules.map((r) => r.id)));
    expect(ids.every((id) => /^[A-Za-z0-9]{20}$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('has the live summary tasks of the spec and is the same on every call', () => {
    const tasks = (p: string) => Object.entries(state.projects[p]!.summaryTasks).map(([k, t]) => `${k}:${t.taskSwitch}`);
    expect(tasks(DEMO_PROJECTS.payments)).toEqual(['risk:off', 'audit:off']);
    expect(tasks(DEMO_PROJECTS.analytics)).toEqual(['risk:on', 'audit:on']);
    expect(demoState()).toEqual(state);
  });
});

describe('generateState', () => {
  it('builds N projects x M instances x R rules, reproducibly from the seed', () => {
    const a = generateState({ projects: 3, instancesPerProject: 4, rulesPerInstance: 25, seed: 11 });
    expect(Object.keys(a.projects)).toHaveLength(3);
    for (const [p, project] of Object.values(a.projects).entries()) {
      expect(project.instances.map((i) => i.name)).toEqual([1, 2, 3, 4].map((i) => `audit-${p + 1}-${i}`));
      for (const inst of project.instances) {
        expect(inst.rules).toHaveLength(29);
        expect(inst.rules[4]!.name).toBe('rule-0001');
        expect(inst.id).toMatch(/^[0-9a-f]{32}$/);
      }
    }
    expect(generateState({ projects: 3, instancesPerProject: 4, rulesPerInstance: 25, seed: 11 })).toEqual(a);
    expect(generateState({ projects: 3, instancesPerProject: 4, rulesPerInstance: 25, seed: 12 })).not.toEqual(a);
  });
});
