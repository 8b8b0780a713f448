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

describe('changedTargets: what counts as a change', () => {
  const sys = (name: string, status: 'ON' | 'OFF', line = 3) => ({ name, status, source: at(line) });

  it('counts a system switch, not the order of system_rules or where they are written', () => {
    const base = desired([instance('a', { systemRules: [sys('S1', 'ON'), sys('S2', 'OFF')] })]);
    const moved = desired([instance('a', { systemRules: [sys('S2', 'OFF', 9), sys('S1', 'ON', 8)] })]);
    const flipped = desired([instance('a', { systemRules: [sys('S1', 'OFF'), sys('S2', 'OFF')] })]);
    expect(changedTargets(base, moved).instances.size).toBe(0);
    expect([...changedTargets(base, flipped).instances]).toEqual([[key('a'), new Set()]]);
  });

  it('counts prune and the order of risk rules', () => {
    const base = desired([instance('a', { riskRules: [rule('r1'), rule('r2')] })]);
    expect([...changedTargets(base, desired([instance('a', { prune: true, riskRules: [rule('r1'), rule('r2')] })])).instances.keys()]).toEqual([key('a')]);
    expect(names(changedTargets(base, desired([instance('a', { riskRules: [rule('r2'), rule('r1')] })])).instances.get(key('a')) as Set<string>)).toEqual(['r2']);
  });

  it('leaves instances found by selectors to the selector comparison', () => {
    const bySel = instance('bi-1', { selector: 'bi-*', riskRules: [rule('x')] });
    expect(changedTargets(desired([]), desired([bySel])).instances.size).toBe(0);
    expect(changedInstances([], [bySel]).get(key('bi-1'))).toBe('all');
    expect(changedInstances([], [bySel], (d) => d.selector === undefined).size).toBe(0);
  });

  it('compares summary tasks per project whatever their order, and ignores a project whose tasks were removed', () => {
    const P2 = 'b'.repeat(32);
    const base = desired([], [task('risk', true), task('audit', false), task('risk', true, { projectId: P2 })]);
    expect(changedTargets(base, desired([], [task('audit', false, { source: at(99) }), task('risk', true)])).taskProjects.size).toBe(0);
    expect([...changedTargets(base, desired([], [task('risk', true), task('audit', true), task('risk', false, { projectId: P2 })])).taskProjects].sort()).toEqual([`${REGION}/${P1}`, `${REGION}/${P2}`]);
    expect([...changedTargets(desired([]), desired([], [task('risk', true, { projectId: P2 })])).taskProjects]).toEqual([`${REGION}/${P2}`]);
  });

  it('marks only the project whose selectors or claims changed, whatever their order in the files', () => {
    const P2 = 'b'.repeat(32);
    const sel = (pattern: string, projectId = P1, over: Partial<DesiredSelector> = {}): DesiredSelector => ({
      region: REGION,
      projectId,
      pattern,
      prune: false,
      systemRules: [],
      riskRules: [],
      source: at(13),
      ...over,
    });
    const state = (selectors: DesiredSelector[], instances = [instance('named'), instance('x', { id: 'inst-x' })]): DesiredState => ({ instances, summaryTasks: [], selectors });
    const base = state([sel('a-*'), sel('b-*'), sel('c-*', P2)]);
    expect(changedTargets(base, state([sel('b-*', P1, { source: at(50) }), sel('c-*', P2), sel('a-*')])).selectorProjects.size).toBe(0);
    expect([...changedTargets(base, state([sel('a-*'), sel('b-*'), sel('c-*', P2, { prune: true })])).selectorProjects]).toEqual([`${REGION}/${P2}`]);
    expect([...changedTargets(base, state([sel('a-*'), sel('b2-*'), sel('c-*', P2)])).selectorProjects]).toEqual([`${REGION}/${P1}`]);
    expect([...changedTargets(base, state([sel('a-*'), sel('c-*', P2)])).selectorProjects]).toEqual([`${REGION}/${P1}`]);
    expect([...changedTargets(state([sel('c-*', P2)]), state([sel('a-*'), sel('c-*', P2)])).selectorProjects]).toEqual([`${REGION}/${P1}`]);
    // A claim by id turned into a claim by name of another instance: the selector may now match it.
    expect([...changedTargets(base, state(base.selectors as DesiredSelector[], [instance('named'), instance('inst-x')])).selectorProjects]).toEqual([`${REGION}/${P1}`]);
    // Instances found by selectors are not claims.
    expect(changedTargets(base, state(base.selectors as DesiredSelector[], [instance('named'), instance('x', { id: 'inst-x' }), instance('a-1', { selector: 'a-*' })])).selectorProjects.size).toBe(0);
    // Claims outside a selector's project do not count.
    expect(changedTargets(base, state(base.selectors as DesiredSelector[], [instance('named'), instance('x', { id: 'inst-x' }), instance('far', { projectId: 'c'.repeat(32) })])).selectorProjects.size).toBe(0);
  });
});

describe('changedTargets: claims and scope', () => {
  const sel: DesiredSelector = { region: REGION, projectId: P1, pattern: 'bi-*', prune: false, systemRules: [], riskRules: [], source: at(13) };
  const withSel = (instances: ReturnType<typeof instance>[]): DesiredState => ({ instances, summaryTasks: [], selectors: [sel] });

  it('compares claims by name and by id exactly, in any order', () => {
    const base = withSel([instance('a'), instance('b', { id: 'id-1' })]);
    expect(changedTargets(base, withSel([instance('b', { id: 'id-1' }), instance('a')])).selectorProjects.size).toBe(0);
    expect(changedTargets(base, withSel([instance('a2'), instance('b', { id: 'id-1' })])).selectorProjects.size).toBe(1);
    expect(changedTargets(base, withSel([instance('a'), instance('b', { id: 'id-2' })])).selectorProjects.size).toBe(1);
    expect(changedTargets(withSel([instance('a')]), withSel([instance('a', { id: 'a' })])).selectorProjects.size).toBe(1);
  });

  it('marks a selector project when the base tree had no selectors at all', () => {
    expect([...changedTargets(desired([instance('a')]), withSel([instance('a')])).selectorProjects]).toEqual([`${REGION}/${P1}`]);
    expect([...changedTargets(withSel([instance('a')]), desired([instance('a')])).selectorProjects]).toEqual([`${REGION}/${P1}`]);
  });

  it('takes an instance a selector found in the base as new when the head declares it by name', () => {
    const found = instance('bi-1', { selector: 'bi-*', riskRules: [rule('x')] });
    const named = instance('bi-1', { riskRules: [rule('x')] });
    expect(changedTargets(withSel([found]), withSel([named])).instances.get(key('bi-1'))).toBe('all');
  });

  it('sees a change of the first of a project\'s tasks', () => {
    const base = desired([], [task('risk', true), task('audit', false)]);
    expect([...changedTargets(base, desired([], [task('risk', false), task('audit', false)])).taskProjects]).toEqual([`${REGION}/${P1}`]);
    expect([...changedTargets(base, desired([], [task('audit', false)])).taskProjects]).toEqual([`${REGION}/${P1}`]);
  });
});
