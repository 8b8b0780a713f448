import { describe, expect, it } from 'vitest';
import { canonicalJson, firstDifference, narrowToTargets, savedPlanMismatch, savedPlanTargets } from '../../src/apply/saved-plan-check.js';
import { CoverageGuard } from '../../src/apply/coverage-guard.js';
import type { Change, Plan, PlanTarget } from '../../src/plan/types.js';
import { P1, REGION, desired, instance, task } from '../plan/builders.js';

/** The comparison of a saved plan with a fresh one, and the delete guard, as pure functions. */
const A = `${REGION}/${P1}/a`;
const B = `${REGION}/${P1}/b`;
const target = (key: string, instanceId = `${key.slice(-1)}`.repeat(32)): PlanTarget => ({ key, region: REGION, projectId: P1, instanceId, instanceName: key.split('/').pop()! });
const review = { weakening: false, reasons: [] };
const del = (t: string, rule: string): Change => ({ id: `${t}#delete:${rule}`, kind: 'delete', target: t, rule, ruleId: `id-${rule}`, review });
const sw = (t: string, status: 'ON' | 'OFF'): Change => ({ id: `${t}#switch:${status}`, kind: 'switch', target: t, status, rules: [{ id: 'r1', name: 'x', system: false }], review });

function plan(over: Partial<Plan> = {}): Plan {
  return {
    formatVersion: 1, toolVersion: 't', liveFingerprint: 'f', desiredHash: 'h', targets: [target(A), target(B)], changes: [], notes: [], errors: [], refusals: [], selectors: [],
    ...over,
  };
}

describe('canonicalJson and firstDifference', () => {
  it('ignore object key order but not list order', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, 1], c: null } })).toBe('{"a":{"c":null,"d":[2,1]},"b":1}');
    expect(canonicalJson({ a: 1, b: 2 })).toBe(canonicalJson({ b: 2, a: 1 }));
    expect(firstDifference({ a: 1, b: [1, 2] }, { b: [1, 2], a: 1 })).toBeUndefined();
  });

  it('name the first differing path with both values', () => {
    expect(firstDifference({ after: { ips: ['10.0.0.0/8'] } }, { after: { ips: [] } })).toBe('after.ips[0]: the plan file has "10.0.0.0/8", a fresh plan has nothing');
    expect(firstDifference({ a: 1, z: 2 }, { a: 2, z: 3 })).toBe('a: the plan file has 1, a fresh plan has 2');
    expect(firstDifference([1], { 0: 1 })).toBe('(whole value): the plan file has [1], a fresh plan has {"0":1}');
    expect(firstDifference('x', null)).toBe('(whole value): the plan file has "x", a fresh plan has null');
  });
});

describe('savedPlanMismatch', () => {
  it('accepts the same changes and refusals in any order, ignoring provenance and out-of-scope fresh changes', () => {
    const saved = plan({ targets: [target(A)], changes: [sw(A, 'ON'), del(A, 'x')], refusals: [{ target: A, message: 'm' }] });
    const fresh = plan({ changes: [{ ...del(A, 'x') }, { ...sw(A, 'ON'), source: { file: 'moved.yaml', line: 9, col: 1 } } as Change, del(B, 'y')], refusals: [{ target: A, message: 'm' }, { target: B, message: 'other' }] });
    expect(savedPlanMismatch(saved, fresh)).toBeUndefined();
    expect([...savedPlanTargets(saved)]).toEqual([A]);
  });

  it('names each kind of difference', () => {
    const saved = plan({ changes: [del(A, 'x')] });
    expect(savedPlanMismatch(saved, plan({ targets: [target(B)], errors: [{ target: A, message: 'gone' }, { target: B, message: 'other' }] }))).toBe(`target ${A} cannot be planned now (gone)`);
    expect(savedPlanMismatch(saved, plan({ targets: [target(B)] }))).toBe(`target ${A} cannot be planned now`);
    expect(savedPlanMismatch(saved, plan({ targets: [target(A, 'f'.repeat(32))], changes: [del(A, 'x')] }))).toMatch(/^target \S+\/a differs at instanceId: the plan file has "a{32}", a fresh plan has "f{32}"$/);
    expect(savedPlanMismatch(plan({ changes: [del(A, 'x'), del(A, 'x')] }), plan({ changes: [del(A, 'x')] }))).toBe(`change ${A}#delete:x appears twice in the plan file`);
    expect(savedPlanMismatch(saved, plan())).toBe(`change ${A}#delete:x is in the plan file but a fresh plan does not make it`);
    expect(savedPlanMismatch(saved, plan({ changes: [{ ...del(A, 'x'), ruleId: 'other' } as Change] }))).toBe(`change ${A}#delete:x differs at ruleId: the plan file has "id-x", a fresh plan has "other"`);
    expect(savedPlanMismatch(saved, plan({ changes: [del(A, 'x'), del(A, 'y')] }))).toBe(`a fresh plan makes change ${A}#delete:y, which the plan file does not have`);
    expect(savedPlanMismatch(saved, plan({ changes: [del(A, 'x')], refusals: [{ target: A, message: 'too many' }] }))).toBe(`a fresh plan refuses ${A} ("too many"), which the plan file does not say`);
    expect(savedPlanMismatch(plan({ changes: [del(A, 'x')], refusals: [{ target: A, message: 'old' }] }), plan({ changes: [del(A, 'x')] }))).toBe(`the plan file refuses ${A} ("old"), which a fresh plan does not`);
  });

  it('the scope is the listed targets and the targets of the changes and of the refusals', () => {
    expect([...savedPlanTargets(plan({ targets: [], changes: [del(A, 'x')], refusals: [{ target: B, message: 'r' }] }))].sort()).toEqual([A, B]);
    expect([...savedPlanTargets(plan())].sort()).toEqual([A, B]);
  });

  it("refuses a plan file with one listed target's changes cut out, and one changing a target it does not list", () => {
    const fresh = plan({ changes: [del(A, 'x'), del(B, 'y')] });
    expect(savedPlanMismatch(plan({ changes: [del(A, 'x')] }), fresh)).toBe(`a fresh plan makes change ${B}#delete:y, which the plan file does not have`);
    expect(savedPlanMismatch(plan({ targets: [target(A)], changes: [del(A, 'x'), del(B, 'y')] }), fresh)).toBe(
      `the plan file changes or refuses ${B}, which its target list does not have`,
    );
  });
});

describe('narrowToTargets', () => {
  it('keeps the targeted instances, the selectors that matched them, and the tasks of targeted projects', () => {
    const matched = { ...instance('bi-1'), selector: 'bi-*' };
    const other = { ...instance('bi-2'), selector: 'x-*' };
    const sel = (pattern: string) => ({ region: REGION, projectId: P1, pattern, prune: false, systemRules: [], riskRules: [], source: { file: 'f', line: 1, col: 1 } });
    const all = { ...desired([instance('a'), instance('b'), matched, other], [task('risk', true)]), selectors: [sel('bi-*'), sel('x-*')] };
    const narrowed = narrowToTargets(all as never, new Set([A, `${REGION}/${P1}/bi-1`]));
    expect(narrowed.instances.map((i) => (i.ref.kind === 'name' ? i.ref.name : ''))).toEqual(['a', 'bi-1']);
    expect(narrowed.summaryTasks).toEqual([]);
    expect((narrowed.selectors ?? []).map((s) => s.pattern)).toEqual(['bi-*']);
    expect(narrowToTargets(all as never, new Set([`${REGION}/${P1}`])).summaryTasks.map((t) => t.busiType)).toEqual(['risk']);
    expect(narrowToTargets({ instances: [], summaryTasks: [] }, new Set()).selectors).toEqual([]);
  });
});

describe('CoverageGuard', () => {
  const create = { id: 'c', kind: 'create', target: A, rule: 'keep-v2', after: {}, review } as unknown as Change;
  const update = { id: 'u', kind: 'update', target: A, rule: 'other', review } as unknown as Change;
  const deletion = del(A, 'keep');

  it('lets deletes run when every create and update applied, and ignores other kinds', () => {
    const g = new CoverageGuard();
    g.finished(create, 'applied');
    g.finished(update, 'applied');
    g.finished(sw(A, 'ON'), 'failed');
    g.finished(del(A, 'z'), 'failed');
    expect(g.blocks(deletion)).toBeUndefined();
    expect(g.blocks(create)).toBeUndefined();
  });

  it('blocks deletes after a failed or unsent create or update, naming the first and counting the rest', () => {
    const g = new CoverageGuard();
    g.finished(update, 'failed');
    expect(g.blocks(deletion)).toBe('update of other failed; deleting keep now would lose coverage');
    expect(g.blocks(sw(A, 'OFF'))).toBeUndefined();
    g.finished(create, 'not-attempted');
    g.finished(create, 'skipped');
    expect(g.blocks(deletion)).toBe('update of other failed (and 2 more); deleting keep now would lose coverage');
    const h = new CoverageGuard();
    h.finished(create, 'skipped');
    expect(h.blocks(deletion)).toBe('create of keep-v2 was skipped; deleting keep now would lose coverage');
  });
});

describe('the comparison, case by case', () => {
  it('sorts object keys by code unit at every depth, and compares values whole when one side is not an object of the same kind', () => {
    expect(canonicalJson({ b: { z: 1, Z: 2, a: [{ y: 1, x: 2 }] }, a: null })).toBe('{"a":null,"b":{"Z":2,"a":[{"x":2,"y":1}],"z":1}}');
    expect(firstDifference({ b: 1, a: 1 }, { b: 2, a: 2 })).toBe('a: the plan file has 1, a fresh plan has 2');
    expect(firstDifference({ name: 'ab' }, { name: 'ac' })).toBe('name: the plan file has "ab", a fresh plan has "ac"');
    expect(firstDifference(null, { a: 1 })).toBe('(whole value): the plan file has null, a fresh plan has {"a":1}');
    expect(firstDifference({ a: 1 }, 'x')).toBe('(whole value): the plan file has {"a":1}, a fresh plan has "x"');
    expect(firstDifference([1], { 0: 2 })).toBe('(whole value): the plan file has [1], a fresh plan has {"0":2}');
    expect(firstDifference({ rules: [{ id: 'a' }, { id: 'b' }] }, { rules: [{ id: 'a' }, { id: 'c' }] })).toBe('rules[1].id: the plan file has "b", a fresh plan has "c"');
  });

  it('names the first target in sorted order, with every error of a target that cannot be planned', () => {
    const saved = plan({ changes: [del(B, 'y'), del(A, 'x')] });
    expect(savedPlanMismatch(saved, plan({ targets: [], errors: [{ target: A, message: 'gone' }, { target: A, message: 'again' }, { target: B, message: 'b' }] }))).toBe(`target ${A} cannot be planned now (gone; again)`);
    // a hand-edited file may list its targets in any order
    const reordered = plan({ targets: [target(B), target(A)] });
    expect(savedPlanMismatch(reordered, plan({ targets: [] }))).toBe(`target ${A} cannot be planned now`);
  });

  it('names the first missing refusal in canonical order', () => {
    const saved = plan({ changes: [del(A, 'x')] });
    const fresh = plan({ changes: [del(A, 'x')], refusals: [{ target: A, message: 'z: too many' }, { target: A, message: 'a: too many' }] });
    expect(savedPlanMismatch(saved, fresh)).toBe(`a fresh plan refuses ${A} ("a: too many"), which the plan file does not say`);
  });

  it('narrowing keeps a selector only where a targeted instance was found by that pattern in the same region and project', () => {
    const sel = (region: string, projectId: string, pattern: string) => ({ region, projectId, pattern, prune: false, systemRules: [], riskRules: [], source: { file: 'f', line: 1, col: 1 } });
    const found = { ...instance('bi-1'), selector: 'bi-*' };
    const all = { ...desired([found], []), selectors: [sel(REGION, P1, 'bi-*'), sel('cn-east-3', P1, 'bi-*'), sel(REGION, 'f'.repeat(32), 'bi-*'), sel(REGION, P1, 'x-*')] };
    const narrowed = narrowToTargets(all as never, new Set([`${REGION}/${P1}/bi-1`]));
    expect((narrowed.selectors ?? []).map((s) => `${s.region}/${s.projectId}/${s.pattern}`)).toEqual([`${REGION}/${P1}/bi-*`]);
  });
});
