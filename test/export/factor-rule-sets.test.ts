import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ReadableRuleSpec } from '../../src/domain.js';
import { factorRuleSets } from '../../src/export/factor-rule-sets.js';
import { EXCEPTION_IPS_NOTE, EXCEPTION_IPS_SET_NOTE, renderPolicyYaml } from '../../src/export/policy-yaml.js';
import type { InstanceExport, ProjectExport } from '../../src/export/types.js';
import { normaliseRule } from '../../src/plan/normalise.js';
import { content, freeText, instance, load, project, rule, rules, systemSwitches } from './export-builders.js';

const SET = (n: number): string => `0f1e2d3c-shared-${n}`;
const named = (name: string, ...ruleNames: string[]): InstanceExport =>
  instance({ id: name.padEnd(32, '0'), name, riskRules: ruleNames.map((r) => rule(r)) });
const names = (rs: readonly ReadableRuleSpec[]): string[] => rs.map((r) => r.name);

describe('factorRuleSets', () => {
  it('turns the rules several instances start with into sets, splitting where their lists part', () => {
    const p = project({
      instances: [
        named('a', 'r1', 'r2', 'r3', 'x'),
        named('b', 'r1', 'r2', 'r3', 'y'),
        named('c', 'r1', 'r2', 'z'),
        named('d', 'q', 'r1'),
        named('e', 'q', 'r1', 'r2'),
      ],
    });
    const f = factorRuleSets(p);
    expect(f.ruleSets.map((s) => [s.name, s.usedBy, names(s.riskRules)])).toEqual([
      [SET(1), ['a', 'b', 'c'], ['r1', 'r2']],
      [SET(2), ['a', 'b'], ['r3']],
      [SET(3), ['d', 'e'], ['q', 'r1']],
    ]);
    expect(f.instances.map((i) => [i.name, i.use, names(i.riskRules)])).toEqual([
      ['a', [SET(1), SET(2)], ['x']],
      ['b', [SET(1), SET(2)], ['y']],
      ['c', [SET(1)], ['z']],
      ['d', [SET(3)], []],
      ['e', [SET(3)], ['r2']],
    ]);
  });

  it('compares whole rule content as the planner does, not names', () => {
    const spelled = rule('r1', { actions: ['SELECT', 'DELETE'], clientIps: ['2001:DB8::1'] });
    const same = rule('r1', { actions: ['delete', 'SELECT'], clientIps: ['2001:db8:0::1'] });
    const factored = factorRuleSets(project({ instances: [instance({ name: 'a', riskRules: [spelled] }), instance({ name: 'b', riskRules: [same] })] }));
    expect(factored.ruleSets).toHaveLength(1);
    expect(factored.ruleSets[0]!.riskRules).toEqual([spelled]); // the first instance's spelling

    const other = rule('r1', { actions: ['SELECT', 'DELETE'], clientIps: ['2001:DB8::1'], riskLevel: 'LOW' });
    const p = project({ instances: [instance({ name: 'a', riskRules: [spelled] }), instance({ name: 'b', riskRules: [other] })] });
    expect(factorRuleSets(p)).toBe(p);
  });

  it('leaves the project as it is when no two instances start with the same rule', () => {
    const cases = [
      [named('a', 'r1', 'r2')],
      [named('a', 'r1', 'shared'), named('b', 'r2', 'shared')], // shared, but not as a prefix: order would change
      [named('a'), named('b')],
    ];
    for (const instances of cases) {
      const p = project({ instances });
      expect(factorRuleSets(p)).toBe(p);
    }
  });

  it('moves the system rule switches all users of a first set have into it, and refers to id-only instances by id', () => {
    const on = (name: string) => ({ name, status: 'ON' as const });
    const p = project({
      instances: [
        instance({ name: 'a', systemRules: [on('Database_drag_detection'), on('Slow_SQL_detection')], riskRules: [rule('r1'), rule('r2')] }),
        instance({ id: 'b'.repeat(32), name: 'twin', ref: 'id', systemRules: [on('Database_drag_detection'), { name: 'Slow_SQL_detection', status: 'OFF' }], riskRules: [rule('r1'), rule('r2')] }),
        instance({ name: 'c', systemRules: [on('Database_drag_detection')], riskRules: [rule('r1'), rule('r2'), rule('r3')] }),
        instance({ name: 'd', systemRules: [on('Slow_SQL_detection')], riskRules: [rule('r1'), rule('r2'), rule('r3')] }),
      ],
    });
    const f = factorRuleSets(p);
    expect(f.ruleSets.map((s) => [s.usedBy, s.systemRules])).toEqual([
      [['a', 'b'.repeat(32), 'c', 'd'], []],
      [['c', 'd'], []],
    ]);
    const q = project({ instances: p.instances.slice(0, 3) });
    const g = factorRuleSets(q);
    expect(g.ruleSets[0]!.systemRules).toEqual([on('Database_drag_detection')]);
    expect(g.instances.map((i) => i.systemRules)).toEqual([[on('Slow_SQL_detection')], [{ name: 'Slow_SQL_detection', status: 'OFF' }], []]);
  });
});

/** A pool of rules, and instances that each take a prefix of it, then some of the rest in any order (one maybe changed). */
const sharingProjects = rules
  .filter((pool) => pool.length > 0)
  .chain((pool) => {
    const indexes = pool.map((_, n) => n);
    const inst = fc.record({
      cut: fc.nat(pool.length),
      tail: fc.shuffledSubarray(indexes),
      changed: fc.option(fc.tuple(fc.nat(pool.length - 1), content), { nil: undefined }),
      systemRules: systemSwitches,
    });
    return fc.tuple(fc.constant(pool), fc.uniqueArray(fc.tuple(freeText, inst), { selector: ([name]) => name, minLength: 1, maxLength: 5 }));
  })
  .map(([pool, specs]): ProjectExport => {
    const instances = specs.map(([name, { cut, tail, changed, systemRules }], n) => {
      const picked = [...pool.slice(0, cut), ...tail.filter((t) => t >= cut).map((t) => pool[t]!)];
      const riskRules = picked.map((r) => (changed && r === pool[changed[0]] ? { ...changed[1], name: r.name } : r));
      return instance({ id: String(n).padStart(32, '0'), name, systemRules, riskRules });
    });
    return project({ instances });
  });

describe('a factored export, read back', () => {
  it('gives every instance exactly its rules, in order, from sets that each save a rule', () => {
    fc.assert(
      fc.property(sharingProjects, (p) => {
        const f = factorRuleSets(p);
        const loaded = load(renderPolicyYaml(f));
        expect(loaded.diagnostics).toEqual([]);
        loaded.desired.instances.forEach((d, n) => {
          const source = p.instances[n]!;
          expect(d.riskRules.map(normaliseRule)).toEqual(source.riskRules.map(normaliseRule));
          const switches = d.systemRules.map((s) => ({ name: s.name, status: s.status }));
          expect(switches.sort((a, b) => a.name.localeCompare(b.name))).toEqual([...source.systemRules].sort((a, b) => a.name.localeCompare(b.name)));
        });
        for (const set of f.ruleSets) {
          expect(set.usedBy.length).toBeGreaterThanOrEqual(2);
          expect(set.riskRules.length).toBeGreaterThanOrEqual(1);
        }
        const entries = (x: ProjectExport) => [...x.instances, ...x.ruleSets].reduce((k, i) => k + i.riskRules.length, 0);
        if (f.ruleSets.length > 0) expect(entries(f)).toBeLessThan(entries(p));
        else expect(f).toBe(p);
      }),
      { numRuns: 150 },
    );
  });

  it('writes the sets before the instances that use them, with the exception_ips reminder on every rule', () => {
    const users = ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((n) => named(n, 'r1', 'r2', `own-${n}`));
    const text = renderPolicyYaml(factorRuleSets(project({ instances: users })));
    expect(text).toContain('\n# - rule_sets hold the rules several instances have identically (--factor)');
    expect(text.indexOf('rule_sets:')).toBeLessThan(text.indexOf('instances:'));
    expect(text).toContain(`rule_sets:\n  ${SET(1)}:\n    description: Rules that a, b, c, d, e and 2 more have identically`);
    expect(text.match(new RegExp(`prune: false #.*\\n {4}use: \\[${SET(1)}\\]\\n {4}risk_rules:\\n {6}- name: own-`, 'g'))).toHaveLength(7);
    expect(text.split(`#${EXCEPTION_IPS_SET_NOTE}`)).toHaveLength(3);
    expect(text.split(`#${EXCEPTION_IPS_NOTE}`)).toHaveLength(8);
    expect(text.match(/- name: r1$/gm)).toHaveLength(1);
  });
});
