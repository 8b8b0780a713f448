import { describe, expect, it } from 'vitest';
import { AUDIT_SCOPE_KIND as kind } from '../../../src/kinds/audit-scope/index.js';
import { specJson } from '../../../src/kinds/audit-scope/scope-spec.js';
import type { ScopeSpec } from '../../../src/kinds/audit-scope/scope-spec.js';
import type { Json, KindValues, LiveKind, LiveObject } from '../../../src/kinds/kind.js';
import { desiredOf } from './harness.js';

/** Planning audit scopes: what weakens, the full-audit switch and its notes, prune, rule sets. */

const spec = (over: Partial<ScopeSpec> = {}): ScopeSpec => ({
  databases: 'ALL',
  actions: [],
  db_users: [],
  source_ips: [],
  source_ports: [],
  exception_ips: [],
  status: 'ON',
  ...over,
});

const custom = (id: string, name: string, over: Partial<ScopeSpec> = {}): LiveObject => ({ id: `scope-${id}-0123456789`, key: name, builtIn: false, spec: specJson(spec(over)) });
const fullAudit = (status: 'ON' | 'OFF'): LiveObject => ({ id: 'builtin-0123456789ab', key: '全审计规则', builtIn: true, spec: specJson(spec({ status })) });
const live = (...objects: LiveObject[]): LiveKind => ({ objects, settings: {}, observations: [] });

const weakeningOf = (values: { readonly [k: string]: Json }, state: LiveKind): string[] =>
  kind.plan(desiredOf(kind, values), state).changes.flatMap((c) => c.weakening ?? []);

describe('audit scope weakening', () => {
  it('narrowing databases, users, addresses, ports or operations weakens; widening does not', () => {
    const state = live(custom('a', 'a', { databases: { ids: ['d1', 'd2'], names: ['n1'] }, actions: ['SELECT', 'DELETE'], db_users: ['u1'], source_ips: ['10.0.0.1'], source_ports: ['1', '2'] }));
    const narrowed = weakeningOf({ audit_scopes: [{ name: 'a', databases: { ids: ['d1'] }, actions: ['SELECT'], db_users: ['u1'], source_ips: ['10.0.0.1'], source_ports: ['1'] }] }, state);
    expect(narrowed).toEqual([
      'audit scope databases no longer audited: id "d2", name "n1"',
      'audit scope actions no longer audited: "DELETE"',
      'audit scope source_ports no longer audited: "2"',
    ]);
    const widened = weakeningOf({ audit_scopes: [{ name: 'a', databases: 'ALL', actions: [], db_users: ['u1', 'u2'], source_ports: ['1', '2', '3'] }] }, state);
    expect(widened).toEqual([]);
  });

  it('from all databases or any user to a list weakens; more exception IPs weakens, fewer does not', () => {
    const state = live(custom('a', 'a', { exception_ips: ['10.0.0.9'] }));
    expect(weakeningOf({ audit_scopes: [{ name: 'a', databases: { names: ['orders'] }, db_users: ['app'], exception_ips: ['10.0.0.9', '10.0.0.8'] }] }, state)).toEqual([
      'audit scope databases narrowed from all databases to ids [], names ["orders"]',
      'audit scope db_users narrowed from any to "app"',
      'audit scope exception_ips added (no longer audited): "10.0.0.8"',
    ]);
    expect(weakeningOf({ audit_scopes: [{ name: 'a' }] }, state)).toEqual([]);
  });

  it('switching a scope OFF and deleting one weaken', () => {
    const state = live(custom('a', 'a'), custom('b', 'b'));
    expect(kind.plan(desiredOf(kind, { audit_scopes: [{ name: 'a', status: 'OFF' }] }, true), state).changes.flatMap((c) => c.weakening ?? [])).toEqual([
      'audit scope "a" switched OFF',
      'audit scope "b" deleted',
    ]);
  });
});

describe('full audit', () => {
  it('is switched by full_audit through the scope switch call of the all_audit scope, whatever its name', () => {
    const plan = kind.plan(desiredOf(kind, { full_audit: 'OFF', audit_scopes: [{ name: 'a' }] }), live(fullAudit('ON'), custom('a', 'a')));
    expect(plan.changes).toEqual([
      expect.objectContaining({ op: 'switch', subject: 'full_audit', ids: ['builtin-0123456789ab'], payload: { status: 'OFF', keys: ['全审计规则'] }, weakening: [] }),
    ]);
    expect(plan.problems).toEqual([]);
  });

  it('switching it OFF weakens when no custom scope is ON afterwards', () => {
    const state = live(fullAudit('ON'), custom('a', 'a', { status: 'OFF' }));
    expect(weakeningOf({ full_audit: 'OFF' }, state)).toEqual(['full audit switched OFF while no custom audit scope is ON']);
    expect(weakeningOf({ full_audit: 'OFF', audit_scopes: [{ name: 'a' }] }, state)).toEqual([]);
  });

  it('notes that custom scopes declared ON have no effect while full audit is ON (declared or live)', () => {
    const note = 'full audit is ON, so these custom audit scopes have no effect (the built-in full-audit scope takes priority): "a"';
    expect(kind.plan(desiredOf(kind, { audit_scopes: [{ name: 'a' }, { name: 'b', status: 'OFF' }] }), live(fullAudit('ON'))).notes).toContain(note);
    expect(kind.plan(desiredOf(kind, { full_audit: 'ON', audit_scopes: [{ name: 'a' }] }), live(fullAudit('OFF'))).notes).toContain(note);
    expect(kind.plan(desiredOf(kind, { full_audit: 'OFF', audit_scopes: [{ name: 'a' }] }), live(fullAudit('ON'))).notes).not.toContain(note);
  });

  it('without a listed full-audit scope: ON is a problem, OFF a note', () => {
    expect(kind.plan(desiredOf(kind, { full_audit: 'ON' }), live()).problems).toEqual([
      'full_audit: ON is declared, but no built-in full-audit scope is listed (no scope has all_audit true)',
    ]);
    const off = kind.plan(desiredOf(kind, { full_audit: 'OFF' }), live());
    expect(off.problems).toEqual([]);
    expect(off.changes).toEqual([]);
    expect(off.notes).toContain('full_audit: OFF is declared, but no built-in full-audit scope is listed (no scope has all_audit true); nothing to switch');
  });

  it('two all_audit scopes cannot be told apart: a problem', () => {
    const other = { ...fullAudit('ON'), id: 'builtin-other-012345', key: 'Full audit rule' };
    expect(kind.plan(desiredOf(kind, { full_audit: 'OFF' }), live(fullAudit('ON'), other)).problems).toEqual([
      '2 scopes are listed with all_audit true ("全审计规则", "Full audit rule"): which one is the full-audit scope cannot be told',
    ]);
  });

  it('a built-in scope declared as a custom one is a problem; it is never updated or deleted', () => {
    const plan = kind.plan(desiredOf(kind, { audit_scopes: [{ name: '全审计规则', db_users: ['x'] }] }, true), live(fullAudit('ON')));
    expect(plan.problems).toEqual(['audit scope "全审计规则" is declared as a custom one, but a built-in audit scope has that name (built-in ones can only be switched)']);
    expect(plan.changes).toEqual([]);
  });
});

describe('declared scopes', () => {
  it('prune deletes undeclared custom scopes only when audit_scopes is declared', () => {
    const state = live(fullAudit('ON'), custom('a', 'a'));
    expect(kind.plan(desiredOf(kind, { full_audit: 'ON' }, true), state).changes).toEqual([]);
    expect(kind.plan(desiredOf(kind, { audit_scopes: [] }, true), state).changes.map((c) => `${c.op} ${c.subject}`)).toEqual(['delete a']);
  });

  it("a rule set's scopes come first; the entry's scope of the same name replaces it; lists compare as sets", () => {
    const at = (file: string): KindValues['at'] => (path) => ({ file, line: path.length, col: 1 });
    const desired = kind.desired(
      [
        { values: { audit_scopes: [{ name: 'a', db_users: ['x'] }, { name: 'b' }], full_audit: 'ON' }, at: at('sets.yaml'), ruleSet: { name: 'base', appliedAt: { file: 'p.yaml', line: 3, col: 5 } } },
        { values: { audit_scopes: [{ name: 'a', db_users: ['z', 'y', 'y'], source_ports: [22] }], full_audit: 'OFF' }, at: at('p.yaml') },
      ],
      false,
    )!;
    expect(desired.objects.map((o) => [o.key, o.source.file, o.source.ruleSet])).toEqual([
      ['a', 'p.yaml', undefined],
      ['b', 'sets.yaml', 'base'],
    ]);
    expect(desired.objects[0]!.spec).toMatchObject({ db_users: ['y', 'z'], source_ports: ['22'] });
    expect(desired.settings.full_audit?.value).toBe('OFF');
    expect(kind.plan(desired, live(custom('a', 'a', { db_users: ['z', 'y'], source_ports: ['22'] }), custom('b', 'b'))).changes).toEqual([]);
  });

  it('nothing declared: no desired state', () => {
    expect(kind.desired([{ values: {}, at: () => ({ file: 'p.yaml', line: 1, col: 1 }) }], true)).toBeUndefined();
  });
});
