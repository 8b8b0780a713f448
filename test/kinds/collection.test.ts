import { describe, expect, it } from 'vitest';
import type { CollectionShape } from '../../src/kinds/collection.js';
import { canonical, collectionShows, declaredObjects, declaredSettings, declaredSwitches, planCollection, planSettings, settingShows } from '../../src/kinds/collection.js';
import type { DesiredKind, DesiredObject, Json, KindValues, LiveKind, LiveObject } from '../../src/kinds/kind.js';

const at = { file: 'p.yaml', line: 1, col: 1 };
const shape = (over: Partial<CollectionShape> = {}): CollectionShape => ({
  label: 'thing',
  fields: ['level', 'ips'],
  setFields: ['ips'],
  statusField: 'status',
  switchCall: true,
  ordered: false,
  weakening: (field, before, after) => (field === 'ips' && Array.isArray(before) && Array.isArray(after) && after.length < before.length ? 'fewer ips' : undefined),
  ...over,
});
const want = (key: string, spec: Record<string, Json>): DesiredObject => ({ key, spec, source: at });
const have = (id: string, key: string, spec: Record<string, Json>, more: Partial<LiveObject> = {}): LiveObject => ({ id: `id-${id}-0000000000000000`, key, builtIn: false, spec, ...more });
const desired = (objects: DesiredObject[], more: Partial<DesiredKind> = {}): DesiredKind => ({ objects, switches: [], settings: {}, prune: false, ...more });
const live = (objects: LiveObject[], more: Partial<LiveKind> = {}): LiveKind => ({ objects, settings: {}, observations: [], ...more });

describe('planCollection', () => {
  it('creates what is missing, updates what differs field by field, and leaves equal objects alone', () => {
    const p = planCollection(
      shape(),
      desired([want('a', { level: 'HIGH', ips: ['1', '2'], status: 'ON' }), want('b', { level: 'LOW', ips: ['2', '1'], status: 'ON' }), want('c', { level: 'LOW', ips: [], status: 'ON' })]),
      live([have('b', 'b', { level: 'LOW', ips: ['1', '2'], status: 'ON' }), have('c', 'c', { level: 'HIGH', ips: ['9'], status: 'ON' })]),
    );
    expect(p.problems).toEqual([]);
    expect(p.changes.map((c) => [c.op, c.subject])).toEqual([
      ['create', 'a'],
      ['update', 'c'],
    ]);
    expect(p.changes[1]).toMatchObject({ ids: ['id-c-0000000000000000'], fields: [{ field: 'level', before: 'HIGH', after: 'LOW' }, { field: 'ips', before: ['9'], after: [] }], weakening: ['fewer ips'] });
  });

  it('switches status in one batch per direction through the switch call, OFF counted as weakening', () => {
    const p = planCollection(
      shape(),
      desired([want('a', { level: 'L', ips: [], status: 'OFF' }), want('b', { level: 'L', ips: [], status: 'OFF' }), want('c', { level: 'L', ips: [], status: 'ON' })]),
      live([have('b', 'b', { level: 'L', ips: [], status: 'ON' }), have('a', 'a', { level: 'L', ips: [], status: 'ON' }), have('c', 'c', { level: 'L', ips: [], status: 'OFF' })]),
    );
    expect(p.changes.map((c) => [c.op, c.subject, c.ids, c.weakening])).toEqual([
      ['switch', 'ON', ['id-c-0000000000000000'], []],
      ['switch', 'OFF', ['id-a-0000000000000000', 'id-b-0000000000000000'], ['thing "a" switched OFF', 'thing "b" switched OFF']],
    ]);
  });

  it('sends a status change with the update when the kind has no switch call', () => {
    const p = planCollection(shape({ switchCall: false }), desired([want('a', { level: 'L', ips: [], status: 'OFF' })]), live([have('a', 'a', { level: 'L', ips: [], status: 'ON' })]));
    expect(p.changes).toHaveLength(1);
    expect(p.changes[0]).toMatchObject({ op: 'update', fields: [{ field: 'status', before: 'ON', after: 'OFF' }] });
  });

  it('deletes undeclared custom objects only with prune, never built-in ones, and notes them otherwise', () => {
    const objects = [have('x', 'x', { level: 'L' }), have('s', 'sys', { status: 'ON' }, { builtIn: true })];
    expect(planCollection(shape(), desired([], { prune: true }), live(objects)).changes).toEqual([
      { op: 'delete', subject: 'x', ids: ['id-x-0000000000000000'], payload: null, weakening: ['thing "x" deleted'] },
    ]);
    const kept = planCollection(shape(), desired([]), live(objects));
    expect(kept.changes).toEqual([]);
    expect(kept.notes).toEqual(['1 thing not declared, left alone (prune: false): x']);
  });

  it('switches built-in objects by name and refuses unknown names, custom objects named like a built-in, and namesakes', () => {
    const sys = have('s', 'sys', { status: 'ON' }, { builtIn: true });
    expect(planCollection(shape(), desired([], { switches: [{ name: 'sys', status: 'OFF', source: at }] }), live([sys])).changes[0]).toMatchObject({ op: 'switch', subject: 'OFF', ids: [sys.id] });
    const problems = planCollection(
      shape(),
      desired([want('sys', { level: 'L' }), want('twin', { level: 'L' })], { switches: [{ name: 'nope', status: 'OFF', source: at }] }),
      live([sys, have('t1', 'twin', { level: 'L' }), have('t2', 'twin', { level: 'L' })]),
    ).problems;
    expect(problems).toEqual([
      'thing "sys" is declared as a custom one, but a built-in thing has that name (built-in ones can only be switched)',
      '2 things are listed as "twin" (ids id-t1-0000000000000000, id-t2-0000000000000000): which one the entry means cannot be told; none is changed',
      'no built-in thing is named "nope" (listed: sys)',
    ]);
  });

  it('leaves alone an object whose id cannot be written back, with a note', () => {
    const p = planCollection(shape(), desired([want('a', { level: 'H' })], { prune: true }), live([have('a', 'a', { level: 'L' }, { id: 'a/b' }), have('z', 'z', {}, { id: '..' })]));
    expect(p.changes).toEqual([]);
    expect(p.notes).toHaveLength(2);
    expect(p.notes[0]).toMatch(/^thing "a": .*left alone$/);
  });

  it('orders an ordered kind when the listed order differs or something is created, and names what moved down', () => {
    const ordered = shape({ ordered: true });
    const objs = [have('a', 'a', { level: 'L', ips: [], status: 'ON' }, { rank: 2 }), have('b', 'b', { level: 'L', ips: [], status: 'ON' }, { rank: 1 })];
    const spec = { level: 'L', ips: [], status: 'ON' };
    const p = planCollection(ordered, desired([want('a', spec), want('b', spec)]), live(objs));
    expect(p.changes).toEqual([{ op: 'order', subject: 'order', payload: { order: ['a', 'b'] }, fields: [{ field: 'order', before: ['b', 'a'], after: ['a', 'b'] }], weakening: ['thing "b" moved down (a broader thing above it may now match first)'] }]);
    expect(planCollection(ordered, desired([want('b', spec), want('a', spec)]), live(objs)).changes).toEqual([]);
    const created = planCollection(ordered, desired([want('b', spec), want('a', spec), want('c', spec)]), live(objs));
    expect(created.changes.map((c) => c.op)).toEqual(['create', 'order']);
    const unranked = planCollection(ordered, desired([want('b', spec), want('a', spec)]), live([have('a', 'a', spec), have('b', 'b', spec, { rank: 1 })]));
    expect(unranked.notes).toEqual(['listed without rank, so their order is not checked: a']);
  });

  it('passes the read observations on as notes', () => {
    expect(planCollection(shape(), desired([]), live([], { observations: ['page base 1'] })).notes).toEqual(['page base 1']);
  });
});

describe('collectionShows', () => {
  const s = shape({ ordered: true });
  const l = live([have('a', 'a', { level: 'L', ips: ['2', '1'], status: 'ON' }, { rank: 1 }), have('b', 'b', { level: 'H', ips: [], status: 'OFF' }, { rank: 2 })]);
  it('sees a create or update when an object of the key has every declared field and status', () => {
    expect(collectionShows(s, { op: 'create', subject: 'a', payload: { level: 'L', ips: ['1', '2'], status: 'ON' } }, l)).toBe(true);
    expect(collectionShows(s, { op: 'update', subject: 'a', payload: { level: 'L', ips: ['1'], status: 'ON' } }, l)).toBe(false);
    expect(collectionShows(s, { op: 'create', subject: 'a', payload: { level: 'L', ips: ['1', '2'], status: 'OFF' } }, l)).toBe(false);
    expect(collectionShows(s, { op: 'create', subject: 'c', payload: { level: 'L', ips: [], status: 'ON' } }, l)).toBe(false);
  });
  it('sees a delete when the id is gone, a switch when every id has the status, an order when ranks follow it', () => {
    expect(collectionShows(s, { op: 'delete', subject: 'z', ids: ['gone'], payload: null }, l)).toBe(true);
    expect(collectionShows(s, { op: 'delete', subject: 'a', ids: [l.objects[0]!.id], payload: null }, l)).toBe(false);
    expect(collectionShows(s, { op: 'switch', subject: 'OFF', ids: [l.objects[1]!.id], payload: { status: 'OFF' } }, l)).toBe(true);
    expect(collectionShows(s, { op: 'switch', subject: 'OFF', ids: [l.objects[0]!.id, l.objects[1]!.id], payload: { status: 'OFF' } }, l)).toBe(false);
    expect(collectionShows(s, { op: 'order', subject: 'order', payload: { order: ['a', 'b'] } }, l)).toBe(true);
    expect(collectionShows(s, { op: 'order', subject: 'order', payload: { order: ['b', 'a'] } }, l)).toBe(false);
  });
});

describe('declared values', () => {
  const from = (values: Record<string, Json>, ruleSet?: string): KindValues => ({
    values,
    at: (path) => ({ file: ruleSet ? 'sets.yaml' : 'p.yaml', line: 10 + Number(path[1] ?? 0), col: 3 }),
    ...(ruleSet ? { ruleSet: { name: ruleSet, appliedAt: { file: 'p.yaml', line: 2, col: 5 } } } : {}),
  });
  const parse = (raw: Json, source: DesiredObject['source']): DesiredObject => ({ key: (raw as { name: string }).name, spec: raw as Record<string, Json>, source });

  it('takes rule sets first and lets the entry override an object of the same key in place, with provenance', () => {
    const objects = declaredObjects([from({ things: [{ name: 'a', v: 1 }, { name: 'b', v: 1 }] }, 'base'), from({ things: [{ name: 'a', v: 2 }, { name: 'c', v: 2 }] })], 'things', parse);
    expect(objects.map((o) => [o.key, o.spec['v'], o.source])).toEqual([
      ['a', 2, { file: 'p.yaml', line: 10, col: 3 }],
      ['b', 1, { file: 'sets.yaml', line: 11, col: 3, ruleSet: 'base', appliedAt: { file: 'p.yaml', line: 2, col: 5 } }],
      ['c', 2, { file: 'p.yaml', line: 11, col: 3 }],
    ]);
  });

  it('merges switches and settings, the last place winning', () => {
    expect(declaredSwitches([from({ sys: { x: 'ON', y: 'OFF' } }, 'base'), from({ sys: { x: 'OFF' } })], 'sys').map((s) => [s.name, s.status])).toEqual([
      ['x', 'OFF'],
      ['y', 'OFF'],
    ]);
    expect(declaredSettings([from({ full: 'ON' }, 'base'), from({ full: 'OFF', other: 1 })], ['full'])).toEqual({ full: { value: 'OFF', source: { file: 'p.yaml', line: 10, col: 3 } } });
  });
});

describe('settings', () => {
  it('plans a set per differing setting (an unread one differs) and sees it done when the read agrees', () => {
    const d = desired([], { settings: { masking: { value: 'ON', source: at }, storage: { value: 'OFF', source: at }, same: { value: { a: [1] }, source: at } } });
    const changes = planSettings(d, live([], { settings: { masking: 'OFF', same: { a: [1] } } }), (name, _b, after) => (name === 'storage' && after === 'ON' ? 'on' : undefined));
    expect(changes).toEqual([
      { op: 'set', subject: 'masking', payload: { name: 'masking', value: 'ON' }, fields: [{ field: 'masking', before: 'OFF', after: 'ON' }], weakening: [], source: at },
      { op: 'set', subject: 'storage', payload: { name: 'storage', value: 'OFF' }, fields: [{ field: 'storage', after: 'OFF' }], weakening: [], source: at },
    ]);
    expect(settingShows(changes[0]!, live([], { settings: { masking: 'ON' } }))).toBe(true);
    expect(settingShows(changes[0]!, live([], { settings: {} }))).toBe(false);
    expect(canonical({ b: 1, a: [null, true] })).toBe('{"a":[null,true],"b":1}');
  });
});
