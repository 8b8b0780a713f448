import { describe, expect, it } from 'vitest';
import { EMULATED_AUDIT_SCOPES } from '../../../src/kinds/audit-scope/emulator.js';
import { AUDIT_SCOPE_KIND as kind } from '../../../src/kinds/audit-scope/index.js';
import type { Json } from '../../../src/kinds/kind.js';
import { applyOnce, desiredOf, harness } from './harness.js';

/**
 * Audit scopes converge under every reading of the open points (each option value on its own,
 * and each named profile's bundle): one apply brings the live scopes to the declared ones, the
 * next plan is empty, export plans empty, and names with quotes, newlines and unicode survive.
 */

const HOSTILE = ['quote "double" and \'single\'', 'line\nbreak', 'ünïcödé 审计范围 🚀', 'tab\there, comma, too'];

const first: { readonly [k: string]: Json } = {
  full_audit: 'OFF',
  audit_scopes: [
    { name: HOSTILE[0]!, actions: ['SELECT', 'LOGIN'], db_users: ['app'], source_ports: [3306] },
    { name: HOSTILE[1]!, databases: { ids: ['db-1', 'db-2'], names: ['orders'] }, source_ips: ['10.0.0.1', '10.0.0.0/24'], status: 'OFF' },
    { name: HOSTILE[2]!, exception_ips: ['10.0.0.9'] },
    { name: HOSTILE[3]!, databases: 'ALL' },
  ],
};

const second: { readonly [k: string]: Json } = {
  full_audit: 'ON',
  audit_scopes: [
    // widened to every database and operation, switched OFF
    { name: HOSTILE[0]!, db_users: ['app', 'report'], source_ports: ['3306', '3307'], status: 'OFF' },
    // narrowed from ALL, switched ON
    { name: HOSTILE[1]!, databases: { names: ['orders'] } },
    // a new one; HOSTILE[3] is pruned
    { name: 'created later', databases: { ids: ['db-3'] }, actions: ['DELETE'], status: 'OFF' },
    { name: HOSTILE[2]!, exception_ips: [] },
  ],
};

const readings: [string, { readonly [o: string]: string }][] = [
  ...Object.entries(EMULATED_AUDIT_SCOPES.options).flatMap(([option, values]) => values.map((v): [string, { [o: string]: string }] => [`${option}=${v}`, { [option]: v }])),
  ...Object.entries(EMULATED_AUDIT_SCOPES.profiles).map(([name, options]): [string, { readonly [o: string]: string }] => [`profile ${name}`, options]),
];

describe('audit scopes converge under every reading', () => {
  it.each(readings)('%s', async (_, options) => {
    const h = harness(EMULATED_AUDIT_SCOPES, options, { pageSize: 2 });
    const builtInListed = options.scopeBuiltInName !== 'absent';
    // with no built-in scope, full_audit cannot be declared ON: leave it out of that reading
    const without = (values: { readonly [k: string]: Json }): { readonly [k: string]: Json } => (builtInListed ? values : { audit_scopes: values.audit_scopes! });

    const one = await applyOnce(kind, h, desiredOf(kind, without(first), true));
    expect(one.plan.changes.filter((c) => c.op === 'create').map((c) => c.subject).sort()).toEqual([...HOSTILE].sort());
    expect(one.next.changes).toEqual([]);
    const customs = one.live.objects.filter((o) => !o.builtIn);
    expect(customs.map((o) => o.key).sort()).toEqual([...HOSTILE].sort());
    expect(customs.find((o) => o.key === HOSTILE[1])?.spec.status).toBe('OFF');
    if (builtInListed) expect(one.live.settings.full_audit).toBe('OFF');

    const two = await applyOnce(kind, h, desiredOf(kind, without(second), true));
    expect(two.plan.changes.map((c) => `${c.op} ${c.subject}`).sort()).toEqual(
      [
        `create created later`,
        `delete ${HOSTILE[3]}`,
        `update ${HOSTILE[0]}`,
        `update ${HOSTILE[1]}`,
        `update ${HOSTILE[2]}`,
        'switch OFF',
        'switch ON',
        ...(builtInListed ? ['switch full_audit'] : []),
      ].sort(),
    );
    expect(two.next.changes).toEqual([]);
    expect(two.live.objects.filter((o) => !o.builtIn).map((o) => o.key).sort()).toEqual(['created later', HOSTILE[0], HOSTILE[1], HOSTILE[2]].sort());

    // export of the live state plans nothing
    const exported = kind.export(two.live);
    expect(kind.plan(desiredOf(kind, exported, true), two.live).changes).toEqual([]);
  });
});
