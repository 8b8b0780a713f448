import { describe, expect, it } from 'vitest';
import { applyKindChanges } from '../../src/apply/apply-kinds.js';
import type { ChangeResult } from '../../src/apply/types.js';
import { collectionShows, planCollection, type CollectionShape } from '../../src/kinds/collection.js';
import type { Json, Kind, KindApi, KindCall, LiveKind } from '../../src/kinds/kind.js';
import type { ObjectChange, PlanTarget } from '../../src/plan/types.js';

/**
 * The apply engine of other kinds against a hand-written kind ("thing": name, level, status)
 * and a hand-written API that keeps things in memory and can lie, lose answers or fail.
 */

interface Thing {
  id: string;
  name: string;
  level: string;
  status: string;
}
type Fault = 'lie' | 'lose' | 'fail';

function fakeApi(things: Thing[], faults: Partial<Record<string, Fault[]>> = {}): KindApi & { calls: string[] } {
  let next = 1;
  const calls: string[] = [];
  const apply = (call: KindCall): void => {
    const body = (call.body ?? {}) as Record<string, Json>;
    if (call.operation === 'Create') things.push({ id: `thing-${String(next++).padStart(16, '0')}`, name: String(body['name']), level: String(body['level']), status: String(body['status']) });
    if (call.operation === 'Update') Object.assign(things.find((t) => t.id === call.params!['id'])!, { level: body['level'] });
    if (call.operation === 'Switch') for (const id of body['ids'] as string[]) things.find((t) => t.id === id)!.status = String(body['status']);
    if (call.operation === 'Delete') things.splice(things.findIndex((t) => t.id === call.params!['id']), 1);
  };
  return {
    calls,
    pageSize: 100,
    read: async (_t, call) => {
      calls.push(call.operation);
      return structuredClone(things);
    },
    write: async (_t, call, wasApplied) => {
      calls.push(call.operation);
      const fault = faults[call.operation]?.shift();
      if (fault === 'fail') throw new Error(`${call.operation} failed (HTTP 500)`);
      if (fault === 'lie') return;
      apply(call);
      if (fault === 'lose') {
        if (wasApplied && (await wasApplied())) return;
        throw new Error(`${call.operation}: connection reset, answer lost`);
      }
    },
    settle: async (read) => read(),
  };
}

const shape: CollectionShape = { label: 'thing', fields: ['level'], statusField: 'status', switchCall: true, ordered: false, weakening: () => undefined };
const thingKind: Kind = {
  name: 'thing',
  label: 'thing',
  policyKeys: ['things'],
  schema: { properties: {}, defs: {} },
  desired: () => undefined,
  read: async (api, t): Promise<LiveKind> => ({
    objects: ((await api.read(t, { operation: 'List', method: 'GET', path: '/x' })) as Thing[]).map((x) => ({ id: x.id, key: x.name, builtIn: false, spec: { level: x.level, status: x.status } })),
    settings: {},
    observations: [],
  }),
  plan: (d, l) => planCollection(shape, d, l),
  write: async (api, t, c) => {
    const spec = c.payload as Record<string, Json>;
    if (c.op === 'create') await api.write(t, { operation: 'Create', method: 'POST', path: '/x', body: { name: c.subject, level: spec['level']!, status: spec['status']! } });
    if (c.op === 'update') await api.write(t, { operation: 'Update', method: 'POST', path: '/x/{id}', params: { id: c.ids![0]! }, body: { level: spec['level']! } });
    if (c.op === 'switch') await api.write(t, { operation: 'Switch', method: 'POST', path: '/x/switch', body: { ids: [...c.ids!], status: (spec as { status: string }).status } });
    if (c.op === 'delete') await api.write(t, { operation: 'Delete', method: 'DELETE', path: '/x/{id}', params: { id: c.ids![0]! } });
  },
  shows: (c, l) => collectionShows(shape, c, l),
  export: () => ({}),
};

const target: PlanTarget = { key: 'r/p/i', region: 'r', projectId: 'p'.repeat(32), instanceId: 'i'.repeat(32), instanceName: 'i' };
const change = (op: ObjectChange['op'], subject: string, payload: Json, ids?: string[]): ObjectChange => ({
  id: `r/p/i#thing:${op}:${subject}`,
  target: 'r/p/i',
  kind: 'object',
  objectKind: 'thing',
  op,
  subject,
  payload,
  ...(ids ? { ids } : {}),
  review: { weakening: false, reasons: [] },
});

async function run(changes: ObjectChange[], api: KindApi, extra: { planned?: Record<string, LiveKind>; signal?: AbortSignal } = {}): Promise<Record<string, ChangeResult>> {
  const results: Record<string, ChangeResult> = {};
  await applyKindChanges(changes, target, api, { record: (r) => (results[r.id.split('#')[1]!] = r), ...extra }, [thingKind]);
  return results;
}

const old = { id: 'thing-old0000000000000', name: 'old', level: 'L', status: 'ON' };

describe('applying another kind', () => {
  it('runs updates, creates, switches, deletes in that order, each confirmed by a read', async () => {
    const things = [{ ...old }, { id: 'thing-keep000000000000', name: 'keep', level: 'L', status: 'ON' }];
    const api = fakeApi(things);
    const results = await run(
      [change('delete', 'old', null, [old.id]), change('create', 'new', { level: 'H', status: 'ON' }), change('switch', 'OFF', { status: 'OFF' }, ['thing-keep000000000000']), change('update', 'keep', { level: 'H', status: 'ON' }, ['thing-keep000000000000'])],
      api,
    );
    expect(api.calls).toEqual(['Update', 'List', 'Create', 'List', 'Switch', 'List', 'Delete', 'List']);
    expect(Object.values(results).map((r) => [r.outcome, r.detail])).toEqual(Array(4).fill(['applied', 'confirmed by a read']));
    expect(things.map((t) => [t.name, t.level, t.status])).toEqual([
      ['keep', 'H', 'OFF'],
      ['new', 'H', 'ON'],
    ]);
  });

  it('fails a write that answered success but that no read shows, and then deletes nothing of the kind', async () => {
    const things = [{ ...old }];
    const results = await run([change('create', 'new', { level: 'H', status: 'ON' }), change('delete', 'old', null, [old.id])], fakeApi(things, { Create: ['lie'] }));
    expect(results['thing:create:new']).toMatchObject({ outcome: 'failed', detail: 'the write answered success, but a read does not show it' });
    expect(results['thing:delete:old']).toMatchObject({ outcome: 'skipped', calls: 0 });
    expect(results['thing:delete:old']!.detail).toMatch(/create of thing "new" is not confirmed/);
    expect(things.map((t) => t.name)).toEqual(['old']);
  });

  it('counts a write whose answer was lost as applied when the read-back shows it, and a failed one as failed', async () => {
    const things: Thing[] = [];
    const results = await run([change('create', 'a', { level: 'H', status: 'ON' }), change('create', 'b', { level: 'H', status: 'ON' })], fakeApi(things, { Create: ['lose', 'fail'] }));
    expect(results['thing:create:a']).toMatchObject({ outcome: 'applied' });
    expect(results['thing:create:a']!.detail).toMatch(/answer lost", but a read shows it done/);
    expect(results['thing:create:b']).toMatchObject({ outcome: 'failed', detail: 'Create failed (HTTP 500)' });
    expect(things.map((t) => t.name)).toEqual(['a']);
  });

  it('writes nothing to a kind that changed since it was planned (another writer)', async () => {
    const things = [{ ...old }];
    const planned: LiveKind = { objects: [], settings: {}, observations: [] };
    const api = fakeApi(things);
    const results = await run([change('create', 'new', { level: 'H', status: 'ON' })], api, { planned: { thing: planned } });
    expect(results['thing:create:new']).toMatchObject({ outcome: 'skipped' });
    expect(results['thing:create:new']!.detail).toMatch(/changed by someone else during apply/);
    expect(api.calls).toEqual(['List']);
  });

  it('sends nothing once the run is stopped, and reports every change not attempted', async () => {
    const controller = new AbortController();
    controller.abort('--max-duration 1m reached');
    const api = fakeApi([]);
    const results = await run([change('create', 'new', { level: 'H', status: 'ON' })], api, { signal: controller.signal });
    expect(results['thing:create:new']).toMatchObject({ outcome: 'not-attempted', detail: '--max-duration 1m reached before this change was sent' });
    expect(api.calls).toEqual([]);
  });

  it('writes a batch kind once per op and still confirms and reports each change', async () => {
    const things: Thing[] = [];
    const api = fakeApi(things, { Create: ['lie'] });
    const batched: Kind = {
      ...thingKind,
      writeBatch: async (a, t, _op, cs) => {
        for (const c of cs) await thingKind.write(a, t, c);
      },
    };
    const results: Record<string, ChangeResult> = {};
    await applyKindChanges([change('create', 'a', { level: 'H', status: 'ON' }), change('create', 'b', { level: 'H', status: 'ON' })], target, api, { record: (r) => (results[r.id] = r) }, [batched]);
    expect(Object.values(results).map((r) => r.outcome)).toEqual(['failed', 'applied']);
  });

  it('fails a change of a kind this version does not know', async () => {
    const results = await run([{ ...change('create', 'x', null), objectKind: 'gone' }], fakeApi([]));
    expect(results['thing:create:x']).toMatchObject({ outcome: 'failed', detail: 'no kind named "gone" in this version of dbss-policy' });
  });
});
