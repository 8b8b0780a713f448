import { describe, expect, it } from 'vitest';
import { changedInstances, changedTargets, rulesToShow } from '../../src/plan/changed-targets.js';
import type { DesiredSelector, DesiredState } from '../../src/policy/types.js';
import { P1, REGION, at, desired, instance, rule, task } from './builders.js';

const key = (name: string): string => `${REGION}/${P1}/${name}`;
const names = (s: ReturnType<typeof rulesToShow>): string[] => [...s].sort();

describe('rulesToShow', () => {
  const base = instance('a', { riskRules: [rule('r1'), rule('r2'), rule('r3'), rule('r4')] });

  it('shows new rules and rules whose spec changed, not rules that only moved in the file', () => {
    const head = instance('a', {
      riskRules: [rule('r1', { source: at(99, 'other.yaml') }), rule('r2', { riskLevel: 'LOW' }), rule('r3'), rule('r4'), rule('r5')],
    });
    expect(names(rulesToShow(base, head))).toEqual(['r2', 'r5']);
  });

  it('shows the fewest rules whose place changed', () => {
    const head = instance('a', { riskRules: [rule('r4'), rule('r1'), rule('r2'), rule('r3')] });
    expect(names(rulesToShow(base, head))).toEqual(['r4']);
  });

  it('shows nothing when only prune or system switches changed', () => {
    const head = instance('a', { prune: true, riskRules: base.riskRules, systemRules: [{ name: 'Slow_SQL_detection', status: 'OFF', source: at(3) }] });
    expect(changedInstances([base], [head]).get(key('a'))).toEqual(new Set());
  });
});

describe('changedTargets', () => {
  it('finds a changed instance, a new one, and a project whose summary tasks changed; ignores removed and unchanged ones', () => {
    const base = desired([instance('a'), instance('b'), instance('gone')], [task('risk', true)]);
    const head = desired([instance('a'), instance('b', { prune: true }), instance('new', { riskRules: [rule('x')] })], [task('risk', false)]);
    const c = changedTargets(base, head);
    expect([...c.instances.keys()].sort()).toEqual([key('b'), key('new')]);
    expect(c.instances.get(key('new'))).toBe('all');
    expect([...c.taskProjects]).toEqual([`${REGION}/${P1}`]);
    expect(c.selectorProjects.size).toBe(0);
  });

  it('counts a changed rule set for every instance that uses it (rule sets arrive expanded)', () => {
    const origin = { ruleSet: 'baseline', appliedAt: at(4) };
    const fromSet = (over = {}) => rule('shared', { origin, source: at(12, 'policies/baseline.yaml'), ...over });
    const base = desired([instance('a', { riskRules: [fromSet()] }), instance('b', { riskRules: [fromSet()] }), instance('c')]);
    const head = desired([instance('a', { riskRules: [fromSet({ riskLevel: 'LOW' })] }), instance('b', { riskRules: [fromSet({ riskLevel: 'LOW' })] }), instance('c')]);
    const c = changedTargets(base, head);
    expect([...c.instances.keys()].sort()).toEqual([key('a'), key('b')]);
    expect(names(c.instances.get(key('a')) as Set<string>)).toEqual(['shared']);
  });

  it('marks a selector project when a selector, or an entry by name in its project, changed', () => {
    const sel = (over: Partial<DesiredSelector> = {}): DesiredSelector => ({
      region: REGION,
      projectId: P1,
      pattern: 'bi-*',
      prune: false,
      systemRules: [],
      riskRules: [rule('export')],
      source: at(13),
      ...over,
    });
    const withSel = (s: DesiredSelector, instances = [instance('bi-named')]): DesiredState => ({ instances, summaryTasks: [], selectors: [s] });
    expect(changedTargets(withSel(sel()), withSel(sel())).selectorProjects.size).toBe(0);
    expect([...changedTargets(withSel(sel()), withSel(sel({ riskRules: [rule('export', { riskLevel: 'LOW' })] }))).selectorProjects]).toEqual([`${REGION}/${P1}`]);
    // Dropping the entry by name hands bi-named to the selector.
    expect(changedTargets(withSel(sel()), withSel(sel(), [])).selectorProjects.size).toBe(1);
  });
});
