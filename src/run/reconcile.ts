import { applyPlan } from '../apply/apply-plan.js';
import { settleCreatedRules } from '../apply/settle-creates.js';
import { settleUnverifiable } from '../apply/unverifiable.js';
import { prepareCachedPlan } from './cached-plan.js';
import type { CacheSettings } from './cached-plan.js';
import { prepareChangedPlan } from './changed-plan.js';
import { narrowToTargets } from '../apply/saved-plan-check.js';
import { enterPhase } from './run-phase.js';
import type { RunDeadline } from '../cli/run-deadline.js';
import type { ApplyProgress, ApplyResult } from '../apply/types.js';
import { DbssPolicyError } from '../errors.js';
import type { ClientPool } from '../live/client-pool.js';
import { plannedInstances, readLiveState } from '../live/read-live.js';
import type { ReadProgressEvent } from '../live/read-live.js';
import type { LiveState } from '../live/types.js';
import { computePlan } from '../plan/compute-plan.js';
import { selectCredentials, selectShard } from '../plan/shard.js';
import { narrowToRuleTargets } from '../plan/rule-target.js';
import type { CredentialScope, Shard } from '../plan/shard.js';
import type { PlanOptions } from '../plan/compute-plan.js';
import type { Plan } from '../plan/types.js';
import type { LockWait } from '../apply/lock-wait.js';
import { loadPolicies } from '../policy/load-policies.js';
import type { Diagnostic } from '../policy/diagnostics.js';
import type { DesiredInstance, DesiredState } from '../policy/types.js';
import { instanceKey, selectorKey } from '../domain.js';

/**
 * The pipeline: loadPolicies → (validate) → readLiveState → computePlan → applyPlan, chained
 * for the plan / apply / reconcile verbs. No printing here: the CLI decides what goes where.
 */

/** A policy tree with errors: carries every diagnostic for the CLI to print. */
export class PolicyInvalidError extends DbssPolicyError {
  /** Every problem found, sorted by file and line. */
  readonly diagnostics: readonly Diagnostic[];
  constructor(diagnostics: readonly Diagnostic[]) {
    const n = diagnostics.filter((d) => d.severity === 'error').length;
    super('POLICY_INVALID', `${n} policy error${n === 1 ? '' : 's'}; nothing was read or changed`);
    this.name = 'PolicyInvalidError';
    this.diagnostics = diagnostics;
  }
}

/** What a run works on. */
export interface RunInputs {
  /** Policies directory. */
  readonly policiesDir: string;
  /** Working directory (file names in messages are relative to it). */
  readonly cwd: string;
  /** The run's clients. */
  readonly pool: ClientPool;
  /** Planner options (tool version, safety thresholds, write-only handling). */
  readonly planOptions: PlanOptions;
  /** Only these instances (by name, id or key); empty = all. */
  readonly instances?: readonly string[];
  /** Only this shard of the instances and summary tasks (`--shard I/N`). */
  readonly shard?: Shard;
  /** Only the projects these credentials sign (`--credential NAME`). */
  readonly credentials?: CredentialScope;
  /** With `instances`: plan their projects' summary tasks too (`--summary-tasks`). */
  readonly summaryTasks?: boolean;
  /** Starts the progress display of one live read (`reading`, `verifying`); absent = none. The CLI also bounds the read's requests by --max-duration until the sink ends. */
  readonly readProgress?: (label: string) => ReadProgressSink;
  /** `--changed-since REF`: read and plan only the targets whose desired state changed since this git ref. */
  readonly changedSince?: string;
  /** `--cache FILE`: take rule details from the live-state cache where they are fresh enough. */
  readonly cache?: CacheSettings;
  /** Only these target keys (a saved plan's): nothing else is read or planned. */
  readonly targets?: ReadonlySet<string>;
  /** `--max-duration`: after this, apply sends nothing new (the CLI's clients bound reads by it too, see readProgress). */
  readonly deadline?: RunDeadline;
  /** The endpoint override, if any: runs against different endpoints do not share a run lock. */
  readonly endpoint?: string;
  /** `--lock-timeout`: how long apply waits for another run's lock; absent = it stops at once. */
  readonly lockWait?: LockWait;
  /** Called with the loaded policies before anything is read (--lock-timeout: wait for other runs' locks). */
  readonly beforeRead?: (declared: DesiredState) => Promise<void>;
}

/** Where a live read reports its progress (the CLI's progress line). */
export interface ReadProgressSink {
  /** The read's progress hook. */
  readonly onProgress: (event: ReadProgressEvent) => void;
  /** Called once when the read is over (successful or not). */
  end(): void;
}

/** Reads the live state with the run's progress display, ending it however the read ends. */
async function readWithProgress<T>(
  inputs: RunInputs,
  label: string,
  read: (onProgress?: (e: ReadProgressEvent) => void) => Promise<T>,
): Promise<T> {
  const sink = inputs.readProgress?.(label);
  try {
    return await read(sink?.onProgress);
  } finally {
    sink?.end();
  }
}

/** A computed plan and what it was computed from. */
export interface PreparedPlan {
  /** The desired state planned: selectors resolved into instances, then --shard and --instance applied. */
  readonly desired: DesiredState;
  /** The live state read for it. */
  readonly live: LiveState;
  /** The plan. */
  readonly plan: Plan;
  /** Warnings from validation (errors stop the run before this). */
  readonly warnings: readonly Diagnostic[];
}

/** Loads and validates the policies, reads the live state they need, and computes the plan. */
export async function preparePlan(inputs: RunInputs): Promise<PreparedPlan> {
  enterPhase('loading the policies');
  const loaded = await loadPolicies(inputs.policiesDir, { cwd: inputs.cwd });
  if (loaded.diagnostics.some((d) => d.severity === 'error')) throw new PolicyInvalidError(loaded.diagnostics);
  const select = (d: DesiredState): DesiredState => selectCredentials(d, inputs.credentials);
  const declared = select(loaded.desired);
  // Every credential the read needs is read now: a missing variable stops the run before its first request.
  inputs.pool.checkCredentials?.(projectsToRead(declared, inputs.shard));
  await inputs.beforeRead?.(declared);
  const wanted = inputs.instances ?? [];
  const withTasks = inputs.summaryTasks ?? false;
  // Selectors are resolved by the read; shard and --instance then apply to what they matched too.
  const scope = (d: DesiredState): DesiredState => {
    const selected = narrowToRuleTargets(selectInstances(selectShard(d, inputs.shard), wanted, withTasks), inputs.planOptions.ruleTargets ?? []);
    return inputs.targets ? narrowToTargets(selected, inputs.targets) : selected;
  };
  const guardrails = loaded.desired.guardrails ?? [];
  const planOptions = { ...inputs.planOptions, instances: wanted, summaryTasks: withTasks, ...(guardrails.length > 0 ? { guardrails } : {}) };
  enterPhase('reading the live state');
  if (inputs.changedSince !== undefined) {
    const ref = inputs.changedSince;
    const planned = await readWithProgress(inputs, 'reading', async (onProgress) => {
      const scoped = { policiesDir: inputs.policiesDir, ref, head: declared, select, pool: inputs.pool, scope, planOptions, ...(onProgress ? { onProgress } : {}) };
      return prepareChangedPlan(scoped);
    });
    return { ...planned, warnings: loaded.diagnostics };
  }
  if (inputs.cache) {
    const cache = inputs.cache;
    const planned = await readWithProgress(inputs, 'reading', async (onProgress) => {
      const cached = { declared, pool: inputs.pool, scope, planOptions, cache, ...(onProgress ? { onProgress } : {}) };
      return prepareCachedPlan(cached);
    });
    return { ...planned, warnings: loaded.diagnostics };
  }
  const live = await readWithProgress(inputs, 'reading', (onProgress) =>
    readLiveState(declared, { pool: inputs.pool, scope, ...(onProgress ? { onProgress } : {}) }),
  );
  enterPhase('computing the plan');
  const desired = plannedInstances(declared, live, scope);
  const plan = computePlan(desired, live, planOptions);
  return { desired, live, plan, warnings: loaded.diagnostics };
}

/**
 * The projects a read may send requests to: those of the shard's instances and summary tasks,
 * and of every selector (a selector is listed before the shard picks among what it matched).
 */
function projectsToRead(declared: DesiredState, shard: Shard | undefined): { region: string; projectId: string }[] {
  const part = selectShard(declared, shard);
  return [...part.instances, ...part.summaryTasks, ...(declared.selectors ?? [])];
}

/**
 * Narrows the read to the instances named by --instance when every name matches a declaration
 * (declared name, id or key; an instance a selector matched counts as declared by its name),
 * with the selectors that matched them and, with `withTasks` (--summary-tasks), their projects'
 * summary tasks. A name that matches no declaration may be the live name of an instance
 * declared by id: then everything is read and the planner selects by live names too (and
 * reports what matched nothing).
 */
export function selectInstances(desired: DesiredState, wanted: readonly string[], withTasks = false): DesiredState {
  if (wanted.length === 0) return desired;
  const matches = (d: DesiredInstance, w: string): boolean =>
    w === instanceKey(d) || (d.ref.kind === 'name' ? d.ref.name === w : d.ref.id === w);
  if (!wanted.every((w) => desired.instances.some((d) => matches(d, w)))) return desired;
  const instances = desired.instances.filter((d) => wanted.some((w) => matches(d, w)));
  const projects = new Set(instances.map((d) => `${d.region}/${d.projectId}`));
  const selectedBy = new Set(instances.flatMap((d) => (d.selector !== undefined ? [selectorKey({ ...d, pattern: d.selector })] : [])));
  return {
    instances,
    summaryTasks: withTasks ? desired.summaryTasks.filter((t) => projects.has(`${t.region}/${t.projectId}`)) : [],
    selectors: (desired.selectors ?? []).filter((s) => selectedBy.has(selectorKey(s))),
  };
}

/** The outcome of applying a plan and checking that the live state reached the policy. */
export interface AppliedPlan {
  /** Per-change results. */
  readonly apply: ApplyResult;
  /**
   * A fresh plan of the touched targets after the apply: any change left is "not converged".
   * Absent after an interruption: the user asked to stop, so nothing more is read.
   */
  readonly leftover?: Plan;
}

/** Applies a plan, then re-reads and re-plans every touched target. */
export async function applyAndVerify(
  prepared: Pick<PreparedPlan, 'desired' | 'plan'> & Partial<Pick<PreparedPlan, 'live'>>,
  inputs: RunInputs,
  options: { signal?: AbortSignal; onProgress?: (p: ApplyProgress) => void } = {},
): Promise<AppliedPlan> {
  // With the live state the plan came from, each instance is checked for other writers first.
  const plannedListings = prepared.live && new Map(prepared.live.instances.filter((i) => !i.rulesUnread).map((i) => [i.key, i.rules]));
  enterPhase('applying the plan', true);
  const plannedKinds = prepared.live && new Map(prepared.live.instances.flatMap((i) => (i.kinds ? [[i.key, i.kinds] as const] : [])));
  const apply = await applyPlan(prepared.plan, { pool: inputs.pool, ...options, ...(plannedListings ? { plannedListings } : {}), ...(plannedKinds ? { plannedKinds } : {}) });
  if (apply.interrupted) return { apply };
  enterPhase('verifying the apply (re-reading what it touched)', true);
  const touched = new Set(prepared.plan.changes.map((c) => c.target));
  // Selectors were resolved when planning: re-read exactly the instances they matched then.
  const desired: DesiredState = {
    instances: prepared.desired.instances.filter((d) => touched.has(instanceKey(d))),
    summaryTasks: prepared.desired.summaryTasks.filter((t) => touched.has(`${t.region}/${t.projectId}`)),
  };
  const verify = async () => {
    const live = await readWithProgress(inputs, 'verifying', (onProgress) =>
      readLiveState(desired, { pool: inputs.pool, ...(onProgress ? { onProgress } : {}) }),
    );
    return computePlan(desired, live, inputs.planOptions);
  };
  let leftover = await verify();
  // A rule just created may not be listed yet: wait for it over the settle window, then read again.
  if (await settleCreatedRules(prepared.plan, apply, leftover, inputs.pool)) leftover = await verify();
  return settleUnverifiable(apply, leftover);
}
