import { describe, expect, it } from 'vitest';
import { generateState } from '../../src/emulator/index.js';
import { policyOfState } from '../../bench/policy-tree.js';
import type { PolicyProject } from '../../bench/policy-tree.js';
import { expectStateMatchesPolicy } from './helpers/converged.js';

/** The state check used by the chaos and crash suites catches what they are meant to catch. */
const initial = generateState({ projects: 1, instancesPerProject: 3, rulesPerInstance: 6, seed: 3 });
const [project] = policyOfState(initial);
const declared: PolicyProject[] = [{ ...project!, instances: [project!.instances[0]!, { ...project!.instances[1]!, prune: false, risk_rules: project!.instances[1]!.risk_rules.slice(1) }] }];
const projectId = Object.keys(initial.projects)[0]!;
const instance = (s: typeof initial, i: number) => s.projects[projectId]!.instances[i]!;

function changed(edit: (s: typeof initial) => void): typeof initial {
  const s = structuredClone(initial);
  edit(s);
  return s;
}

describe('expectStateMatchesPolicy', () => {
  it('accepts the state a policy declares as it is', () => {
    expectStateMatchesPolicy(structuredClone(initial), declared, initial);
  });

  it.each([
    ['a duplicated rule', (s: typeof initial) => instance(s, 0).rules.push({ ...instance(s, 0).rules.at(-1)!, id: 'DUPLICATEDRULEID0000' })],
    ['a lost rule', (s: typeof initial) => instance(s, 0).rules.pop()],
    ['two rules swapped', (s: typeof initial) => instance(s, 0).rules.push(...instance(s, 0).rules.splice(-2, 1))],
    ['a changed field', (s: typeof initial) => (instance(s, 0).rules.at(-1)!.affectRows += 1)],
    ['a changed write-only field', (s: typeof initial) => (instance(s, 0).rules.at(-1)!.exceptionIps = '10.1.1.1')],
    ['a switched system rule', (s: typeof initial) => (instance(s, 0).rules[0]!.status = instance(s, 0).rules[0]!.status === 'ON' ? 'OFF' : 'ON')],
    ['an undeclared rule changed under prune: false', (s: typeof initial) => (instance(s, 1).rules.find((r) => r.ruleType === 'CUSTOMIZE')!.riskLevel = 'NO_RISK')],
    ['an undeclared instance changed', (s: typeof initial) => instance(s, 2).rules.pop()],
  ])('rejects %s', (_, edit) => {
    expect(() => expectStateMatchesPolicy(changed(edit), declared, initial)).toThrow();
  });
});
