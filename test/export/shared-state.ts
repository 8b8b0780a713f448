import { generateState } from '../../src/emulator/index.js';
import type { EmulatorState, RuleState } from '../../src/emulator/index.js';
import { storedRule } from './odd-state.js';

/** Custom rules per generated instance (`rule-0001`...), after the shared ones. */
export const OWN_RULES = 8;

/** The baseline every instance but the last starts with (fresh ids on each call, as on separate instances). */
function baseline(respelled = false): RuleState[] {
  return [
    storedRule({ name: 'baseline-1', riskLevel: 'HIGH', action: 'DELETE', affectSymbol: 'GREATER', affectRows: 1000 }),
    storedRule({ name: 'baseline-2', riskLevel: 'HIGH', action: 'DROP_TABLE,GRANT', status: 'OFF' }),
    // The same rule as the planner compares it, spelled differently on one instance.
    respelled
      ? storedRule({ name: 'baseline-3', riskLevel: 'MEDIUM', action: 'UPDATE,SELECT', clientIps: '2001:db8:0::/32,10.0.0.0/8' })
      : storedRule({ name: 'baseline-3', riskLevel: 'MEDIUM', action: 'SELECT,UPDATE', clientIps: '10.0.0.0/8,2001:DB8::/32' }),
    storedRule({ name: 'baseline-4', riskLevel: 'LOW', schemas: [{ schema: 'hr', table: 'salaries' }], exceptionIps: '10.9.9.9' }),
    storedRule({ name: 'baseline-5', riskLevel: 'NO_RISK', ignoreCase: true, executionSymbol: 'GREATER', executionTime: 5000 }),
  ];
}

/** The extra rules the first two instances have right after the baseline. */
const pciExtra = (): RuleState[] => [
  storedRule({ name: 'pci-card-read', riskLevel: 'HIGH', action: 'SELECT', schemas: [{ schema: 'cardholder', table: 'pan' }] }),
  storedRule({ name: 'pci-bulk-update', riskLevel: 'HIGH', action: 'UPDATE', affectSymbol: 'GREATER', affectRows: 500 }),
];

/**
 * A generated estate (two projects of four instances, each with OWN_RULES random rules of its
 * own after the 4 system rules) where, in each project, instances 1-3 start with the same
 * baseline (instance 3's copy spelled differently), instances 1-2 then share two PCI rules,
 * and instance 4 shares nothing. Instance 3 has Slow_SQL_detection OFF.
 */
export function sharedState(): EmulatorState {
  const state = generateState({ projects: 2, instancesPerProject: 4, rulesPerInstance: OWN_RULES, seed: 11 });
  for (const project of Object.values(state.projects)) {
    const [first, second, third] = project.instances;
    first!.rules.splice(4, 0, ...baseline(), ...pciExtra());
    second!.rules.splice(4, 0, ...baseline(), ...pciExtra());
    third!.rules.splice(4, 0, ...baseline(true));
    third!.rules.find((r) => r.name === 'Slow_SQL_detection')!.status = 'OFF';
  }
  return state;
}
