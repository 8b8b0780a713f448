import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EXCEPTION_IPS_NOTE, PRUNE_NOTE, renderPolicyYaml } from '../../src/export/policy-yaml.js';
import { normaliseRule } from '../../src/plan/normalise.js';
import { exportedInstance, instance, load, project, rule } from './export-builders.js';

describe('renderPolicyYaml', () => {
  it('writes documents the loader reads back as the exported state (any names, values and symbols)', () => {
    const projects = fc.record({
      instances: fc.uniqueArray(exportedInstance, { selector: (i) => i.name, maxLength: 3 }),
      summaryTasks: fc.subarray([
        { busiType: 'risk' as const, enabled: true },
        { busiType: 'audit' as const, enabled: false },
      ]),
    });
    fc.assert(
      fc.property(projects, (p) => {
        const exported = project({ summaryTasks: p.summaryTasks, instances: p.instances.map((i) => instance({ ...i, notes: [] })) });
        const loaded = load(renderPolicyYaml(exported));
        const empty = p.instances.length === 0 && p.summaryTasks.length === 0;
        // An empty document (nothing could be exported) earns the loader's warning, nothing else.
        expect(loaded.diagnostics.map((d) => d.message)).toEqual(empty ? [expect.stringMatching(/^the document declares no instances/)] : []);
        const { instances, summaryTasks } = loaded.desired;
        expect(summaryTasks.map((t) => ({ busiType: t.busiType, enabled: t.enabled }))).toEqual(p.summaryTasks);
        expect(instances.map((i) => i.ref)).toEqual(p.instances.map((i) => ({ kind: 'name', name: i.name })));
        instances.forEach((d, n) => {
          const source = p.instances[n]!;
          expect(d.prune).toBe(false);
          expect(d.systemRules.map((s) => ({ name: s.name, status: s.status }))).toEqual(source.systemRules);
          expect(d.riskRules.map(normaliseRule)).toEqual(source.riskRules.map(normaliseRule));
          expect(d.riskRules.every((r) => r.exceptionIps.length === 0)).toBe(true);
        });
      }),
      { numRuns: 150 },
    );
  });

  it('starts with the schema comment when a path is given, and has none otherwise', () => {
    const text = renderPolicyYaml(project(), { schemaRef: '../../schemas/policy.schema.json' });
    expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=../../schemas/policy.schema.json');
    expect(renderPolicyYaml(project())).not.toContain('yaml-language-server');
  });

  it('reminds about exception_ips after every rule and about prune on every instance', () => {
    const text = renderPolicyYaml(
      project({
        instances: [
          instance({ riskRules: [rule('r1'), rule('r2', { status: 'OFF' })] }),
          instance({ id: 'b'.repeat(32), name: 'staging', riskRules: [rule('r3')] }),
        ],
      }),
    );
    expect(text.split(`#${EXCEPTION_IPS_NOTE}`)).toHaveLength(4);
    expect(text.split(`prune: false #${PRUNE_NOTE}`)).toHaveLength(3);
    expect(text).toMatch(/- name: r2\n\s+risk_level: HIGH\n\s+status: OFF\n\s+# exception_ips: write-only/);
  });

  it('keeps the schema key order and the given rule order', () => {
    const text = renderPolicyYaml(
      project({
        summaryTasks: [{ busiType: 'risk', enabled: true }],
        instances: [instance({ systemRules: [{ name: 'Slow_SQL_detection', status: 'OFF' }], riskRules: [rule('z'), rule('a')] })],
      }),
    );
    const keys = [...text.matchAll(/^\s*(?:- )?([a-z_A-Z]+):/gm)].map((m) => m[1]);
    expect(keys).toEqual(['version', 'region', 'project_id', 'summary_tasks', 'risk', 'instances', 'name', 'prune', 'system_rules', 'Slow_SQL_detection', 'risk_rules', 'name', 'risk_level', 'name', 'risk_level']);
    expect(text).toContain('risk: on');
    expect(text.indexOf('name: z')).toBeLessThan(text.indexOf('name: a'));
  });

  it('refers to an instance by id with its name in a comment, and lists what was left out', () => {
    const text = renderPolicyYaml(
      project({
        notes: ['instance "old" (x) is SHUTOFF: its rules cannot be read, so it is not exported'],
        instances: [instance({ ref: 'id', name: 'twin', notes: ['custom rule dup (id 1) has the name of another rule'] })],
      }),
    );
    expect(text).toContain(`- id: ${'a'.repeat(32)} # name "twin" is shared by several instances or not valid in a policy`);
    expect(text).toMatch(/^# Not exported:\n# - instance "old" \(x\) is SHUTOFF/m);
    expect(text).toMatch(/^ {2}# Not exported:\n {2}# - custom rule dup \(id 1\)/m);
    expect(load(text).desired.instances[0]!.ref).toEqual({ kind: 'id', id: 'a'.repeat(32) });
  });

  it('quotes free text that a YAML 1.1 reader would take for a boolean, number or null, and nothing else', () => {
    const names = ['yes', 'on', 'ON', 'n', '10:20', '1_000', 'plain-name', 'drop table'];
    const text = renderPolicyYaml(project({ instances: [instance({ riskRules: names.map((n) => rule(n, { dbIds: ['off'] })) })] }));
    for (const n of names.slice(0, 6)) expect(text).toContain(`- name: "${n}"`);
    expect(text).toContain('- name: plain-name');
    expect(text).toContain('- name: drop table');
    expect(text).toContain('db_ids: ["off"]');
    expect(text).not.toContain('risk_level: "');
  });
});
