import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_INSTANCES, DEMO_PROJECTS } from '../../src/emulator/index.js';
import { runPipeline } from '../convergence/profile-estate.js';
import type { PolicyEstate } from './helpers/policy-estate.js';
import { startPolicyEstate } from './helpers/policy-estate.js';

/**
 * Issue 18 item 1: an id from the API is data. The emulator hands out hostile rule ids
 * (`hostileAnswers.ruleIds`: `<id>,<first rule's id>`, then a space, a path, a control character) and
 * switches every comma-separated part that names a rule, as a lenient backend would. No such
 * id is ever written: the plan reports the rule and leaves it alone, the rest goes on.
 */

let open: PolicyEstate | undefined;
afterEach(async () => {
  await open?.close();
  open = undefined;
});

const keep = (status: 'ON' | 'OFF') => `      - name: keep
        risk_level: HIGH
        status: ${status}
        actions: [DROP_USER]
`;

describe('hostile rule ids', () => {
  it('a listed id holding "," is never switched, ranked or deleted: the plan says "unusable rule id" and the rest of the instance goes on', async () => {
    open = await startPolicyEstate({ hostileAnswers: { ruleIds: true } });
    await open.declare(`  - name: prod-audit\n    prune: false\n    risk_rules:\n${keep('ON')}`);
    const created = await runPipeline(open, 'reconcile');
    const id = open.rule('keep')!.id;
    const victim = open.prod().rules[0]!;
    expect(id, created.output).toBe(`${id.split(',')[0]},${victim.id}`);
    expect(victim).toMatchObject({ name: 'Database_drag_detection', ruleType: 'SYSTEM', status: 'ON' });

    // The attack of the issue: switching keep OFF sent "ids":"<keep's id>,<a system rule's id>".
    open.emulator.resetCounters();
    await open.declare(`  - name: prod-audit\n    prune: false\n    risk_rules:\n${keep('OFF')}      - name: fresh\n        risk_level: LOW\n        actions: [GRANT]\n`);
    const switched = await runPipeline(open, 'reconcile');
    expect(open.rule('Database_drag_detection')!.status, 'the system rule nobody declared').toBe('ON');
    expect(open.emulator.counters().byOperation.SwitchRiskRuleNew ?? 0, switched.output).toBe(0);
    expect(switched.output).toContain(`unusable rule id ${JSON.stringify(id)}: it contains the batch separator ","; the rule is left alone`);
    expect(open.rule('keep')!.status).toBe('ON');
    // the rest of the instance goes on: the other declared rule is created (with a hostile id of its own)
    expect(open.rule('fresh'), switched.output).toBeDefined();
    expect(open.rule('fresh')!.id).toContain(' ');

    // Undeclared under prune: every other undeclared rule goes, the two with unusable ids stay.
    open.emulator.resetCounters();
    await open.declare(`  - name: prod-audit\n    prune: true\n    risk_rules:\n      - name: drop-table-in-prod\n        risk_level: HIGH\n        actions: [DROP_TABLE]\n`);
    const pruned = await runPipeline(open, 'reconcile');
    const customs = open.prod().rules.filter((r) => r.ruleType === 'CUSTOMIZE').map((r) => r.name);
    expect(customs, pruned.output).toEqual(['drop-table-in-prod', 'keep', 'fresh']);
    expect(pruned.output).toMatch(/unusable rule id ".*": it contains whitespace; the rule is left alone/);
    expect(open.prod().rules.filter((r) => r.ruleType === 'SYSTEM').map((r) => r.status)).toEqual(['ON', 'OFF', 'ON', 'ON']);
  });

  it('an instance listed with an unusable id is neither read nor written, and the plan says why', async () => {
    open = await startPolicyEstate({});
    const staging = open.emulator.state.projects[DEMO_PROJECTS.payments]!.instances.find((i) => i.id === DEMO_INSTANCES.stagingAudit)!;
    staging.id = `${DEMO_INSTANCES.stagingAudit},${DEMO_INSTANCES.prodAudit}`;
    await open.declare(`  - name: staging-audit\n    prune: true\n    risk_rules: []\n  - name: prod-audit\n    risk_rules:\n${keep('ON')}`);
    const r = await runPipeline(open, 'reconcile');
    expect(r.output).toContain(`instance "staging-audit" has an unusable instance id ${JSON.stringify(staging.id)}: it contains the batch separator ","; it is not read or written`);
    expect(open.emulator.counters().byOperation.ListAuditRuleRisksNew, 'only prod-audit is listed').toBeGreaterThan(0);
    expect(open.emulator.log.filter((x) => x.path.includes(DEMO_INSTANCES.stagingAudit))).toEqual([]);
    expect(open.rule('keep'), r.output).toBeDefined();
  });
});
