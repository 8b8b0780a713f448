import { afterEach } from 'vitest';
import type { Emulator, EmulatorOptions } from '../../../src/emulator/index.js';
import { DEMO_INSTANCES, DEMO_PROJECTS, demoState, startEmulator } from '../../../src/emulator/index.js';

/** Demo ids used across the tests. */
export const P1 = DEMO_PROJECTS.payments;
export const P2 = DEMO_PROJECTS.analytics;
export const PROD = DEMO_INSTANCES.prodAudit;
export const STAGING = DEMO_INSTANCES.stagingAudit;
export const LEGACY = DEMO_INSTANCES.legacyAudit;
export const PCI = DEMO_INSTANCES.pciAudit;

/** Paths of the documented operations. */
export const paths = {
  rulesNew: (p: string, i: string) => `/v1/${p}/audit/${i}/rule/risk`,
  rulesOld: (p: string, i: string) => `/v1/${p}/${i}/dbss/audit/rule/risk`,
  showV2: (p: string, i: string, id: string) => `/v2/${p}/audit/${i}/rule/risk/${id}`,
  showV1: (p: string, i: string, id: string) => `/v1/${p}/${i}/dbss/audit/rule/risk/${id}`,
  create: (p: string, i: string) => `/v1/${p}/audit/${i}/rule/risk`,
  update: (p: string, i: string, id: string) => `/v2/${p}/audit/${i}/rule/risk/${id}`,
  delete: (p: string, i: string, id: string) => `/v1/${p}/audit/${i}/rule/risk/${id}`,
  switchV1: (p: string, i: string) => `/v1/${p}/${i}/audit/rule/risk/switch`,
  switchV2: (p: string, i: string) => `/v2/${p}/audit/${i}/rule/risk/switch`,
  rank: (p: string, i: string) => `/v2/${p}/audit/${i}/rule/risk/rank`,
  taskRead: (p: string, busi: string) => `/v3/${p}/audit/summary/${busi}/task-status`,
  taskWrite: (p: string, busi: string) => `/v1/${p}/audit/summary/${busi}/task-status`,
};

/** A complete, valid RuleAddRiskRuleRequest. */
export function ruleBody(name: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    rule_name: name,
    risk_level: 'HIGH',
    status: 'ON',
    affect_symbol: 'GREATER_EQUAL',
    affect_rows: 0,
    execution_symbol: 'GREATER_EQUAL',
    execution_time: 0,
    action: 'DELETE',
    ...overrides,
  };
}

const running: Emulator[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((e) => e.close()));
});

/** Starts an emulator (demo state unless given) that is closed after the test. */
export async function emulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const emu = await startEmulator({ state: demoState(), ...options });
  running.push(emu);
  return emu;
}

/** A controllable clock for auth, throttling and summary-task tests. */
export function manualClock(start = Date.parse('2026-03-01T10:00:00Z')) {
  let t = start;
  return { now: () => t, advance: (ms: number) => void (t += ms) };
}
