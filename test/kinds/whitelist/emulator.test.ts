import { describe, expect, it } from 'vitest';
import { Prng } from '../../../src/emulator/prng.js';
import { PROFILE_NAMES } from '../../../src/emulator/profiles.js';
import type { HandlerRequest, HandlerResponse, ServiceContext } from '../../../src/emulator/service-context.js';
import type { InstanceState } from '../../../src/emulator/types.js';
import { ApiFailure } from '../../../src/emulator/wire-errors.js';
import type { KindHandlerContext } from '../../../src/kinds/emulated-kind.js';
import { EMULATED_WHITELIST as emulated } from '../../../src/kinds/whitelist/emulator.js';

/** The emulator's whitelist handlers called with a hand-written context, raw JSON in and out. */
function harness(options: Record<string, string> = {}) {
  const resolved = Object.fromEntries(Object.entries(emulated.options).map(([k, v]) => [k, options[k] ?? v[0]]));
  const service = { ids: new Prng(3), now: () => 1_700_000_000_000 } as unknown as ServiceContext;
  const ctx: KindHandlerContext = { service, instance: { id: 'i'.repeat(32), status: 'ACTIVE' } as InstanceState, state: emulated.initial(service, resolved), options: resolved };
  const call = (operation: string, init: { query?: Record<string, string>; body?: unknown; id?: string } = {}): HandlerResponse | ApiFailure => {
    const route = emulated.routes.find((r) => r.operation === operation)!;
    const req: HandlerRequest = {
      params: { project_id: 'p'.repeat(32), instance_id: 'i'.repeat(32), ...(init.id ? { id: init.id } : {}) },
      query: new URLSearchParams(init.query ?? {}),
      body: Buffer.from(init.body === undefined ? '' : JSON.stringify(init.body)),
    };
    try {
      return route.handle(ctx, req);
    } catch (err) {
      if (err instanceof ApiFailure) return err;
      throw err;
    }
  };
  const list = () => (call('ListWhitelists') as { body: { whitelists: Record<string, unknown>[]; total?: number } }).body;
  return { call, list };
}

describe('the emulated whitelist', () => {
  it('serves the four operations on the documented paths and methods', () => {
    expect(emulated.routes.map((r) => `${r.operation} ${r.method} ${r.path}`)).toEqual([
      'ListWhitelists GET /v1/{project_id}/audit/{instance_id}/whitelists',
      'BatchAddAuditWhitelist POST /v1/{project_id}/audit/{instance_id}/whitelists',
      'UpdateAuditWhitelist PUT /v1/{project_id}/audit/{instance_id}/whitelists/{id}',
      'DeleteAuditWhitelist POST /v1/{project_id}/audit/{instance_id}/whitelists/batch-delete',
    ]);
  });

  it('refuses a limit outside 10..100 and a non-integer offset', () => {
    const { call } = harness();
    for (const query of [{ limit: '9' }, { limit: '101' }, { offset: '-1' }, { offset: '1.5' }] as Record<string, string>[]) expect(call('ListWhitelists', { query })).toMatchObject({ status: 400, errorCode: 'DBSS.10000001' });
    expect(call('ListWhitelists', { query: { limit: '10', offset: '0' } })).toEqual({ status: 200, body: { total: 0, whitelists: [] } });
  });

  it.each([
    ['true', true],
    ['false', false],
  ])('an entry added without enabled reads as enabled: %s (whitelistEnabledDefault)', (value, enabled) => {
    const { call, list } = harness({ whitelistEnabledDefault: value });
    expect(call('BatchAddAuditWhitelist', { body: { whitelists: [{ sql: 'SELECT 1' }] } })).toEqual({ status: 200, body: { status: 'SUCCESS' } });
    expect(list().whitelists[0]).toMatchObject({ sql: 'SELECT 1', enabled, desc: '' });
  });

  it.each([
    ['empty', { db_ids: [] }],
    ['null', { db_ids: null }],
    ['absent', {}],
  ])('an entry of every database lists as %s (whitelistEmptyDatabases)', (value, shown) => {
    const { call, list } = harness({ whitelistEmptyDatabases: value });
    call('BatchAddAuditWhitelist', { body: { whitelists: [{ sql: 'SELECT 1', db_ids: [] }] } });
    const { id, sql, db_ids } = list().whitelists[0]!;
    expect({ id, sql, db_ids }).toEqual({ id: expect.any(String), sql: 'SELECT 1', ...('db_ids' in shown ? shown : { db_ids: undefined }) });
    expect('db_ids' in list().whitelists[0]!).toBe(value !== 'absent');
  });

  it('caps pages at 3 and leaves out total under those readings', () => {
    const { call } = harness({ whitelistPageCap: '3', whitelistTotal: 'absent' });
    call('BatchAddAuditWhitelist', { body: { whitelists: Array.from({ length: 5 }, (_, i) => ({ sql: `SELECT ${i}` })) } });
    const page = call('ListWhitelists', { query: { offset: '3', limit: '10' } }) as { body: { whitelists: { sql: string }[]; total?: number } };
    expect(page.body.total).toBeUndefined();
    expect(page.body.whitelists.map((w) => w.sql)).toEqual(['SELECT 3', 'SELECT 4']);
  });

  it('adds a batch all or nothing: one bad item, or (when refused) a known text, and nothing is added', () => {
    const { call, list } = harness({ whitelistDuplicateSql: 'refused' });
    expect(call('BatchAddAuditWhitelist', { body: { whitelists: [{ sql: 'SELECT 1' }, { sql: '' }] } })).toMatchObject({ status: 400, message: expect.stringContaining('whitelists[1].sql') });
    expect(call('BatchAddAuditWhitelist', { body: { whitelists: [{ sql: 'SELECT 1', db_ids: 'a,b' }] } })).toMatchObject({ status: 400 });
    expect(list().whitelists).toEqual([]);
    call('BatchAddAuditWhitelist', { body: { whitelists: [{ sql: 'SELECT 1' }] } });
    expect(call('BatchAddAuditWhitelist', { body: { whitelists: [{ sql: 'SELECT 2' }, { sql: 'SELECT 1' }] } })).toEqual({ status: 200, body: { status: 'FAILED' } });
    expect(list().whitelists.map((w) => w.sql)).toEqual(['SELECT 1']);
    const accepting = harness({ whitelistDuplicateSql: 'accepted' });
    accepting.call('BatchAddAuditWhitelist', { body: { whitelists: [{ sql: 'SELECT 1' }, { sql: 'SELECT 1' }] } });
    expect(accepting.list().whitelists).toHaveLength(2);
  });

  it('updates need enabled and cannot change sql; deletes take ids under `whitelists`, all or nothing', () => {
    const { call, list } = harness();
    call('BatchAddAuditWhitelist', { body: { whitelists: [{ sql: 'SELECT 1', db_ids: ['a'], desc: 'd', enabled: true }, { sql: 'SELECT 2' }] } });
    const [a, b] = list().whitelists.map((w) => w.id as string);
    expect(call('UpdateAuditWhitelist', { id: a, body: { db_ids: ['b'] } })).toMatchObject({ status: 400, message: expect.stringContaining('enabled is required') });
    expect(call('UpdateAuditWhitelist', { id: a, body: { sql: 'x', enabled: true } })).toMatchObject({ status: 400 });
    expect(call('UpdateAuditWhitelist', { id: a, body: { enabled: false } })).toEqual({ status: 200, body: { status: 'SUCCESS' } });
    expect(list().whitelists[0]).toMatchObject({ db_ids: ['a'], desc: 'd', enabled: false });
    expect(call('DeleteAuditWhitelist', { body: { ids: [a] } })).toMatchObject({ status: 400 });
    expect(call('DeleteAuditWhitelist', { body: { whitelists: [a, 'z'.repeat(20)] } })).toMatchObject({ status: 400, errorCode: 'DBSS.10020021' });
    expect(list().whitelists).toHaveLength(2);
    expect(call('DeleteAuditWhitelist', { body: { whitelists: [a, b] } })).toEqual({ status: 200, body: { status: 'SUCCESS' } });
    expect(list().whitelists).toEqual([]);
  });

  it('bundles its options into the named profiles, hostile among them', () => {
    for (const [name, bundle] of Object.entries(emulated.profiles)) {
      for (const [option, value] of Object.entries(bundle)) expect(emulated.options[option], `${name}.${option}`).toContain(value);
    }
    expect(Object.keys(emulated.profiles)).toEqual(expect.arrayContaining(['default', 'hostile']));
    for (const name of Object.keys(emulated.profiles)) expect(PROFILE_NAMES).toContain(name);
  });
});
