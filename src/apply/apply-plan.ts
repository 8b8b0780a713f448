import { DbssApiError } from '../api/errors.js';
import type { DbssClient, RuleSummary } from '../api/types.js';
import type { ClientPool } from '../live/client-pool.js';
import type { LiveKind } from '../kinds/kind.js';
import type { Change, ObjectChange, Plan, PlanTarget, ReorderRulesChange } from '../plan/types.js';
import { applyKindChanges } from './apply-kinds.js';
import { CHANGE_KIND_ORDER } from '../plan/types.js';
import { changedSincePlanned } from './concurrent-writer.js';
import { confirmAfterLostAnswer } from './confirm-write.js';
import { CoverageGuard } from './coverage-guard.js';
import { liveRuleList } from '../live/rule-kinds.js';
import { applyReorder } from './rank-apply.js';
import type { ApplyProgress, ApplyResult, ChangeResult, RankReport } from './types.js';

/** Options of applyPlan. */
export interface ApplyOptions {
  /** The run's clients (their shared rate budgets bound the whole apply). */
  readonly pool: ClientPool;
  /** Aborting stops dispatching; calls in flight finish and are reported. */
  readonly signal?: AbortSignal;
  /** Called after each change finishes. */
  readonly onProgress?: (p: ApplyProgress) => void;
  /**
   * The rule listing each instance target (by key) was planned from. When given, an instance is
   * listed again before its first write and left alone if it changed (another writer).
   */
  readonly plannedListings?: ReadonlyMap<string, readonly RuleSummary[]>;
  /** The other kinds each instance target (by key) was planned from, by kind name: each is read again before its first write and left alone if it changed. */
  readonly plannedKinds?: ReadonlyMap<string, Readonly<Record<string, LiveKind>>>;
}

const plannedKinds = (options: ApplyOptions, key: string): { planned?: Readonly<Record<string, LiveKind>> } => {
  const planned = options.plannedKinds?.get(key);
  return planned ? { planned } : {};
};

/** A change that must not run (a change it depends on failed). */
class Skip {
  constructor(readonly detail: string, readonly rank?: RankReport) {}
}

/** The run was stopped (SIGINT, --max-duration) before a call of a change could be sent. */
class Stopped {
  /** The abort reason when it is a message (e.g. `--max-duration 10m reached`), else "interrupted". */
  readonly reason: string;
  constructor(signal: AbortSignal) {
    this.reason = typeof signal.reason === 'string' ? signal.reason : 'interrupted';
  }
}

/** A reorder that a listing shows did not reach the order. */
class ReorderFailed extends Error {
  constructor(message: string, readonly rank: RankReport) {
    super(message);
  }
}

/** What a change adds to its result besides the outcome. */
type ResultExtra = { detail?: string; requestId?: string; rank?: RankReport };

const errorDetail = (err: unknown): { detail: string; requestId?: string } =>
  err instanceof DbssApiError && err.requestId
    ? { detail: err.message, requestId: err.requestId }
    : { detail: err instanceof Error ? err.message : String(err) };

/**
 * Executes a plan. Targets run in parallel; within an instance the phases follow
 * CHANGE_KIND_ORDER (updates, switches, creates, reorder, deletes), and the calls of one phase
 * run concurrently (the client bounds rate and concurrency). A failure does not stop
 * independent changes; a reorder whose created rules failed is skipped. Every change ends
 * applied, failed, skipped or not-attempted.
 */
export async function applyPlan(plan: Plan, options: ApplyOptions): Promise<ApplyResult> {
  const results = new Map<string, ChangeResult>();
  const total = plan.changes.length;
  const record = (r: ChangeResult): void => {
    results.set(r.id, r);
    options.onProgress?.({ done: results.size, total, result: r });
  };
  const targets = new Map(plan.targets.map((t) => [t.key, t]));
  const byTarget = new Map<string, Change[]>();
  for (const c of plan.changes) {
    const list = byTarget.get(c.target);
    if (list) list.push(c);
    else byTarget.set(c.target, [c]);
  }

  await Promise.all(
    [...byTarget].map(async ([key, changes]) => {
      const target = targets.get(key);
      if (!target) {
        for (const c of changes) record(result(c, 'failed', 0, { detail: `target ${key} is not in the plan's targets` }));
        return;
      }
      const client = options.pool.client(target.region, target.projectId);
      const failedCreates = new Set<string>();
      const guard = new CoverageGuard();
      const stop = await otherWriter(key, target, client, options);
      if (stop !== undefined) {
        for (const c of changes) record(result(c, 'skipped', 1, { detail: stop }));
        return;
      }
      for (const kind of CHANGE_KIND_ORDER) {
        const phase = changes.filter((c) => c.kind === kind);
        if (kind === 'object') {
          if (phase.length > 0) await applyKindChanges(phase as ObjectChange[], target, client.kinds, { ...(options.signal ? { signal: options.signal } : {}), record, ...plannedKinds(options, key) });
          continue;
        }
        if (kind === 'delete' && phase.length > 0) await seeSuccessors(target, client, guard, options.signal);
        await Promise.all(
          phase.map(async (change) => {
            let calls = 0;
            const call = async <T>(fn: () => Promise<T>): Promise<T> => {
              if (options.signal?.aborted) throw new Stopped(options.signal);
              calls++;
              return fn();
            };
            const finish = (r: ChangeResult): void => {
              guard.finished(change, r.outcome);
              record(r);
            };
            try {
              if (options.signal?.aborted) throw new Stopped(options.signal);
              const blocked = guard.blocks(change);
              if (blocked !== undefined) throw new Skip(blocked);
              const extra = await execute(change, target, client, call, failedCreates);
              finish(result(change, 'applied', calls, extra));
            } catch (err) {
              if (err instanceof Stopped) {
                // Interrupted between the calls of one change (a reorder lists and ranks several
                // times): some were sent, so it is not "not-attempted"; the next run re-plans it.
                const after = `${err.reason} after ${calls} call${calls === 1 ? '' : 's'} of this change; its outcome is not confirmed (the next run plans it again)`;
                return finish(calls === 0 ? result(change, 'not-attempted', 0, { detail: `${err.reason} before this change was sent` }) : result(change, 'failed', calls, { detail: after }));
              }
              if (err instanceof Skip) return finish(result(change, 'skipped', calls, { detail: err.detail, ...(err.rank && { rank: err.rank }) }));
              // A write whose answer was lost but whose effect a read-back shows is applied, and
              // counts as applied for the coverage guard too (the deletes after it may run).
              const confirmed = await confirmAfterLostAnswer(change, target, client, call, err);
              if (confirmed !== undefined) return finish(result(change, 'applied', calls, { detail: confirmed }));
              if (change.kind === 'create') failedCreates.add(change.rule);
              finish(result(change, 'failed', calls, { ...errorDetail(err), ...(err instanceof ReorderFailed && { rank: err.rank }) }));
            }
          }),
        );
      }
    }),
  );
  return {
    results: plan.changes.map((c) => results.get(c.id)!),
    interrupted: options.signal?.aborted ?? false,
  };
}

/**
 * Before an instance's first write: is its listing still the one the plan was computed from?
 * Why not (one listing call was made), or undefined when it is or there is nothing to compare.
 */
async function otherWriter(
  key: string,
  target: PlanTarget,
  client: DbssClient,
  options: ApplyOptions,
): Promise<string | undefined> {
  // plannedListings holds instance targets only (a project target has no listing).
  const planned = options.plannedListings?.get(key);
  if (planned === undefined || options.signal?.aborted) return undefined;
  try {
    return await changedSincePlanned(client, target.projectId, target.instanceId as string, planned);
  } catch (err) {
    return `could not check the instance before writing: ${errorDetail(err).detail}`;
  }
}

/**
 * Before the deletes of an instance whose creates answered success: one listing must show every
 * created rule in its declared status (CoverageGuard.listed), or the deletes wait for the next run.
 */
async function seeSuccessors(target: PlanTarget, client: DbssClient, guard: CoverageGuard, signal: AbortSignal | undefined): Promise<void> {
  if (!guard.needsListing || signal?.aborted) return;
  try {
    guard.listed(liveRuleList(await client.listRules(target.projectId, target.instanceId as string)));
  } catch (err) {
    guard.unseen(errorDetail(err).detail);
  }
}

function result(
  change: Change,
  outcome: ChangeResult['outcome'],
  calls: number,
  extra?: ResultExtra | void,
): ChangeResult {
  return { id: change.id, kind: change.kind, target: change.target, outcome, calls, ...extra };
}

type Call = <T>(fn: () => Promise<T>) => Promise<T>;

async function execute(
  change: Change,
  target: PlanTarget,
  client: DbssClient,
  call: Call,
  failedCreates: ReadonlySet<string>,
): Promise<ResultExtra | void> {
  const project = target.projectId;
  // Every change but set-task (which does not use it) targets an instance.
  const instance = target.instanceId as string;
  switch (change.kind) {
    case 'update':
      return call(() => client.updateRule(project, instance, change.ruleId, change.after));
    case 'switch':
      return call(() => client.switchRules(project, instance, change.rules.map((r) => r.id), change.status));
    case 'create':
      return call(() => client.createRule(project, instance, change.after));
    case 'reorder':
      return reorder(change, project, instance, client, call, failedCreates);
    case 'delete':
      return call(() => client.deleteRule(project, instance, change.ruleId));
    case 'set-task':
      return call(() => client.setSummaryTask(project, change.busiType, change.after));
    case 'object':
      throw new Error('another kind\'s change is applied by applyKindChanges');
  }
}

/**
 * Brings the declared rules into order (rank-apply.ts): from the plan's rank calls when the
 * instance has no creates, else from a fresh listing (created rules now have ids and the ranks
 * the API chose). Applied only when a listing shows the order reached.
 */
async function reorder(
  change: ReorderRulesChange,
  project: string,
  instance: string,
  client: DbssClient,
  call: Call,
  failedCreates: ReadonlySet<string>,
): Promise<ResultExtra> {
  const missing = change.order.filter((name) => failedCreates.has(name));
  if (missing.length > 0) throw new Skip(`depends on failed create of ${missing.join(', ')}`);
  // The first listing waits (over the client's settle window) until every rule to order is
  // listed: rules this apply just created may show in listings only seconds later.
  let settled = false;
  const everyRule = (rules: readonly { name: string }[]) => change.order.every((n) => rules.some((r) => r.name === n));
  const calls = {
    list: () => call(() => (settled ? client.listRules(project, instance) : ((settled = true), client.listRulesSettled(project, instance, everyRule)))),
    setRank: (id: string, newRank: number) => call(() => client.setRank(project, instance, id, newRank)),
  };
  const r = await applyReorder(calls, change.order, change.rankCalls);
  const rank: RankReport = { numbering: r.numbering, mode: r.mode, rankCalls: r.rankCalls, observed: r.observed };
  if (r.outcome === 'skipped') throw new Skip(r.detail, rank);
  if (r.outcome === 'failed') throw new ReorderFailed(`order not reached: ${r.detail}`, rank);
  return { detail: r.detail, rank };
}
