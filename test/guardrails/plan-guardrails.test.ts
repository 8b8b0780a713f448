import { describe, expect, it } from 'vitest';
import type { Guardrail } from '../../src/guardrails/types.js';
import { computePlan } from '../../src/plan/compute-plan.js';
import { at, desired, instance, live, liveState, liveTask, rule, task } from '../plan/builders.js';

/** Guardrails in a plan: the declared state as planned and the live state as read (pure). */

const G = 'policies/guardrails.yaml';
const guardrail = (over: Partial<Guardrail> & Pick<Guardrail, 'name' | 'expression'>): Guardrail => ({
  match: '*',
  each: 'instance',
  message: `${over.name} holds`,
  severity: 'error',
  source: at(3, G),
  expressionAt: at(5, G),
  ...over,
});

const OPTIONS = { toolVersion: 'test' };

describe('plan.guardrails', () => {
  it('is absent when the tree declares no guardrail', () => {
    const d = instance('prod-a');
    expect(computePlan(desired([d]), liveState([live(d)]), OPTIONS).guardrails).toBeUndefined();
  });

  it('evaluates the declared and the live state: a live rule at MEDIUM breaks what the declaration holds, located at the rule', () => {
    const d = instance('prod-a', { riskRules: [rule('drops', { actions: ['DROP_TABLE'], source: at(12) })] });
    const l = live(d, [{ id: 'r1', name: 'drops', actions: ['DROP_TABLE'], riskLevel: 'MEDIUM' }]);
    const high = guardrail({ name: 'high', each: 'risk_rule', expression: "rule.risk_level == 'HIGH'" });
    const plan = computePlan(desired([d]), liveState([l]), { ...OPTIONS, guardrails: [high] });
    expect(plan.guardrails).toEqual({
      checked: 1,
      violations: [
        {
          guardrail: 'high',
          severity: 'error',
          message: 'high holds',
          state: 'live',
          target: 'cn-north-4/0f1e2d3c4b5a69788796a5b4c3d2e1f0/prod-a',
          rule: 'drops',
          at: at(12),
          guardrailAt: at(3, G),
        },
      ],
    });
  });

  it('gives live rules what was read: list fields always, details only where read, never exception_ips', () => {
    const d = instance('prod-a', { riskRules: [rule('declared', { exceptionIps: ['10.0.0.5'] })] });
    const l = live(d, [{ id: 'r1', name: 'declared', clientIps: ['0.0.0.0/0'] }, { id: 'r2', name: 'hand-made' }], { withoutDetail: ['hand-made'] });
    const fields = guardrail({
      name: 'fields',
      each: 'risk_rule',
      expression: "state == 'live' ? (rule.name == 'declared' ? has(rule.client_ips) && !has(rule.exception_ips) && rule.rank == 5 : !has(rule.client_ips) && rule.rule_type == 'CUSTOMIZE') : has(rule.exception_ips)",
    });
    const systems = guardrail({ name: 'systems', expression: "state == 'desired' || instance.system_rules.size() == 4 && instance.system_rules.all(s, s.status == 'ON')" });
    const plan = computePlan(desired([d]), liveState([l]), { ...OPTIONS, guardrails: [fields, systems] });
    expect(plan.guardrails?.violations).toEqual([]);
  });

  it('reads summary tasks of the instance project, declared and live', () => {
    const d = instance('prod-a');
    const g = guardrail({ name: 'risk-task', expression: 'has(instance.summary_tasks.risk) && instance.summary_tasks.risk' });
    const plan = computePlan(desired([d], [task('risk', true)]), liveState([live(d)], [liveTask('risk', false)]), { ...OPTIONS, guardrails: [g] });
    expect(plan.guardrails?.violations.map((v) => [v.state, v.at])).toEqual([['live', at(1)]]);
  });

  it('evaluates only the planned instances (--instance narrows it)', () => {
    const a = instance('prod-a');
    const b = instance('prod-b', { source: at(20) });
    const never = guardrail({ name: 'never', expression: 'false' });
    const plan = computePlan(desired([a, b]), liveState([live(a), live(b)]), { ...OPTIONS, guardrails: [never], instances: ['prod-b'] });
    expect(plan.guardrails?.violations.map((v) => [v.state, v.target.split('/')[2], v.at.line])).toEqual([
      ['desired', 'prod-b', 20],
      ['live', 'prod-b', 20],
    ]);
  });
});
