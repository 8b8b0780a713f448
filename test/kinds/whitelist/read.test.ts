import { describe, expect, it } from 'vitest';
import type { Json, KindApi } from '../../../src/kinds/kind.js';
import { EMULATED_WHITELIST } from '../../../src/kinds/whitelist/emulator.js';
import { WHITELIST_KIND as kind } from '../../../src/kinds/whitelist/index.js';
import { desiredOf, type EntryDecl } from './cycle.js';
import { directApi, TARGET } from './direct-api.js';
import { scripted } from './scripted-api.js';

const ID = (n: number): string => `id${String(n).padStart(18, '0')}`;
const declare = (entries: readonly EntryDecl[], prune = false) => desiredOf(kind, { sql_whitelist: entries as unknown as Json }, prune);

describe('whitelist read: tolerant of every optional field', () => {
  it('reads null, absent, string and mistyped fields without a crash, saying what was odd', async () => {
    const { api } = scripted([
      {
        total: 6,
        whitelists: [
          { id: ID(1), sql: ' SELECT   1 ', db_ids: null, desc: null, enabled: true },
          { id: ID(2), sql: 'SELECT 2', enabled: 'false' },
          { id: ID(3), sql: 'SELECT 3', db_ids: 'b,a', desc: 'd', enabled: 1 },
          { id: 4, sql: 'SELECT 4', db_ids: [{}], enabled: true },
          { sql: 'SELECT 5' },
          'junk',
        ],
      },
    ]);
    const read = await kind.read(api, TARGET);
    expect(read.objects.map((o) => [o.id, o.key, o.spec])).toEqual([
      [ID(1), 'SELECT 1', { databases: [], description: '', enabled: true }],
      [ID(2), 'SELECT 2', { databases: [], description: '', enabled: false }],
      [ID(3), 'SELECT 3', { databases: ['a', 'b'], description: 'd', enabled: true }],
      ['4', 'SELECT 4', { description: '', enabled: true }],
      ['', 'SELECT 5', { databases: [], description: '' }],
    ]);
    expect(read.observations).toEqual([
      'whitelists[2] ("SELECT 3"): db_ids came as a comma-joined string',
      'whitelists[3] ("SELECT 4"): db_ids holds something other than ids',
      'whitelists[4] ("SELECT 5"): enabled not listed',
      'whitelists[5]: not an object, skipped',
    ]);
    // an entry without an id is left alone, never written
    const plan = kind.plan(declare([{ sql: 'SELECT 5' }], true), read);
    expect(plan.changes.filter((c) => c.subject === 'SELECT 5')).toEqual([]);
    expect(plan.notes.some((n) => n.startsWith('whitelist entry "SELECT 5"') && n.endsWith('left alone'))).toBe(true);
  });

  it('reads an answer without whitelists as an empty list', async () => {
    expect((await kind.read(scripted([{}]).api, TARGET)).objects).toEqual([]);
    expect((await kind.read(scripted([null]).api, TARGET)).objects).toEqual([]);
  });
});

describe('whitelist paging', () => {
  it('sends integer offset and a limit raised to 10 and capped at 100', async () => {
    for (const [pageSize, limit] of [
      [4, '10'],
      [50, '50'],
      [1000, '100'],
    ] as const) {
      const { api, calls } = scripted([{ total: 0, whitelists: [] }], pageSize);
      await kind.read(api, TARGET);
      expect(calls.map((c) => [c.method, c.path, c.query])).toEqual([['GET', '/v1/{project_id}/audit/{instance_id}/whitelists', [['offset', '0'], ['limit', limit]]]]);
    }
  });

  it('a no-change plan of n entries costs ceil(n / limit) list pages', async () => {
    for (const n of [0, 1, 10, 11, 25, 30]) {
      const { api, log } = directApi(EMULATED_WHITELIST, {}, 10);
      const desired = declare(Array.from({ length: n }, (_, i) => ({ sql: `SELECT ${i}` })));
      if (n > 0) await kind.writeBatch!(api, TARGET, 'create', kind.plan(desired, await kind.read(api, TARGET)).changes);
      log.length = 0;
      const plan = kind.plan(desired, await kind.read(api, TARGET));
      expect(plan.changes).toEqual([]);
      expect(log.map((c) => c.query.map(([k, v]) => `${k}=${v}`).join('&'))).toEqual(Array.from({ length: Math.max(1, Math.ceil(n / 10)) }, (_, i) => `offset=${i * 10}&limit=10`));
    }
  });

  it('moves the offset by the entries a page held, so a page cap loses nothing; without a total it ends at a shorter page', async () => {
    const { api, log } = directApi(EMULATED_WHITELIST, { whitelistPageCap: '3', whitelistTotal: 'absent' }, 10);
    const desired = declare(Array.from({ length: 8 }, (_, i) => ({ sql: `SELECT ${i}` })));
    await kind.writeBatch!(api, TARGET, 'create', kind.plan(desired, await kind.read(api, TARGET)).changes);
    log.length = 0;
    const read = await kind.read(api, TARGET);
    expect(read.objects.map((o) => o.key)).toEqual(Array.from({ length: 8 }, (_, i) => `SELECT ${i}`));
    expect(log.map((c) => c.query[0]![1])).toEqual(['0', '3', '6']);
    expect(read.observations).toEqual(['the whitelist answers carry no total: the listing ended at an empty or shorter page', 'whitelist pages hold at most 3 entries (asked for 10)']);
  });

  it('starts over once when an id is listed twice, then fails', async () => {
    const page = { total: 2, whitelists: [{ id: ID(1), sql: 'a', enabled: true }] };
    const { api, calls } = scripted([page], 10);
    await expect(kind.read(api, TARGET)).rejects.toThrow(/listed twice/);
    expect(calls).toHaveLength(4);
  });
});

describe('whitelist read: what it learns for probe', () => {
  it.each([
    [{}, { whitelistTotal: 'present', whitelistEmptyDatabases: 'empty' }],
    [{ whitelistTotal: 'absent', whitelistEmptyDatabases: 'null' }, { whitelistTotal: 'absent', whitelistEmptyDatabases: 'null' }],
    [{ whitelistEmptyDatabases: 'absent', whitelistPageCap: '3' }, { whitelistTotal: 'present', whitelistEmptyDatabases: 'absent', whitelistPageCap: '3' }],
  ])('under %j it settles %j', async (options, learned) => {
    const { api } = directApi(EMULATED_WHITELIST, options, 10);
    const desired = declare(Array.from({ length: 7 }, (_, i) => ({ sql: `SELECT ${i}` })));
    await kind.writeBatch!(api, TARGET, 'create', kind.plan(desired, await kind.read(api, TARGET)).changes);
    const read = await kind.read(api, TARGET);
    expect(read.learned).toEqual(learned);
    for (const [option, value] of Object.entries(read.learned!)) expect(EMULATED_WHITELIST.options[option]).toContain(value);
  });

  it('settles a page cap of none once a page is as long as the limit', async () => {
    const { api } = directApi(EMULATED_WHITELIST, {}, 10);
    await kind.writeBatch!(api, TARGET, 'create', kind.plan(declare(Array.from({ length: 12 }, (_, i) => ({ sql: `SELECT ${i}`, databases: ['d'] }))), await kind.read(api, TARGET)).changes);
    expect((await kind.read(api, TARGET)).learned).toEqual({ whitelistTotal: 'present', whitelistPageCap: 'none' });
  });
});

describe('whitelist read: a cap the emulator has no reading for', () => {
  it('is said as an observation but settles no option', async () => {
    const page = (offset: number) => ({ total: 12, whitelists: Array.from({ length: Math.min(5, 12 - offset) }, (_, i) => ({ id: ID(offset + i), sql: `SELECT ${offset + i}`, db_ids: ['d'], enabled: true })) });
    const calls: number[] = [];
    const api: KindApi = {
      pageSize: 10,
      read: async (_t, c) => {
        const offset = Number(c.query![0]![1]);
        calls.push(offset);
        return page(offset);
      },
      write: async () => undefined,
      settle: async (read) => read(),
    };
    const read = await kind.read(api, TARGET);
    expect(calls).toEqual([0, 5, 10]);
    expect(read.objects).toHaveLength(12);
    expect(read.observations).toEqual(['whitelist pages hold at most 5 entries (asked for 10)']);
    expect(read.learned).toEqual({ whitelistTotal: 'present' });
  });
});
