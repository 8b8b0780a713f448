import { describe, expect, it } from 'vitest';
import type { Json, KindApi, KindCall, LiveKind, LiveObject } from '../../../src/kinds/kind.js';
import { EMULATED_WHITELIST } from '../../../src/kinds/whitelist/emulator.js';
import { WHITELIST_KIND as kind } from '../../../src/kinds/whitelist/index.js';
import { desiredOf, type EntryDecl } from './cycle.js';
import { directApi, TARGET } from './direct-api.js';

const ID = (n: number): string => `id${String(n).padStart(18, '0')}`;
const live = (...objects: LiveObject[]): LiveKind => ({ objects, settings: {}, observations: [] });
const entry = (n: number, key: string, spec: { databases?: string[]; description?: string; enabled?: boolean } = {}): LiveObject => ({
  id: ID(n),
  key,
  builtIn: false,
  spec: { databases: spec.databases ?? [], description: spec.description ?? '', enabled: spec.enabled ?? true },
});
const declare = (entries: readonly EntryDecl[], prune = false) => desiredOf(kind, { sql_whitelist: entries as unknown as Json }, prune);

describe('whitelist desired state and check', () => {
  it('keys entries by the normalised SQL, with explicit defaults (enabled true, every database, no description)', () => {
    const d = declare([{ sql: '  SELECT 1\n  FROM dual ' }, { sql: "SELECT 'a  b'", databases: ['db2', 'db1', 'db2'], description: 'x', enabled: false }]);
    expect(d.objects.map((o) => [o.key, o.spec])).toEqual([
      ['SELECT 1 FROM dual', { databases: [], description: '', enabled: true }],
      ["SELECT 'a  b'", { databases: ['db1', 'db2'], description: 'x', enabled: false }],
    ]);
  });

  it('reports an SQL text declared twice after normalisation at the second item', () => {
    const findings = kind.check!({ sql_whitelist: [{ sql: 'SELECT 1' }, { sql: 'select 1' }, { sql: 'SELECT\n   1' }] });
    expect(findings).toEqual([{ path: ['sql_whitelist', 2, 'sql'], message: expect.stringContaining('"SELECT 1" is declared twice in this list (first at item 1') }]);
  });

  it('takes an entry of the instance over the same SQL of a rule set', () => {
    const at = () => ({ file: 'f.yaml', line: 1, col: 1 });
    const d = kind.desired(
      [
        { values: { sql_whitelist: [{ sql: 'SELECT 1', enabled: true }] }, at, ruleSet: { name: 'base', appliedAt: at() } },
        { values: { sql_whitelist: [{ sql: 'SELECT  1', enabled: false }] }, at },
      ],
      false,
    )!;
    expect(d.objects.map((o) => [o.key, o.spec.enabled, o.source.ruleSet])).toEqual([['SELECT 1', false, undefined]]);
  });
});

describe('whitelist plan and weakening', () => {
  it('an added enabled entry weakens; an added disabled one does not', () => {
    const plan = kind.plan(declare([{ sql: 'SELECT 1' }, { sql: 'SELECT 2', enabled: false }]), live());
    expect(plan.changes.map((c) => [c.op, c.subject, c.weakening])).toEqual([
      ['create', 'SELECT 1', ['whitelist entry "SELECT 1" added and enabled: the statement is no longer audited as a risk']],
      ['create', 'SELECT 2', []],
    ]);
  });

  it('enabling and widening databases weaken; disabling, narrowing and a description do not', () => {
    const before = live(entry(1, 'SELECT 1', { enabled: false }), entry(2, 'SELECT 2', { databases: ['a'] }), entry(3, 'SELECT 3', { databases: ['a'] }), entry(4, 'SELECT 4', { databases: ['a', 'b'] }), entry(5, 'SELECT 5'));
    const plan = kind.plan(
      declare([
        { sql: 'SELECT 1' },
        { sql: 'SELECT 2', databases: ['a', 'b'] },
        { sql: 'SELECT 3' },
        { sql: 'SELECT 4', databases: ['b'], enabled: false },
        { sql: 'SELECT 5', databases: ['a'], description: 'narrowed' },
      ]),
      before,
    );
    expect(plan.changes.map((c) => [c.subject, c.ids, c.fields?.map((f) => f.field), c.weakening])).toEqual([
      ['SELECT 1', [ID(1)], ['enabled'], ['enabled: the statement is no longer audited as a risk']],
      ['SELECT 2', [ID(2)], ['databases'], ['databases widened: b added']],
      ['SELECT 3', [ID(3)], ['databases'], ['databases widened from a to every database (an empty list)']],
      ['SELECT 4', [ID(4)], ['databases', 'enabled'], []],
      ['SELECT 5', [ID(5)], ['databases', 'description'], []],
    ]);
  });

  it('compares databases as a set and SQL by its normal form: nothing to do', () => {
    const plan = kind.plan(declare([{ sql: 'SELECT\n  1', databases: ['b', 'a'] }]), live(entry(1, 'SELECT 1', { databases: ['a', 'b'] })));
    expect(plan.changes).toEqual([]);
  });

  it('a changed SQL text is a create and, with prune, a delete of the old entry that does not weaken', () => {
    const plan = kind.plan(declare([{ sql: 'SELECT 2' }], true), live(entry(1, 'SELECT 1')));
    expect(plan.changes.map((c) => [c.op, c.subject, c.ids, c.weakening])).toEqual([
      ['create', 'SELECT 2', undefined, ['whitelist entry "SELECT 2" added and enabled: the statement is no longer audited as a risk']],
      ['delete', 'SELECT 1', [ID(1)], []],
    ]);
    const kept = kind.plan(declare([{ sql: 'SELECT 2' }], false), live(entry(1, 'SELECT 1')));
    expect(kept.changes.map((c) => c.op)).toEqual(['create']);
    expect(kept.notes).toEqual(['1 whitelist entry not declared, left alone (prune: false): SELECT 1']);
  });

  it('two live entries of one SQL text (after normalisation) are a problem, not a guess', async () => {
    const answer = { total: 2, whitelists: [{ id: ID(1), sql: 'SELECT 1', enabled: true }, { id: ID(2), sql: 'SELECT\n  1 ', enabled: true }] };
    const plan = kind.plan(declare([{ sql: 'SELECT 1', enabled: false }]), await kind.read(scripted([answer]).api, TARGET));
    expect(plan.changes).toEqual([]);
    expect(plan.problems[0]).toContain('2 whitelist entrys are listed as "SELECT 1"');
  });
});

/** A KindApi answering list pages from a script (for tolerant reading). */
function scripted(pages: readonly unknown[], pageSize = 100): { api: KindApi; calls: KindCall[] } {
  const calls: KindCall[] = [];
  const api: KindApi = {
    pageSize,
    read: async (_t, c) => {
      calls.push(c);
      return pages[Math.min(calls.length - 1, pages.length - 1)];
    },
    write: async () => undefined,
    settle: async (read) => read(),
  };
  return { api, calls };
}

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

describe('whitelist writes', () => {
  it('adds every new entry in one call and deletes in one call with the ids under `whitelists`', async () => {
    const { api, log } = directApi(EMULATED_WHITELIST, {}, 10);
    const first = kind.plan(declare([{ sql: 'SELECT 1', databases: ['db1'], description: 'one' }, { sql: 'SELECT 2', enabled: false }]), await kind.read(api, TARGET));
    await kind.writeBatch!(api, TARGET, 'create', first.changes);
    expect(log.filter((c) => c.operation !== 'ListWhitelists')).toEqual([
      {
        operation: 'BatchAddAuditWhitelist',
        query: [],
        body: { whitelists: [{ sql: 'SELECT 1', db_ids: ['db1'], desc: 'one', enabled: true }, { sql: 'SELECT 2', db_ids: [], desc: '', enabled: false }] },
      },
    ]);
    const before = await kind.read(api, TARGET);
    const prune = kind.plan(declare([], true), before);
    log.length = 0;
    await kind.writeBatch!(api, TARGET, 'delete', prune.changes);
    expect(log).toEqual([{ operation: 'DeleteAuditWhitelist', query: [], body: { whitelists: before.objects.map((o) => o.id) } }]);
    expect((await kind.read(api, TARGET)).objects).toEqual([]);
  });

  it('updates with db_ids, desc and enabled, never sql', async () => {
    const { api, log } = directApi(EMULATED_WHITELIST, {}, 10);
    await kind.writeBatch!(api, TARGET, 'create', kind.plan(declare([{ sql: 'SELECT 1' }]), await kind.read(api, TARGET)).changes);
    const update = kind.plan(declare([{ sql: 'SELECT 1', databases: ['x'], enabled: false }]), await kind.read(api, TARGET)).changes;
    log.length = 0;
    await kind.writeBatch!(api, TARGET, 'update', update);
    expect(log).toEqual([{ operation: 'UpdateAuditWhitelist', query: [], body: { db_ids: ['x'], desc: '', enabled: false } }]);
  });

  it('a batch add whose answer was lost is not sent again when a read shows it applied', async () => {
    const { api, log, loseNextAnswer } = directApi(EMULATED_WHITELIST, { whitelistDuplicateSql: 'accepted' }, 10);
    loseNextAnswer('BatchAddAuditWhitelist');
    await kind.writeBatch!(api, TARGET, 'create', kind.plan(declare([{ sql: 'SELECT 1' }, { sql: 'SELECT 2' }]), await kind.read(api, TARGET)).changes);
    expect(log.filter((c) => c.operation === 'BatchAddAuditWhitelist')).toHaveLength(1);
    expect((await kind.read(api, TARGET)).objects.map((o) => o.key)).toEqual(['SELECT 1', 'SELECT 2']);
  });

  it('a batch add refused as a whole (FAILED) adds nothing, and the read-back shows none of it', async () => {
    const { api } = directApi(EMULATED_WHITELIST, { whitelistDuplicateSql: 'refused' }, 10);
    const plan = kind.plan(declare([{ sql: 'SELECT 1' }, { sql: 'SELECT 2' }]), await kind.read(api, TARGET));
    // the same text twice in one batch: FAILED for the whole batch
    await expect(kind.writeBatch!(api, TARGET, 'create', [...plan.changes, plan.changes[0]!])).rejects.toThrow(/FAILED/);
    const back = await kind.read(api, TARGET);
    for (const c of plan.changes) expect(kind.shows(c, back)).toBe(false);
  });
});

describe('whitelist export', () => {
  it('exports what plans to nothing, enabled always written, unreadable entries left out', () => {
    const state = live(
      entry(1, "SELECT 'a  b' FROM t", { databases: ['db1'], description: 'd' }),
      entry(2, 'SELECT 2', { enabled: false }),
      { id: ID(3), key: 'SELECT 3', builtIn: false, spec: { databases: [], description: '' } },
      { id: ID(4), key: '', builtIn: false, spec: { databases: [], description: '', enabled: true } },
      entry(5, 'SELECT 5', { databases: ['bad id'] }),
    );
    const yaml = kind.export(state);
    expect(yaml).toEqual({ sql_whitelist: [{ sql: "SELECT 'a  b' FROM t", databases: ['db1'], description: 'd', enabled: true }, { sql: 'SELECT 2', enabled: false }] });
    const replan = kind.plan(desiredOf(kind, yaml, false), state);
    expect(replan.changes).toEqual([]);
    expect(kind.export(live())).toEqual({});
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
