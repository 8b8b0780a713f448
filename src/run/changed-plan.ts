import { policyTreeAtRef } from '../policy/policy-tree-at-ref.js';
import type { InstanceList } from '../live/instance-lists.js';
import { instanceLister } from '../live/instance-lists.js';
import type { ClientPool } from '../live/client-pool.js';
import { plannedInstances, readLiveState } from '../live/read-live.js';
import type { ReadProgressEvent } from '../live/read-live.js';
import { expandSelectors, matchSelectors } from '../live/selectors.js';
import type { LiveState } from '../live/types.js';
import type { RulesToShow } from '../plan/changed-targets.js';
import { changedInstances, changedTargets } from '../plan/changed-targets.js';
import type { PlanOptions } from '../plan/compute-plan.js';
import { computePlan } from '../plan/compute-plan.js';
import type { Plan, PlanCoverage } from '../plan/types.js';
import { loadPolicies } from '../policy/load-policies.js';
import type { DesiredState } from '../policy/types.js';
import { instanceKey } from '../domain.js';

/**
 * `plan --changed-since REF`: a pull-request preview that reads and plans only the targets
 * whose desired state changed since REF, so its cost grows with the change, not the estate.
 * Everything else is left unread, and the plan says so (drift there is the scheduled job's).
 */

type Scope = (desired: DesiredState) => DesiredState;

const projectOf = (x: { readonly region: string; readonly projectId: string }): string => `${x.region}/${x.projectId}`;

/** A set of targets to read: instances (with the rules to show) and summary-task projects. */
export interface TargetReads {
  /** Instance keys (selectors resolved) and, per instance, the declared rules to show by name ('all' = every one). */
  readonly instances: ReadonlyMap<string, RulesToShow>;
  /** `region/project` whose declared summary tasks are read. */
  readonly taskProjects: ReadonlySet<string>;
}

/**
 * Reads the live state of exactly these targets of `declared`: the instance lists of their
 * projects (and of `declared`'s selector projects, which resolve the selectors), each target's
 * rule list, the shows its entry asks for, and the summary tasks of the listed projects. Reusable
 * by anything that must re-read only some targets (a scoped plan, a targeted currency check).
 */
export async function readTargets(
  declared: DesiredState,
  targets: TargetReads,
  options: {
    readonly pool: ClientPool;
    readonly scope?: Scope;
    readonly lister?: (region: string, projectId: string) => Promise<InstanceList>;
    readonly onProgress?: (event: ReadProgressEvent) => void;
  },
): Promise<{ live: LiveState; desired: DesiredState }> {
  const narrow = options.scope ?? ((d: DesiredState) => d);
  const scope: Scope = (d) => {
    const n = narrow(d);
    return {
      instances: n.instances.filter((i) => targets.instances.has(instanceKey(i))),
      summaryTasks: n.summaryTasks.filter((t) => targets.taskProjects.has(projectOf(t))),
      selectors: n.selectors ?? [],
    };
  };
  const live = await readLiveState(declared, {
    pool: options.pool,
    scope,
    ...(options.lister ? { lister: options.lister } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    details: (key, _instance, wanted) => {
      const show = targets.instances.get(key) ?? 'all';
      return { show: show === 'all' ? wanted : wanted.filter((r) => show.has(r.name)) };
    },
  });
  return { live, desired: plannedInstances(declared, live, scope) };
}

/** What a scoped plan is computed from. */
export interface ChangedPlanInputs {
  /** The policies directory (inside a git work tree). */
  readonly policiesDir: string;
  /** The git ref to compare with (e.g. the pull request's base commit). */
  readonly ref: string;
  /** The working tree's desired state (validated). */
  readonly head: DesiredState;
  /** The run's clients. */
  readonly pool: ClientPool;
  /** --shard / --instance narrowing, applied before the change filter. */
  readonly scope: Scope;
  /** --credential: the projects the run plans, applied to the state at `ref` as the head already was (absent: all). */
  readonly select?: (desired: DesiredState) => DesiredState;
  /** Planner options. */
  readonly planOptions: PlanOptions;
  /** Told how the live read progresses (the CLI's progress line). */
  readonly onProgress?: (event: ReadProgressEvent) => void;
}

/**
 * Plans only what changed since `ref`. When the tree at `ref` does not validate, nothing can be
 * compared: every target is read and planned, and the plan says why.
 */
export async function prepareChangedPlan(inputs: ChangedPlanInputs): Promise<{ desired: DesiredState; live: LiveState; plan: Plan }> {
  const tree = await policyTreeAtRef(inputs.policiesDir, inputs.ref);
  try {
    const base = tree.files === 0 ? undefined : await loadPolicies(tree.dir, { cwd: tree.dir });
    const loadedBase: DesiredState = base?.desired ?? { instances: [], summaryTasks: [], selectors: [] };
    const baseDesired = inputs.select ? inputs.select(loadedBase) : loadedBase;
    const at = { ref: inputs.ref, commit: tree.commit };
    if (base && !base.valid) {
      const errors = base.diagnostics.filter((d) => d.severity === 'error').length;
      const fallback = `the policies there do not validate (${errors} error${errors === 1 ? '' : 's'}), so every target was read and planned`;
      const live = await readLiveState(inputs.head, { pool: inputs.pool, scope: inputs.scope, ...progressOf(inputs) });
      const desired = plannedInstances(inputs.head, live, inputs.scope);
      const plan = computePlan(desired, live, inputs.planOptions);
      const coverage: PlanCoverage = { changedSince: { ...at, changedTargets: plan.targets.length, unchangedTargets: 0, unreadRules: 0, fallback } };
      return { desired, live, plan: Object.assign(plan, { coverage }) };
    }
    return await scopedPlan(baseDesired, inputs, at);
  } finally {
    await tree.dispose();
  }
}

async function scopedPlan(
  base: DesiredState,
  inputs: ChangedPlanInputs,
  at: { ref: string; commit: string },
): Promise<{ desired: DesiredState; live: LiveState; plan: Plan }> {
  const head = inputs.head;
  const changed = changedTargets(base, head);
  const lister = instanceLister(inputs.pool);
  const sp = changed.selectorProjects;
  // Selector projects: compare what each side's selectors and claims give, against the same list.
  const lists = new Map<string, InstanceList>();
  for (const p of sp) {
    const [region, projectId] = [p.slice(0, p.indexOf('/')), p.slice(p.indexOf('/') + 1)];
    lists.set(p, await lister(region, projectId));
  }
  const inSp = <T extends { region: string; projectId: string }>(xs: readonly T[] | undefined): T[] => (xs ?? []).filter((x) => sp.has(projectOf(x)));
  const expand = (d: DesiredState): DesiredState => {
    const part: DesiredState = { instances: inSp(d.instances), summaryTasks: [], selectors: inSp(d.selectors) };
    return expandSelectors(part, matchSelectors(part, lists).matches);
  };
  const instances = new Map([...changed.instances].filter(([key]) => !sp.has(key.split('/').slice(0, 2).join('/'))));
  for (const [key, show] of changedInstances(expand(base).instances, expand(head).instances)) instances.set(key, show);

  const projectsRead = new Set([...sp, ...[...instances.keys()].map((k) => k.split('/').slice(0, 2).join('/'))]);
  const declared: DesiredState = {
    instances: head.instances.filter((d) => projectsRead.has(projectOf(d))),
    summaryTasks: head.summaryTasks,
    selectors: inSp(head.selectors),
  };
  const { live, desired } = await readTargets(declared, { instances, taskProjects: changed.taskProjects }, { pool: inputs.pool, scope: inputs.scope, lister, ...progressOf(inputs) });
  const plan = computePlan(...withWanted(desired, live, inputs.planOptions));

  // Unchanged targets within the --shard/--instance scope: declared instances, selectors of
  // projects not listed (their matches are unknown), matches that did not change, task projects.
  const narrowed = inputs.scope(head);
  const matchedHere = (live.selectors ?? []).flatMap((s) => s.matched.map((m) => `${s.region}/${s.projectId}/${m.name}`));
  const unchanged =
    narrowed.instances.filter((d) => !instances.has(instanceKey(d))).length +
    (narrowed.selectors ?? []).filter((s) => !sp.has(projectOf(s))).length +
    matchedHere.filter((k) => !instances.has(k)).length +
    new Set(narrowed.summaryTasks.map(projectOf).filter((p) => !changed.taskProjects.has(p))).size;
  const unreadRules = live.instances.reduce((n, i) => n + (i.unreadDetails?.length ?? 0), 0);
  const changedCount = desired.instances.length + new Set(desired.summaryTasks.map(projectOf)).size;
  const coverage: PlanCoverage = { changedSince: { ...at, changedTargets: changedCount, unchangedTargets: unchanged, unreadRules } };
  return { desired, live, plan: Object.assign(plan, { coverage }) };
}

const progressOf = (inputs: ChangedPlanInputs): Pick<ChangedPlanInputs, 'onProgress'> =>
  inputs.onProgress ? { onProgress: inputs.onProgress } : {};

/**
 * --instance names that no planned target answers are unchanged targets here, not mistakes: they
 * are dropped before planning (and when none is left, nothing is planned) instead of being
 * reported as matching no declared instance.
 */
function withWanted(desired: DesiredState, live: LiveState, options: PlanOptions): [DesiredState, LiveState, PlanOptions] {
  const wanted = options.instances ?? [];
  if (wanted.length === 0) return [desired, live, options];
  const names = new Set(
    desired.instances.flatMap((d) => {
      const found = live.instances.find((i) => i.key === instanceKey(d));
      return [instanceKey(d), d.ref.kind === 'name' ? d.ref.name : d.ref.id, ...(found ? [found.name, found.id] : [])];
    }),
  );
  const kept = wanted.filter((w) => names.has(w));
  const nothing: DesiredState = { instances: [], summaryTasks: [], selectors: desired.selectors ?? [] };
  return [kept.length > 0 ? desired : nothing, live, { ...options, instances: kept }];
}
