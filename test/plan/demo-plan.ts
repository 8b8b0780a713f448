import { computePlan } from '../../src/plan/compute-plan.js';
import type { Plan } from '../../src/plan/types.js';
import type { DesiredState } from '../../src/policy/types.js';
import type { LiveState } from '../../src/live/types.js';
import { at, desired, instance, live, liveState, liveTask, rule, task } from './builders.js';

/**
 * The demo estate of /tmp/demo-spec.md for project P1 (prod-audit, staging-audit and the
 * summary tasks), shrunk to what the renderers and the plan JSON need: a plan with every change
 * kind, a write-only field, a weakening delete, a note and a read error.
 */
export function demoInputs(): { desired: DesiredState; live: LiveState } {
  const file = 'policies/payments/cn-north-4.yaml';
  const prod = instance('prod-audit', {
    prune: true,
    systemRules: [
      { name: 'Slow_SQL_detection', status: 'ON', source: at(6, file) },
      { name: 'Database_drag_detection', status: 'ON', source: at(7, file) },
    ],
    riskRules: [
      rule('drop-table-in-prod', {
        riskLevel: 'HIGH',
        actions: ['DROP_TABLE', 'DROP_TABLESPACE'],
        dbIds: ['lQZpwJgB0g4pz3UTv74a'],
        clientIps: ['10.0.0.0/8', '192.168.1.10-192.168.1.20'],
        exceptionIps: ['10.0.0.5'],
        schemas: [{ schema: 'finance', table: 'ledger' }],
        source: at(12, file),
      }),
      rule('bulk-delete-prod', { actions: ['DELETE'], affectRows: { symbol: 'GREATER', value: 1000 }, source: at(24, file) }),
      rule('grant-outside-dba', { actions: ['GRANT', 'REVOKE'], clientIps: ['10.20.0.0/16'], source: at(30, file) }),
      rule('truncate-in-prod', { actions: ['DROP_TABLE'], executionTime: { symbol: 'GREATER', value: 5000 }, source: at(36, file) }),
    ],
  });
  const staging = instance('staging-audit', { riskRules: [rule('drop-table-staging', { riskLevel: 'MEDIUM', actions: ['DROP_TABLE'], source: at(50, file) })] });
  const gone = instance('gone-audit');
  const liveProd = live(
    prod,
    [
      { id: 'c7ILB3kBCwCqSg3B2Op1', name: 'bulk-delete-prod', actions: ['DELETE'], affectRows: { symbol: 'GREATER', value: 1000 } },
      {
        id: 'c7ILB3kBCwCqSg3B2Op2',
        name: 'drop-table-in-prod',
        riskLevel: 'MEDIUM',
        actions: ['DROP_TABLE', 'DROP_TABLESPACE'],
        dbIds: ['lQZpwJgB0g4pz3UTv74a'],
        clientIps: ['10.0.0.0/8', '192.168.1.10-192.168.1.20'],
        schemas: [{ schema: 'finance', table: 'ledger' }],
      },
      { id: 'c7ILB3kBCwCqSg3B2Op3', name: 'grant-outside-dba', actions: ['GRANT', 'REVOKE'], clientIps: ['10.20.0.0/16'] },
      { id: 'c7ILB3kBCwCqSg3B2Op4', name: 'legacy-export', riskLevel: 'LOW' },
    ],
    { systemOff: ['Slow_SQL_detection'], id: '5f2b7c0e9a1d4e3f8b6c2d1a0e9f8b7c' },
  );
  const liveStaging = live(
    staging,
    [
      { id: 'd8JMC4lCDxDrTh4C3PqA', name: 'drop-table-staging', riskLevel: 'MEDIUM', status: 'OFF', actions: ['DROP_TABLE'] },
      { id: 'd8JMC4lCDxDrTh4C3PqB', name: 'temp-debug-select', riskLevel: 'NO_RISK' },
    ],
    { id: '6a3c8d1f0b2e5f4a9c7d3e2b1f0a9c8d' },
  );
  return {
    desired: desired([prod, staging, gone], [task('risk', true, { source: at(60, file) }), task('audit', false, { source: at(61, file) })]),
    live: liveState([liveProd, liveStaging], [liveTask('risk', false), liveTask('audit', false)], [
      { key: `${gone.region}/${gone.projectId}/gone-audit`, message: 'no instance named gone-audit in the project' },
    ]),
  };
}

/** The demo plan (refusal thresholds lowered so that it carries a refusal too). */
export function demoPlan(): Plan {
  const { desired: d, live: l } = demoInputs();
  return computePlan(d, l, { toolVersion: '0.1.0', safety: { minRules: 4, maxChangeRatio: 0.3 } });
}
