import { expect } from 'vitest';
import type { EmulatorState, InstanceState } from '../../../src/emulator/index.js';
import { canonicalRule, policyRuleOf } from '../../../bench/policy-tree.js';
import type { PolicyProject } from '../../../bench/policy-tree.js';

const customs = (i: InstanceState) => i.rules.filter((r) => r.ruleType === 'CUSTOMIZE');

function instanceOf(state: EmulatorState, projectId: string, name: string): InstanceState {
  const found = state.projects[projectId]?.instances.filter((i) => i.name === name) ?? [];
  expect(found, `instance ${name}`).toHaveLength(1);
  return found[0]!;
}

/**
 * Asserts that the emulator's state is what the policy declares, and nothing else moved:
 * - every declared instance holds each declared custom rule exactly once, with the declared
 *   content (exception_ips included: the emulator keeps it) and in the declared relative order,
 *   and its system rules have the declared switches;
 * - under prune: true it holds no other custom rule; under prune: false the undeclared custom
 *   rules are exactly the ones it had before, same id and content;
 * - an undeclared instance is exactly as it was (ids, content and order).
 */
export function expectStateMatchesPolicy(state: EmulatorState, declared: readonly PolicyProject[], initial: EmulatorState): void {
  for (const p of declared) {
    for (const d of p.instances) {
      const live = instanceOf(state, p.project_id, d.name);
      const before = instanceOf(initial, p.project_id, d.name);
      const names = customs(live).map((r) => r.name);
      expect(new Set(names).size, `${d.name}: duplicated rule names in ${names.join(', ')}`).toBe(names.length);
      const wanted = new Set(d.risk_rules.map((r) => r.name));
      expect(names.filter((n) => wanted.has(n)), `${d.name}: declared rules and their order`).toEqual(d.risk_rules.map((r) => r.name));
      const byName = new Map(customs(live).map((r) => [r.name, r]));
      for (const rule of d.risk_rules) {
        expect(canonicalRule(policyRuleOf(byName.get(rule.name)!)), `${d.name}/${rule.name}`).toEqual(canonicalRule(rule));
      }
      const undeclared = customs(live).filter((r) => !wanted.has(r.name));
      const undeclaredBefore = customs(before).filter((r) => !wanted.has(r.name));
      expect(undeclared, `${d.name}: undeclared custom rules`).toEqual(d.prune ? [] : undeclaredBefore);
      for (const [name, status] of Object.entries(d.system_rules)) {
        expect(live.rules.find((r) => r.ruleType === 'SYSTEM' && r.name === name)?.status, `${d.name}/${name}`).toBe(status);
      }
    }
  }
  for (const [projectId, project] of Object.entries(initial.projects)) {
    const declaredNames = new Set(declared.filter((p) => p.project_id === projectId).flatMap((p) => p.instances.map((i) => i.name)));
    for (const inst of project.instances.filter((i) => !declaredNames.has(i.name))) {
      expect(instanceOf(state, projectId, inst.name), `undeclared instance ${inst.name}`).toEqual(inst);
    }
  }
}
