import { describe, expect, it } from 'vitest';
import { computePlan } from '../../src/plan/compute-plan.js';
import { narrowToRuleTargets, parseRuleTarget } from '../../src/plan/rule-target.js';
import type { Change } from '../../src/plan/types.js';
import { renderMarkdown } from '../../src/render/markdown.js';
import { renderText } from '../../src/render/text.js';
import { desired, instance, live, liveState, liveTask, P1, REGION, rule, task } from './builders.js';

/** `--target INSTANCE/RULE`: the planner keeps only the changes of the rules the globs name. */

const kinds = (changes: readonly Change[]): string[] =>
  changes.map((c) => `${c.target.split('/').pop()}:${c.kind}:${'rule' in c ? c.rule : c.kind === 'switch' ? c.rules.map((r) => r.name).join('+') : ''}`);

// prod: update b, switch a system rule ON and a OFF, create new, reorder, delete x; staging: create s-new.
const prod = instance('prod-audit', {
  prune: true,
  riskRules: [rule('b', { riskLevel: 'LOW' }), rule('new'), rule('a', { status: 'OFF' })],
  systemRules: [{ name: 'Slow_SQL_detection', status: 'ON', source: { file: 'p.yaml', line: 3, col: 5 } }],
});
const staging = instance('staging-audit', { riskRules: [rule('s-new')] });
const state = desired([prod, staging], [task('risk', true)]);
const liveNow = liveState(
  [
    live(prod, [{ id: 'id-a', name: 'a' }, { id: 'id-b', name: 'b' }, { id: 'id-x', name: 'x' }], { systemOff: ['Slow_SQL_detection'] }),
    live(staging, [], { id: 'inst-9' }),
  ],
  [liveTask('risk', false)],
);
const plan = (...targets: string[]) => computePlan(state, liveNow, { toolVersion: '0.1.0', ruleTargets: targets.map(parseRuleTarget) });

describe('computePlan with --target', () => {
  it('without targets plans everything (the baseline the targeted plans cut down)', () => {
    expect(kinds(plan().changes)).toEqual([
      `${P1}:set-task:`,
      'prod-audit:update:b',
      'prod-audit:switch:Slow_SQL_detection',
      'prod-audit:switch:a',
      'prod-audit:create:new',
      'prod-audit:reorder:',
      'prod-audit:delete:x',
      'staging-audit:create:s-new',
    ]);
    expect(plan().ruleTargets).toBeUndefined();
  });

  it('keeps only the named rule of the named instance: no reorder, no other instance, no summary task', () => {
    const p = plan('prod-audit/b');
    expect(kinds(p.changes)).toEqual(['prod-audit:update:b']);
    expect(p.targets.map((t) => t.key)).toEqual([`${REGION}/${P1}/prod-audit`]);
    expect(p.ruleTargets).toEqual(['prod-audit/b']);
    expect(p.errors).toEqual([]);
  });

  it('cuts a switch batch down to the named rules, with their own review', () => {
    const p = plan('prod-audit/a');
    expect(kinds(p.changes)).toEqual(['prod-audit:switch:a']);
    expect(p.changes[0]!.review).toEqual({ weakening: true, reasons: ['a turned OFF'] });
    expect(kinds(plan('*/Slow_*').changes)).toEqual(['prod-audit:switch:Slow_SQL_detection']);
  });

  it('matches globs on instance names, live ids and keys, and on rule names, deletes included', () => {
    expect(kinds(plan('*-audit/*new').changes)).toEqual(['prod-audit:create:new', 'staging-audit:create:s-new']);
    expect(kinds(plan('inst-9/*').changes)).toEqual(['staging-audit:create:s-new']);
    expect(kinds(plan(`${REGION}/${P1}/prod-audit/x`).changes)).toEqual([]);
    expect(kinds(plan('prod-audit/x', 'staging-audit/s-*').changes)).toEqual(['prod-audit:delete:x', 'staging-audit:create:s-new']);
  });

  it('keeps the changes of every target naming the same instance', () => {
    expect(kinds(plan('prod-audit/b', 'prod-audit/new').changes)).toEqual(['prod-audit:update:b', 'prod-audit:create:new']);
  });

  it('keeps the notes about the named rules and about the whole instance, not those about other rules', () => {
    const inst = instance('notes-audit', { riskRules: [rule('a'), rule('b')] });
    const l = live(inst, [{ id: 'id-a', name: 'a' }, { id: 'id-b', name: 'b' }, { id: 'id-u', name: 'undeclared' }]);
    const unranked = { ...l, rules: l.rules.map((r) => (r.name === 'a' ? { ...r, rank: undefined } : r)) };
    const notes = (...t: string[]) => computePlan(desired([inst]), liveState([unranked]), { toolVersion: '0.1.0', ruleTargets: t.map(parseRuleTarget) }).notes.map((n) => `${n.rule ?? '-'}: ${n.message}`);
    expect(notes()).toEqual(['-: listed without rank, so not ordered: a', 'undeclared: not declared; left alone (prune: false)']);
    expect(notes('notes-audit/a')).toEqual(['-: listed without rank, so not ordered: a']);
    expect(notes('notes-audit/undeclared')).toEqual(notes());
  });

  it('refuses by the safety limit only what the targeted changes add up to', () => {
    const many = instance('prod-audit', { riskRules: Array.from({ length: 10 }, (_, i) => rule(`r${i}`, { riskLevel: 'LOW' })) });
    const l = liveState([live(many, Array.from({ length: 10 }, (_, i) => ({ id: `id-${i}`, name: `r${i}` })))]);
    const targeted = (...t: string[]) => computePlan(desired([many]), l, { toolVersion: '0.1.0', ruleTargets: t.map(parseRuleTarget) });
    expect(computePlan(desired([many]), l, { toolVersion: '0.1.0' }).refusals).toHaveLength(1);
    expect(targeted('prod-audit/r1', 'prod-audit/r2').refusals).toEqual([]);
  });

  it('reports a target whose instance matches nothing, and says so under the plan', () => {
    const p = plan('nope/*');
    expect(p.changes).toEqual([]);
    expect(p.errors).toEqual([{ target: 'nope/*', message: '--target nope/* matches no declared instance' }]);
    const text = renderText(p, { color: false });
    expect(text).toContain('--target "nope/*" matched no declared instance; nothing was planned for it.');
    expect(text).not.toContain('could not be read');
  });

  it('says in text and markdown that the plan is targeted and what it leaves out', () => {
    const p = plan('prod-audit/b');
    expect(renderText(p, { color: false })).toContain(
      'Targeted with --target prod-audit/b: only changes of matching rules are planned; the order of rules and summary tasks are left for a plan without --target.',
    );
    expect(renderMarkdown(p)).toContain('> Targeted with --target `prod-audit/b`');
  });
});

describe('parseRuleTarget and the read it narrows', () => {
  it('needs both parts; the rule part may hold a slash', () => {
    expect(parseRuleTarget('prod/a/b')).toEqual({ text: 'prod/a/b', instance: 'prod', rule: 'a/b' });
    for (const bad of ['prod', '/rule', 'prod/', '']) {
      expect(() => parseRuleTarget(bad)).toThrow(`--target must be INSTANCE/RULE (globs, e.g. prod-audit/drop-* or */legacy-export), got "${bad}"`);
    }
  });

  it('reads only the instances the targets name as declared, and no summary tasks', () => {
    expect(narrowToRuleTargets(state, [parseRuleTarget('prod-*/b')])).toEqual({ instances: [prod], summaryTasks: [] });
    // inst-9 is a live id: which instance it is, only the read can tell
    expect(narrowToRuleTargets(state, [parseRuleTarget('inst-9/b')])).toEqual({ instances: [prod, staging], summaryTasks: [] });
    expect(narrowToRuleTargets(state, [])).toBe(state);
    // one target the declarations cannot place is enough to read every instance
    expect(narrowToRuleTargets(state, [parseRuleTarget('prod-*/b'), parseRuleTarget('inst-9/b')])).toEqual({ instances: [prod, staging], summaryTasks: [] });
    // an instance declared by id is named by that id
    const byId = instance('ignored', { id: 'inst-42' });
    expect(narrowToRuleTargets(desired([prod, byId]), [parseRuleTarget('inst-42/b')])).toEqual({ instances: [byId], summaryTasks: [] });
  });
});
