import { describe, expect, it } from 'vitest';
import { EMULATED_AUDIT_SCOPES } from '../../../src/kinds/audit-scope/emulator.js';
import type { Json, KindCall } from '../../../src/kinds/kind.js';
import { harness, TARGET } from './harness.js';

/** The emulator's audit scopes under each reading of the open points (calls written out by hand). */

const LIST = '/v1/{project_id}/audit/{instance_id}/rule/scopes';
const list = (query: [string, string][] = []): KindCall => ({ operation: 'ListAuditRuleScopesNew', method: 'GET', path: LIST, query });
const create = (body: Json): KindCall => ({ operation: 'CreateAuditScopeRule', method: 'POST', path: LIST, body });
const update = (id: string, body: Json): KindCall => ({ operation: 'UpdateAuditScopeRule', method: 'POST', path: '/v3/{project_id}/audit/{instance_id}/rule/scopes/{id}', params: { id }, body });
const remove = (id: string): KindCall => ({ operation: 'DeleteAuditScope', method: 'DELETE', path: `${LIST}/{id}`, params: { id } });
const switchCall = (body: Json): KindCall => ({ operation: 'SetAuditScopeRuleSwitch', method: 'POST', path: '/v2/{project_id}/audit/{instance_id}/rule/scopes/switch', body });
const scope = (name: string, more: { readonly [k: string]: Json } = {}): Json => ({ rule_name: name, db_ids: 'd1', db_names: 'orders', ...more });

type Listed = { scopes: Record<string, unknown>[]; total?: number };

describe('the scope list', () => {
  it('by default lists the built-in full-audit scope: all_audit true, [ALL] / [全部数据库], ON, with a total', async () => {
    const h = harness(EMULATED_AUDIT_SCOPES);
    const answer = (await h.api.read(TARGET, list())) as Listed;
    expect(answer.total).toBe(1);
    expect(answer.scopes).toEqual([
      { id: expect.any(String), name: '全审计规则', action: '', status: 'ON', exception_ips: '', source_ips: '', source_ports: '', db_ids: '[ALL]', db_names: '[全部数据库]', db_users: '', all_audit: true },
    ]);
  });

  it.each([
    ['plain', 'ALL', '全部数据库'],
    ['english', '[ALL]', '[All databases]'],
  ])('spells all databases %s', async (reading, ids, names) => {
    const h = harness(EMULATED_AUDIT_SCOPES, { scopeAllDatabases: reading });
    await h.api.write(TARGET, create(scope('a', { db_ids: '[ALL]', db_names: '[全部数据库]' })));
    const { scopes } = (await h.api.read(TARGET, list())) as Listed;
    expect(scopes.map((s) => [s.db_ids, s.db_names])).toEqual([
      [ids, names],
      [ids, names],
    ]);
  });

  it('names the built-in scope in English, or does not list it at all', async () => {
    expect(((await harness(EMULATED_AUDIT_SCOPES, { scopeBuiltInName: 'english' }).api.read(TARGET, list())) as Listed).scopes[0]?.name).toBe('Full audit rule');
    expect(await harness(EMULATED_AUDIT_SCOPES, { scopeBuiltInName: 'absent' }).api.read(TARGET, list())).toEqual({ scopes: [], total: 0 });
  });

  it('sparse: no total, empty fields left out, all_audit "true" on the built-in scope only; Enabled/Disabled', async () => {
    const h = harness(EMULATED_AUDIT_SCOPES, { scopeListFields: 'sparse', scopeStatusWords: 'enabled', scopeCreatedStatus: 'OFF' });
    await h.api.write(TARGET, create(scope('a', { db_users: 'app' })));
    expect(await h.api.read(TARGET, list())).toEqual({
      scopes: [
        { id: expect.any(String), name: '全审计规则', status: 'Enabled', db_ids: '[ALL]', db_names: '[全部数据库]', all_audit: 'true' },
        { id: expect.any(String), name: 'a', status: 'Disabled', db_ids: 'd1', db_names: 'orders', db_users: 'app' },
      ],
    });
  });

  it('pages with offset/limit; a limit above 1000 or not a number is a 400', async () => {
    const h = harness(EMULATED_AUDIT_SCOPES);
    for (const name of ['a', 'b']) await h.api.write(TARGET, create(scope(name)));
    const page = (await h.api.read(TARGET, list([['offset', '1'], ['limit', '1']]))) as Listed;
    expect([page.scopes.map((s) => s.name), page.total]).toEqual([['a'], 3]);
    await expect(h.api.read(TARGET, list([['limit', '1001']]))).rejects.toMatchObject({ status: 400, errorCode: 'DBSS.10000001' });
    await expect(h.api.read(TARGET, list([['limit', 'x']]))).rejects.toMatchObject({ status: 400 });
  });
});

describe('scope writes', () => {
  it('create needs rule_name, db_ids and db_names as strings; a name in use answers FAILED', async () => {
    const h = harness(EMULATED_AUDIT_SCOPES);
    await expect(h.api.write(TARGET, create({ rule_name: 'a', db_names: 'x' }))).rejects.toMatchObject({ status: 400 });
    await expect(h.api.write(TARGET, create({ rule_name: 'a', db_ids: 1, db_names: 'x' }))).rejects.toMatchObject({ status: 400 });
    await expect(h.api.write(TARGET, create(scope('')))).rejects.toMatchObject({ status: 400 });
    await h.api.write(TARGET, create(scope('a')));
    await expect(h.api.write(TARGET, create(scope('a')))).rejects.toMatchObject({ kind: 'business' });
    await expect(h.api.write(TARGET, create(scope('全审计规则')))).rejects.toMatchObject({ kind: 'business' });
  });

  it('accepts only the listed spelling of all databases when so read', async () => {
    const h = harness(EMULATED_AUDIT_SCOPES, { scopeAllDatabases: 'plain', scopeAllDatabasesWrite: 'listed' });
    await expect(h.api.write(TARGET, create(scope('a', { db_ids: '[ALL]', db_names: '' })))).rejects.toMatchObject({ status: 400 });
    await h.api.write(TARGET, create(scope('a', { db_ids: 'ALL', db_names: '全部数据库' })));
  });

  it('the built-in scope can be switched, never edited or deleted; an unknown id is a 400 invalid id', async () => {
    const h = harness(EMULATED_AUDIT_SCOPES);
    const builtIn = String(((await h.api.read(TARGET, list())) as Listed).scopes[0]!.id);
    await expect(h.api.write(TARGET, update(builtIn, scope('x')))).rejects.toMatchObject({ status: 400 });
    await expect(h.api.write(TARGET, remove(builtIn))).rejects.toMatchObject({ status: 400 });
    await h.api.write(TARGET, switchCall({ ids: [builtIn], status: 'OFF' }));
    expect(((await h.api.read(TARGET, list())) as Listed).scopes[0]!.status).toBe('OFF');
    await expect(h.api.write(TARGET, remove('unknown-id-0123456789'))).rejects.toMatchObject({ status: 400, errorCode: 'DBSS.10020021' });
    await expect(h.api.write(TARGET, switchCall({ ids: [builtIn, 'unknown-id-0123456789'], status: 'ON' }))).rejects.toMatchObject({ errorCode: 'DBSS.10020021' });
    await expect(h.api.write(TARGET, switchCall({ ids: [builtIn], status: 'Enabled' }))).rejects.toMatchObject({ status: 400 });
    // nothing of a refused batch is switched
    expect(((await h.api.read(TARGET, list())) as Listed).scopes[0]!.status).toBe('OFF');
  });

  it('update is a full replacement that keeps the status; an enabled scope is refused when so read', async () => {
    const h = harness(EMULATED_AUDIT_SCOPES, { scopeEditEnabled: 'refused' });
    await h.api.write(TARGET, create(scope('a', { db_users: 'app', action: 'SELECT' })));
    const id = String(((await h.api.read(TARGET, list())) as Listed).scopes[1]!.id);
    await expect(h.api.write(TARGET, update(id, scope('a')))).rejects.toMatchObject({ status: 400, errorCode: 'DBSS.10000001' });
    await h.api.write(TARGET, switchCall({ ids: [id], status: 'OFF' }));
    await h.api.write(TARGET, update(id, scope('a', { source_ports: '22' })));
    expect(((await h.api.read(TARGET, list())) as Listed).scopes[1]).toMatchObject({ name: 'a', db_users: '', action: '', source_ports: '22', status: 'OFF' });
    await h.api.write(TARGET, remove(id));
    expect(((await h.api.read(TARGET, list())) as Listed).scopes).toHaveLength(1);
  });
});
