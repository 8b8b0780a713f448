import { describe, expect, it } from 'vitest';
import { DbssApiError } from '../../../src/api/errors.js';
import { learnedAllSpelling, readPage, readScope, scopeBody, SDK_ALL_SPELLING } from '../../../src/kinds/audit-scope/wire.js';

/** The client side's reading of RuleScopeInfo (every field optional, of any type) and its write body. */

describe('reading a listed scope', () => {
  it.each([
    ['[ALL]', ''],
    ['ALL', ''],
    ['all', ''],
    ['', '[全部数据库]'],
    ['', '全部数据库'],
    ['', '[All databases]'],
    ['', 'All databases'],
    ['[ALL]', '[全部数据库]'],
  ])('db_ids %j, db_names %j read as all databases', (ids, names) => {
    expect(readScope({ id: 'x', name: 'n', db_ids: ids, db_names: names, status: 'ON' }, 0).object.spec.databases).toBe('ALL');
  });

  it('keeps the spelling of "all" it saw, and learns it for writes (each field on its own); the SDK spelling otherwise', () => {
    const a = readScope({ id: 'a', name: 'a', db_ids: 'ALL', db_names: '全部数据库', all_audit: true }, 0).allSpelled;
    const b = readScope({ id: 'b', name: 'b', db_ids: 'd1', db_names: '[All databases]' }, 1).allSpelled;
    expect(b).toEqual({ db_names: '[All databases]' });
    expect(learnedAllSpelling([a])).toEqual({ db_ids: 'ALL', db_names: '全部数据库' });
    expect(learnedAllSpelling([b, a])).toEqual({ db_ids: 'ALL', db_names: '[All databases]' });
    expect(learnedAllSpelling([])).toEqual(SDK_ALL_SPELLING);
    expect(SDK_ALL_SPELLING).toEqual({ db_ids: '[ALL]', db_names: '[全部数据库]' });
  });

  it('reads comma-joined strings as sorted lists, and tolerates arrays, numbers and nulls', () => {
    const { object, remarks } = readScope(
      { id: 7, name: 'n', db_ids: 'b, a,,a', db_names: null, action: ['SELECT,LOGIN'], db_users: null, source_ports: 3306, source_ips: '10.0.0.2,10.0.0.1', status: 'OFF', all_audit: null },
      0,
    );
    expect(object).toEqual({
      id: '7',
      key: 'n',
      builtIn: false,
      spec: { databases: { ids: ['a', 'b'], names: [] }, actions: ['LOGIN', 'SELECT'], db_users: [], source_ips: ['10.0.0.1', '10.0.0.2'], source_ports: ['3306'], exception_ips: [], status: 'OFF' },
    });
    expect(remarks).toEqual([]);
    expect(readScope({ db_ids: 'x' }, 0).allSpelled).toEqual({});
  });

  it('all_audit true or "true" marks the built-in scope; absent or false does not', () => {
    expect(readScope({ all_audit: true }, 0).object.builtIn).toBe(true);
    expect(readScope({ all_audit: 'TRUE' }, 0).object.builtIn).toBe(true);
    expect(readScope({ all_audit: false }, 0).object.builtIn).toBe(false);
    expect(readScope({}, 0).object.builtIn).toBe(false);
  });

  it('reads Enabled/Disabled as ON/OFF and says so; keeps an unknown word; a missing status reads OFF', () => {
    expect(readScope({ status: 'Enabled' }, 0).object.spec.status).toBe('ON');
    expect(readScope({ status: 'Disabled' }, 0)).toMatchObject({ object: { spec: { status: 'OFF' } }, remarks: ['listed without databases: read as all databases', 'status spelled Enabled/Disabled: read as ON/OFF'] });
    expect(readScope({ status: 'PAUSED' }, 0)).toMatchObject({ object: { spec: { status: 'PAUSED' } } });
    expect(readScope({ db_ids: 'x' }, 0)).toMatchObject({ object: { spec: { status: 'OFF' } }, remarks: ['listed without a status: read as OFF'] });
  });

  it('an item that is not an object, or a field of another type, reads as empty with a remark, never a crash', () => {
    expect(readScope('junk', 3).remarks).toContain('scopes[3] is not an object');
    expect(readScope({ db_ids: 'x', db_users: { a: 1 }, status: 'ON' }, 0).remarks).toEqual(['db_users unreadable ({"a":1}): read as empty']);
  });
});

describe('a list page', () => {
  it('takes scopes and a numeric or numeric-text total', () => {
    expect(readPage({ scopes: [{}], total: '1' })).toEqual({ items: [{}], total: 1 });
    expect(readPage({ scopes: [] })).toEqual({ items: [] });
  });

  it('without its scopes list is a bad answer, not an empty list', () => {
    expect(() => readPage({ total: 0 })).toThrow(DbssApiError);
    expect(() => readPage([])).toThrow(/expected \{"scopes": \[\.\.\.\]\}/);
  });
});

describe('the write body', () => {
  it('sends every field of RuleScopeRequest, lists comma-joined, all databases in the given spelling', () => {
    const spec = { databases: 'ALL' as const, actions: ['LOGIN', 'SELECT'], db_users: [], source_ips: ['10.0.0.1'], source_ports: ['3306', '3307'], exception_ips: [], status: 'ON' };
    expect(scopeBody('n "q"', spec, SDK_ALL_SPELLING)).toEqual({
      rule_name: 'n "q"',
      db_ids: '[ALL]',
      db_names: '[全部数据库]',
      action: 'LOGIN,SELECT',
      db_users: '',
      source_ips: '10.0.0.1',
      source_ports: '3306,3307',
      exception_ips: '',
    });
    expect(scopeBody('n', { ...spec, databases: { ids: ['a', 'b'], names: [] } }, { db_ids: 'ALL', db_names: '全部数据库' })).toMatchObject({ db_ids: 'a,b', db_names: '' });
  });
});
