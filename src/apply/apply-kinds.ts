import { pluralOf } from '../kinds/kind.js';
import { DbssApiError } from '../api/errors.js';
import { canonical } from '../kinds/collection.js';
import type { Kind, KindApi, KindChangeDraft, KindTarget, LiveKind } from '../kinds/kind.js';
import { KIND_OPS } from '../kinds/kind.js';
import { KINDS } from '../kinds/registry.js';
import type { ObjectChange, PlanTarget } from '../plan/types.js';
import type { ChangeResult } from './types.js';

/**
 * Applies the other kinds' changes of one instance (src/kinds), written once for every kind:
 * kind by kind in registry order, op by op in KIND_OPS order (updates, creates, switches, the
 * order, settings, deletes), the changes of one op concurrently. A SUCCESS is a claim until a
 * read shows it: after each op the kind is read again (over the settle window, a list may lag)
 * and a change is applied only when the kind's `shows` sees it done — which also decides a write
 * whose answer was lost. Deletes of a kind run only when every earlier change of that kind was
 * confirmed (no run deletes coverage it cannot replace), and an order waits for its creates.
 */

/** What the apply engine gives the kinds' apply. */
export interface KindApplyContext {
  /** Aborting stops dispatching; calls in flight finish. */
  readonly signal?: AbortSignal;
  /** Records one finished change. */
  readonly record: (r: ChangeResult) => void;
  /** The kinds as the plan read them, by kind name: when given, each kind is read again before its first write and left alone if it changed (another writer). */
  readonly planned?: Readonly<Record<string, LiveKind>>;
}

/** The run was stopped before a call could be sent. */
class Stopped extends Error {}

const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));
const requestIdOf = (err: unknown): { requestId?: string } => (err instanceof DbssApiError && err.requestId ? { requestId: err.requestId } : {});

/** The client's kind API with the calls of one change counted and refused once the run is stopped. */
function countingApi(api: KindApi, signal: AbortSignal | undefined, count: () => void): KindApi {
  const gate = (): void => {
    if (signal?.aborted) throw new Stopped(typeof signal.reason === 'string' ? signal.reason : 'interrupted');
    count();
  };
  return {
    pageSize: api.pageSize,
    read: (t, call) => (gate(), api.read(t, call)),
    write: (t, call, wasApplied) => (gate(), api.write(t, call, wasApplied)),
    settle: (read, settled) => api.settle(read, settled),
  };
}

/** How the write of one change went: its calls, and an error or a stop before any call. */
interface Sent {
  readonly c: ObjectChange;
  readonly calls: () => number;
  readonly err?: unknown;
  readonly stopped?: string;
}

/** Applies the object changes of one instance target. */
export async function applyKindChanges(changes: readonly ObjectChange[], target: PlanTarget, api: KindApi, ctx: KindApplyContext, kinds: readonly Kind[] = KINDS): Promise<void> {
  const t: KindTarget = { projectId: target.projectId, instanceId: target.instanceId as string };
  for (const kind of kinds) {
    const mine = changes.filter((c) => c.objectKind === kind.name);
    if (mine.length > 0) await applyKind(kind, mine, t, api, ctx);
  }
  const unknown = changes.filter((c) => !kinds.some((k) => k.name === c.objectKind));
  for (const c of unknown) ctx.record(result(c, 'failed', 0, `no kind named ${JSON.stringify(c.objectKind)} in this version of dbss-policy`));
}

const result = (c: ObjectChange, outcome: ChangeResult['outcome'], calls: number, detail: string, extra: { requestId?: string } = {}): ChangeResult => ({
  id: c.id,
  kind: c.kind,
  target: c.target,
  outcome,
  calls,
  detail,
  ...extra,
});

const draftOf = (c: ObjectChange): KindChangeDraft => ({ op: c.op, subject: c.subject, payload: c.payload, ...(c.ids ? { ids: c.ids } : {}), ...(c.fields ? { fields: c.fields } : {}) });

async function applyKind(kind: Kind, changes: readonly ObjectChange[], t: KindTarget, api: KindApi, ctx: KindApplyContext): Promise<void> {
  const left = new Set(changes);
  const finish = (r: ChangeResult, c: ObjectChange): void => {
    left.delete(c);
    ctx.record(r);
  };
  const stopAll = (detail: string, outcome: ChangeResult['outcome'] = 'skipped'): void => {
    for (const c of [...left]) finish(result(c, outcome, 0, detail), c);
  };
  const planned = ctx.planned?.[kind.name];
  if (planned !== undefined && !ctx.signal?.aborted) {
    try {
      const now = await kind.read(api, t);
      if (snapshot(now) !== snapshot(planned)) {
        return stopAll(`${pluralOf(kind)} changed by someone else during apply (since they were planned); nothing was sent for them, plan again`);
      }
    } catch (err) {
      return stopAll(`could not check the ${pluralOf(kind)} before writing: ${messageOf(err)}`);
    }
  }
  let unconfirmed: string | undefined;
  const failedCreates = new Set<string>();
  for (const op of KIND_OPS) {
    const group = changes.filter((c) => c.op === op);
    if (group.length === 0) continue;
    if (ctx.signal?.aborted) return stopAll(`${typeof ctx.signal.reason === 'string' ? ctx.signal.reason : 'interrupted'} before this change was sent`, 'not-attempted');
    if (op === 'delete' && unconfirmed !== undefined) {
      for (const c of group) finish(result(c, 'skipped', 0, `not deleted: ${unconfirmed}, so what replaces it is not confirmed (the next run deletes it)`), c);
      continue;
    }
    if (op === 'order' && failedCreates.size > 0) {
      for (const c of group) finish(result(c, 'skipped', 0, `depends on failed create of ${[...failedCreates].join(', ')}`), c);
      continue;
    }
    const send = async (cs: readonly ObjectChange[], write: (counted: KindApi) => Promise<void>): Promise<Sent[]> => {
      let calls = 0;
      const counted = countingApi(api, ctx.signal, () => calls++);
      try {
        await write(counted);
        return cs.map((c) => ({ c, calls: () => calls }));
      } catch (err) {
        if (err instanceof Stopped && calls === 0) return cs.map((c) => ({ c, calls: () => calls, stopped: err.message }));
        return cs.map((c) => ({ c, calls: () => calls, err }));
      }
    };
    const { writeBatch } = kind;
    const sent = writeBatch
      ? await send(group, (counted) => writeBatch.call(kind, counted, t, op, group.map(draftOf)))
      : (await Promise.all(group.map((c) => send([c], (counted) => kind.write(counted, t, draftOf(c)))))).flat();
    const attempted = sent.filter((s) => s.stopped === undefined);
    for (const s of sent) if (s.stopped !== undefined) finish(result(s.c, 'not-attempted', 0, `${s.stopped} before this change was sent`), s.c);
    if (attempted.length === 0) continue;
    let live: LiveKind | undefined;
    let readFailure: string | undefined;
    try {
      const drafts = attempted.map((s) => draftOf(s.c));
      live = await api.settle(() => kind.read(api, t), (l) => drafts.every((d) => kind.shows(d, l)));
    } catch (err) {
      readFailure = messageOf(err);
    }
    for (const s of attempted) {
      const shown = live !== undefined && kind.shows(draftOf(s.c), live);
      const calls = s.calls() + 1;
      if (shown) {
        finish(result(s.c, 'applied', calls, s.err === undefined ? 'confirmed by a read' : `the write answered "${messageOf(s.err)}", but a read shows it done`), s.c);
        continue;
      }
      const why =
        s.err !== undefined ? messageOf(s.err) : readFailure !== undefined ? `sent, but reading it back failed (${readFailure}); not confirmed` : 'the write answered success, but a read does not show it';
      finish(result(s.c, 'failed', calls, why, s.err !== undefined ? requestIdOf(s.err) : {}), s.c);
      unconfirmed ??= `${op} of ${kind.label} ${JSON.stringify(s.c.subject)} is not confirmed`;
      if (op === 'create') failedCreates.add(s.c.subject);
    }
  }
}

/** A kind's live state as text that does not depend on list order. */
function snapshot(k: LiveKind): string {
  const objects = [...k.objects].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)).map((o) => [o.id, o.key, o.builtIn, o.rank ?? null, o.spec]);
  return canonical([objects, k.settings]);
}
