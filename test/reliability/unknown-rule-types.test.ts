import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_PROFILE } from '../../src/emulator/index.js';
import { runPipeline } from '../convergence/profile-estate.js';
import type { PolicyEstate } from './helpers/policy-estate.js';
import { startPolicyEstate } from './helpers/policy-estate.js';

/**
 * Issue 18 item 4: only what is known to be custom is managed as custom. The emulator lists
 * its built-in rules with rule_type BUILT_IN and no customize_total (`hostileAnswers.builtInType`),
 * under names no client knows (`systemRuleNames: variant`): prune must not delete them.
 */

let open: PolicyEstate | undefined;
afterEach(async () => {
  await open?.close();
  open = undefined;
});

const systems = (e: PolicyEstate) => e.prod().rules.filter((r) => r.ruleType === 'SYSTEM').map((r) => `${r.name} ${r.status}`);

describe('rules listed with an unknown rule_type', () => {
  it('are never deleted under prune, are reported, and are switched only when declared by name as system rules', async () => {
    open = await startPolicyEstate({ profile: { ...DEFAULT_PROFILE, systemRuleNames: 'variant' }, hostileAnswers: { builtInType: true } });
    const before = systems(open);
    await open.declare(`  - name: prod-audit\n    prune: true\n    risk_rules:\n      - name: drop-table-in-prod\n        risk_level: HIGH\n        actions: [DROP_TABLE]\n`);
    const pruned = await runPipeline(open, 'reconcile');
    expect(open.emulator.counters().byOperation.DeleteAuditRuleRisk, pruned.output).toBe(3);
    expect(systems(open), pruned.output).toEqual(before);
    expect(open.prod().rules.filter((r) => r.ruleType === 'CUSTOMIZE').map((r) => r.name)).toEqual(['drop-table-in-prod']);
    expect(pruned.output).not.toMatch(/delete.*(Slow|Batch|drag)/i);
    expect(pruned.output).toMatch(/Slow_sql_detection: listed with a rule_type that is neither SYSTEM nor CUSTOMIZE \(id \w+\); not custom, not managed/);
    expect(pruned.code, pruned.output).toBe(0);

    await open.declare(`  - name: prod-audit\n    prune: true\n    system_rules:\n      Slow_sql_detection: ON\n    risk_rules:\n      - name: drop-table-in-prod\n        risk_level: HIGH\n        actions: [DROP_TABLE]\n`);
    const switched = await runPipeline(open, 'reconcile');
    expect(switched.code, switched.output).toBe(0);
    expect(open.rule('Slow_SQL_detection')!.status, switched.output).toBe('ON');
    expect(systems(open)).toHaveLength(4);
  });
});
