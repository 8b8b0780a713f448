import { describe, expect, it } from 'vitest';
import type { Json, LiveKind, LiveObject } from '../../../src/kinds/kind.js';
import { EMULATED_WHITELIST } from '../../../src/kinds/whitelist/emulator.js';
import { WHITELIST_KIND as kind } from '../../../src/kinds/whitelist/index.js';
import { desiredOf, type EntryDecl } from './cycle.js';
import { directApi, TARGET } from './direct-api.js';
import { scripted } from './scripted-api.js';

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
    expect(plan.problems[0]).toContain('2 whitelist entries are listed as "SELECT 1"');
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
