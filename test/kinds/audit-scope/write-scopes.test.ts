import { describe, expect, it } from 'vitest';
import { DbssApiError } from '../../../src/api/errors.js';
import { EMULATED_AUDIT_SCOPES } from '../../../src/kinds/audit-scope/emulator.js';
import { AUDIT_SCOPE_KIND as kind } from '../../../src/kinds/audit-scope/index.js';
import type { Json, KindChangeDraft } from '../../../src/kinds/kind.js';
import type { Harness } from './harness.js';
import { applyOnce, desiredOf, harness, TARGET } from './harness.js';

/** The calls audit-scope writes send, under the readings that change them. */

const calls = (h: Harness, from = 0): string[] => h.sent.slice(from).map((c) => `${c.operation} ${c.status}${c.body && typeof c.body === 'object' && 'status' in c.body ? ` ${String((c.body as { status: Json }).status)}` : ''}`);

async function withScopes(options: { readonly [o: string]: string }, scopes: { readonly [k: string]: Json }[]): Promise<Harness> {
  const h = harness(EMULATED_AUDIT_SCOPES, options);
  await applyOnce(kind, h, desiredOf(kind, { audit_scopes: scopes }));
  return h;
}

const planOf = async (h: Harness, values: { readonly [k: string]: Json }, prune = false): Promise<readonly KindChangeDraft[]> =>
  kind.plan(desiredOf(kind, values, prune), await kind.read(h.api, TARGET)).changes;

describe('editing an enabled scope', () => {
  it('is sent as it is when the API allows it', async () => {
    const h = await withScopes({ scopeEditEnabled: 'allowed' }, [{ name: 'a' }]);
    const [update] = await planOf(h, { audit_scopes: [{ name: 'a', db_users: ['app'] }] });
    const from = h.sent.length;
    await kind.write(h.api, TARGET, update!);
    expect(calls(h, from)).toEqual(['UpdateAuditScopeRule 200']);
  });

  it('when refused: switched OFF, edited, switched back ON', async () => {
    const h = await withScopes({ scopeEditEnabled: 'refused' }, [{ name: 'a' }]);
    const [update] = await planOf(h, { audit_scopes: [{ name: 'a', db_users: ['app'] }] });
    const from = h.sent.length;
    await kind.write(h.api, TARGET, update!);
    expect(calls(h, from)).toEqual(['UpdateAuditScopeRule 400', 'ListAuditRuleScopesNew 200', 'SetAuditScopeRuleSwitch 200 OFF', 'UpdateAuditScopeRule 200', 'SetAuditScopeRuleSwitch 200 ON']);
    const scope = (await kind.read(h.api, TARGET)).objects.find((o) => o.key === 'a');
    expect(scope?.spec).toMatchObject({ db_users: ['app'], status: 'ON' });
  });

  it('when refused and declared OFF: switched OFF, edited, left OFF', async () => {
    const h = await withScopes({ scopeEditEnabled: 'refused' }, [{ name: 'a' }]);
    const changes = await planOf(h, { audit_scopes: [{ name: 'a', db_users: ['app'], status: 'OFF' }] });
    const from = h.sent.length;
    await kind.write(h.api, TARGET, changes.find((c) => c.op === 'update')!);
    expect(calls(h, from)).toEqual(['UpdateAuditScopeRule 400', 'ListAuditRuleScopesNew 200', 'SetAuditScopeRuleSwitch 200 OFF', 'UpdateAuditScopeRule 200']);
  });

  it('when refused again after switching OFF: switched back ON, and the error is raised', async () => {
    const h = await withScopes({ scopeEditEnabled: 'refused' }, [{ name: 'a' }, { name: 'b' }]);
    const [update] = await planOf(h, { audit_scopes: [{ name: 'a', db_users: ['app'] }] });
    // renaming onto b's name: the second try is refused too (FAILED)
    const from = h.sent.length;
    await expect(kind.write(h.api, TARGET, { ...update!, subject: 'b' })).rejects.toThrow(DbssApiError);
    expect(calls(h, from)).toEqual(['UpdateAuditScopeRule 400', 'ListAuditRuleScopesNew 200', 'SetAuditScopeRuleSwitch 200 OFF', 'UpdateAuditScopeRule 200', 'SetAuditScopeRuleSwitch 200 ON']);
    expect((await kind.read(h.api, TARGET)).objects.find((o) => o.key === 'a')?.spec.status).toBe('ON');
  });

  it('a refused edit of a scope that is OFF is not retried', async () => {
    const h = await withScopes({ scopeEditEnabled: 'refused' }, [{ name: 'a', status: 'OFF' }, { name: 'b', status: 'OFF' }]);
    const [update] = await planOf(h, { audit_scopes: [{ name: 'a', db_users: ['app'], status: 'OFF' }] });
    const from = h.sent.length;
    await expect(kind.write(h.api, TARGET, { ...update!, subject: 'b' })).rejects.toMatchObject({ kind: 'business' });
    expect(calls(h, from)).toEqual(['UpdateAuditScopeRule 200', 'ListAuditRuleScopesNew 200']);
  });

  it('when refused: a delete switches the scope OFF first', async () => {
    const h = await withScopes({ scopeEditEnabled: 'refused' }, [{ name: 'a' }]);
    const [del] = await planOf(h, { audit_scopes: [] }, true);
    const from = h.sent.length;
    await kind.write(h.api, TARGET, del!);
    expect(calls(h, from)).toEqual(['DeleteAuditScope 400', 'ListAuditRuleScopesNew 200', 'SetAuditScopeRuleSwitch 200 OFF', 'DeleteAuditScope 200']);
    expect((await kind.read(h.api, TARGET)).objects.filter((o) => !o.builtIn)).toEqual([]);
  });
});

describe('the spelling of all databases', () => {
  it('is the SDK comment\'s while the API takes it', async () => {
    const h = harness(EMULATED_AUDIT_SCOPES, { scopeAllDatabases: 'plain' });
    await applyOnce(kind, h, desiredOf(kind, { audit_scopes: [{ name: 'a' }] }));
    expect(h.sent.filter((c) => c.operation === 'CreateAuditScopeRule').map((c) => [c.status, c.body])).toEqual([[200, expect.objectContaining({ db_ids: '[ALL]', db_names: '[全部数据库]' })]]);
  });

  it('when refused, is learned from the list and used for the rest of the run', async () => {
    const h = harness(EMULATED_AUDIT_SCOPES, { scopeAllDatabases: 'plain', scopeAllDatabasesWrite: 'listed' });
    const cycle = await applyOnce(kind, h, desiredOf(kind, { audit_scopes: [{ name: 'a' }, { name: 'b', databases: { ids: ['d1'] } }, { name: 'c' }] }));
    expect(cycle.next.changes).toEqual([]);
    expect(h.sent.filter((c) => c.operation === 'CreateAuditScopeRule').map((c) => [c.status, (c.body as { db_ids: string }).db_ids])).toEqual([
      [400, '[ALL]'],
      [200, 'ALL'],
      [200, 'd1'],
      [200, 'ALL'],
    ]);
    expect(cycle.plan.notes).toContain('all databases listed as db_ids "ALL", db_names "全部数据库"');
  });
});

describe('creating a scope', () => {
  it.each([
    ['ON', 'ON', []],
    ['ON', 'OFF', ['SetAuditScopeRuleSwitch 200 OFF']],
    ['OFF', 'ON', ['SetAuditScopeRuleSwitch 200 ON']],
    ['OFF', 'OFF', []],
  ])('created %s, declared %s: switched only when they differ', async (created, declared, switched) => {
    const h = harness(EMULATED_AUDIT_SCOPES, { scopeCreatedStatus: created });
    const [create] = await planOf(h, { audit_scopes: [{ name: 'a', status: declared }] });
    await kind.write(h.api, TARGET, create!);
    expect(calls(h)).toEqual(['ListAuditRuleScopesNew 200', 'CreateAuditScopeRule 200', 'ListAuditRuleScopesNew 200', ...switched]);
    expect((await kind.read(h.api, TARGET)).objects.find((o) => o.key === 'a')?.spec.status).toBe(declared);
  });

  it('a lost create answer is not resent when the listing shows the scope', async () => {
    const h = harness(EMULATED_AUDIT_SCOPES);
    h.loseNext.add('CreateAuditScopeRule');
    const cycle = await applyOnce(kind, h, desiredOf(kind, { audit_scopes: [{ name: 'a' }] }));
    expect(h.sent.filter((c) => c.operation === 'CreateAuditScopeRule')).toHaveLength(1);
    expect(cycle.live.objects.filter((o) => o.key === 'a')).toHaveLength(1);
    expect(cycle.next.changes).toEqual([]);
  });

  it('a created scope the list shows late is found over the settle window', async () => {
    const h = harness(EMULATED_AUDIT_SCOPES, { scopeCreatedStatus: 'OFF' }, { lagMs: 2500 });
    const cycle = await applyOnce(kind, h, desiredOf(kind, { audit_scopes: [{ name: 'late' }] }));
    expect(cycle.live.objects.find((o) => o.key === 'late')?.spec.status).toBe('ON');
    expect(h.sent.filter((c) => c.operation === 'CreateAuditScopeRule')).toHaveLength(1);
  });

  it('a lost switch answer is decided by the read-back', async () => {
    const h = await withScopes({}, [{ name: 'a' }]);
    h.loseNext.add('SetAuditScopeRuleSwitch');
    const cycle = await applyOnce(kind, h, desiredOf(kind, { audit_scopes: [{ name: 'a', status: 'OFF' }] }));
    expect(cycle.next.changes).toEqual([]);
  });
});

describe('a no-change plan', () => {
  it.each([
    ['full', 3],
    ['sparse', 4],
  ])('costs the list pages only (%s list: %i pages of 2 for 6 scopes)', async (fields, pages) => {
    const names = ['a', 'b', 'c', 'd', 'e'];
    const h = harness(EMULATED_AUDIT_SCOPES, { scopeListFields: fields }, { pageSize: 2 });
    const desired = desiredOf(kind, { full_audit: 'OFF', audit_scopes: names.map((name) => ({ name })) });
    await applyOnce(kind, h, desired);
    const from = h.sent.length;
    expect(kind.plan(desired, await kind.read(h.api, TARGET)).changes).toEqual([]);
    expect(calls(h, from)).toEqual(Array.from({ length: pages }, () => 'ListAuditRuleScopesNew 200'));
  });
});
