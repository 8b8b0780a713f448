import { pluralOf } from '../kinds/kind.js';
import { shownRuleMismatch } from '../api/list-consistency.js';
import { rulesManageable, type AuditInstance, type DbssClient, type RuleSummary } from '../api/types.js';
import type { LiveKind } from '../kinds/kind.js';
import { KINDS } from '../kinds/registry.js';
import { idProblem, unusableIdMessage } from '../api/usable-id.js';
import type { DesiredInstance, DesiredState } from '../policy/types.js';
import { instanceKey } from '../domain.js';
import type { ClientPool } from './client-pool.js';
import type { InstanceList } from './instance-lists.js';
import { instanceLister, projectOf } from './instance-lists.js';
import { liveDetail, liveRuleList } from './rule-kinds.js';
import { expandSelectors, matchSelectors } from './selectors.js';
import type { LiveInstance, LiveReadError, LiveRuleDetail, LiveState, LiveSummaryTask } from './types.js';

/** Options of a live read. */
export interface ReadLiveOptions {
  /** The run's clients. */
  readonly pool: ClientPool;
  /**
   * Narrows the declared instances once selectors are resolved (--shard, --instance): only
   * what it keeps is read. The caller applies the same function to plan the same scope.
   */
  readonly scope?: (desired: DesiredState) => DesiredState;
  /** Told as the read learns how much there is to read and as it gets done (progress lines). */
  readonly onProgress?: (event: ReadProgressEvent) => void;
  /**
   * Lists instances (memoised per project); pass the one a caller already used so that no
   * project is listed twice in a run. Default: a fresh instanceLister(pool).
   */
  readonly lister?: (region: string, projectId: string) => Promise<InstanceList>;
  /**
   * Which of an instance's declared custom rules to show, and the details known without a show
   * (a cache). Rules neither shown nor known are left unread (LiveInstance.unreadDetails).
   * Default: show every one.
   */
  readonly details?: (key: string, instance: AuditInstance, wanted: readonly RuleSummary[]) => DetailReads;
}

/** The details a read takes for one instance (see ReadLiveOptions.details). */
export interface DetailReads {
  /** Rules to show now. */
  readonly show: readonly RuleSummary[];
  /** Details taken without a show (e.g. from the live-state cache), by rule id. */
  readonly known?: Readonly<Record<string, LiveRuleDetail>>;
}

/**
 * A step of a live read. The totals only grow: the rules to show are known once an instance's
 * list is read, so `expect` events keep coming while `done` events do.
 */
export interface ReadProgressEvent {
  /** `expect`: more work became known; `done`: work finished (read or failed). */
  readonly type: 'expect' | 'done';
  /** API reads (a paged list counts once). */
  readonly requests: number;
  /** Targets: instances, and projects for their summary tasks. */
  readonly targets: number;
}

const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/**
 * The instances a read of `declared` plans: the declared ones plus those its selectors
 * matched (see expandSelectors), narrowed by `scope`. Pure: the same live state gives the same
 * answer, so the planner sees exactly what was read.
 */
export function plannedInstances(
  declared: DesiredState,
  live: Pick<LiveState, 'selectors'>,
  scope: (desired: DesiredState) => DesiredState = (d) => d,
): DesiredState {
  return scope(expandSelectors(declared, live.selectors ?? []));
}

/**
 * Reads what the plan needs, and no more: the instance list once per project (first for the
 * projects with selectors, which it resolves), every rule of each declared or matched instance
 * in scope (all pages), the details of the declared custom rules that exist, and the declared
 * summary tasks. Everything runs concurrently under the clients' rate budgets; a failure is
 * recorded for its instance or project and the rest is still read.
 */
export async function readLiveState(declared: DesiredState, options: ReadLiveOptions): Promise<LiveState> {
  const errors: LiveReadError[] = [];
  const progress = options.onProgress ?? ((): void => undefined);
  const lister = options.lister ?? instanceLister(options.pool);
  const listing = new Set<string>();
  const list: typeof lister = (region, projectId) => {
    const key = projectOf({ region, projectId });
    if (listing.has(key)) return lister(region, projectId);
    listing.add(key);
    progress({ type: 'expect', requests: 1, targets: 0 });
    return lister(region, projectId).finally(() => progress({ type: 'done', requests: 1, targets: 0 }));
  };
  const selectorProjects = new Map((declared.selectors ?? []).map((s) => [projectOf(s), s]));
  const lists = new Map<string, InstanceList>();
  await Promise.all([...selectorProjects].map(async ([key, s]) => lists.set(key, await list(s.region, s.projectId))));
  const resolution = matchSelectors(declared, lists);
  const selectors = resolution.matches;
  const desired = plannedInstances(declared, { selectors }, options.scope);
  const keys = new Set(desired.instances.map(instanceKey));
  errors.push(...resolution.conflicts.filter((c) => keys.has(c.key)));
  const blocked = new Set(errors.map((e) => e.key));

  const taskProjects = new Map<string, number>();
  for (const t of desired.summaryTasks) taskProjects.set(projectOf(t), (taskProjects.get(projectOf(t)) ?? 0) + 1);
  const readable = desired.instances.filter((i) => !blocked.has(instanceKey(i))).length;
  progress({ type: 'expect', requests: readable + desired.summaryTasks.length, targets: desired.instances.length + taskProjects.size });
  progress({ type: 'done', requests: 0, targets: desired.instances.length - readable });

  const byProject = new Map<string, DesiredInstance[]>();
  for (const d of desired.instances.filter((i) => !blocked.has(instanceKey(i)))) {
    byProject.set(projectOf(d), [...(byProject.get(projectOf(d)) ?? []), d]);
  }

  const instanceReads = [...byProject.values()].map(async (declaredHere) => {
    const { region, projectId } = declaredHere[0]!;
    const listed = await list(region, projectId);
    if ('error' in listed) {
      for (const d of declaredHere) errors.push({ key: instanceKey(d), message: `listing instances: ${listed.error}` });
      progress({ type: 'done', requests: declaredHere.length, targets: declaredHere.length });
      return [];
    }
    const reads = declaredHere.map(async (d): Promise<LiveInstance | undefined> => {
      const key = instanceKey(d);
      const found = resolveInstance(d, listed.instances);
      if (typeof found === 'string') {
        errors.push({ key, message: found });
        progress({ type: 'done', requests: 1, targets: 1 });
        return undefined;
      }
      try {
        return await readInstance(d, found, options, progress);
      } catch (err) {
        errors.push({ key, message: messageOf(err) });
        return undefined;
      } finally {
        progress({ type: 'done', requests: 0, targets: 1 });
      }
    });
    return (await Promise.all(reads)).filter((i): i is LiveInstance => i !== undefined);
  });

  const taskReads = desired.summaryTasks.map(async (t): Promise<LiveSummaryTask | undefined> => {
    try {
      const task = await options.pool.client(t.region, t.projectId).showSummaryTask(t.projectId, t.busiType);
      const text = task.switchText === undefined ? {} : { switchText: task.switchText };
      return { region: t.region, projectId: t.projectId, busiType: t.busiType, enabled: task.enabled, ...text };
    } catch (err) {
      errors.push({ key: `${t.region}/${t.projectId}`, message: `reading ${t.busiType} summary task: ${messageOf(err)}` });
      return undefined;
    } finally {
      const left = (taskProjects.get(projectOf(t)) ?? 1) - 1;
      taskProjects.set(projectOf(t), left);
      progress({ type: 'done', requests: 1, targets: left === 0 ? 1 : 0 });
    }
  });

  const [instanceLists, tasks] = await Promise.all([Promise.all(instanceReads), Promise.all(taskReads)]);
  const instances = withoutDoubleDeclarations(instanceLists.flat(), errors);
  return {
    instances: instances.sort((a, b) => a.key.localeCompare(b.key)),
    summaryTasks: tasks.filter((t): t is LiveSummaryTask => t !== undefined),
    errors: errors.sort((a, b) => a.key.localeCompare(b.key) || a.message.localeCompare(b.message)),
    selectors,
  };
}

/** Two declarations (say one by name, one by id) that reach the same instance would fight: refuse both. */
function withoutDoubleDeclarations(instances: LiveInstance[], errors: LiveReadError[]): LiveInstance[] {
  const byId = new Map<string, LiveInstance[]>();
  for (const i of instances) byId.set(`${i.region}/${i.id}`, [...(byId.get(`${i.region}/${i.id}`) ?? []), i]);
  return instances.filter((i) => {
    const same = byId.get(`${i.region}/${i.id}`) ?? [];
    if (same.length < 2) return true;
    const others = same.filter((o) => o !== i).map((o) => o.key);
    errors.push({ key: i.key, message: `instance ${i.id} is also declared as ${others.join(', ')}; declare it once` });
    return false;
  });
}

/** Finds the declared instance in the project's list, or says why it cannot be used. */
function resolveInstance(d: DesiredInstance, listed: readonly AuditInstance[]): AuditInstance | string {
  const where = `project ${d.projectId} (${d.region})`;
  let found: AuditInstance | undefined;
  if (d.ref.kind === 'id') {
    const id = d.ref.id;
    found = listed.find((i) => i.id === id);
    if (!found) return `no instance with id ${id} in ${where}`;
  } else {
    const name = d.ref.name;
    const matches = listed.filter((i) => i.name === name);
    if (matches.length === 0) return `no instance named "${name}" in ${where}`;
    if (matches.length > 1) {
      return `instance name "${name}" is ambiguous in ${where}: ids ${matches.map((m) => m.id).join(', ')}; declare it by id`;
    }
    found = matches[0]!;
  }
  const problem = idProblem(found.id);
  if (problem !== undefined) return `instance "${found.name}" has an ${unusableIdMessage('instance', found.id, problem)}; it is not read or written`;
  if (!rulesManageable(found.status)) {
    return `instance "${found.name}" (${found.id}) is ${found.status}; rules can only be managed on an ACTIVE instance`;
  }
  return found;
}

async function readInstance(
  d: DesiredInstance,
  inst: AuditInstance,
  options: ReadLiveOptions,
  progress: (event: ReadProgressEvent) => void,
): Promise<LiveInstance> {
  const client = options.pool.client(d.region, d.projectId);
  const key = instanceKey(d);
  const kinds = readKinds(d, inst, client, progress);
  // An entry that declares only other kinds does not read its risk rules (minimum requests).
  const rulesDeclared = d.riskRules.length > 0 || d.systemRules.length > 0 || d.prune || d.kinds === undefined;
  const listed = rulesDeclared ? await client.listRules(d.projectId, inst.id).finally(() => progress({ type: 'done', requests: 1, targets: 0 })) : (progress({ type: 'done', requests: 1, targets: 0 }), []);
  const rules = liveRuleList(listed);
  const declared = new Set(d.riskRules.map((r) => r.name));
  // A rule whose id cannot be sent is not shown: the planner leaves it alone (usable-id.ts).
  const wanted = rules.filter((r) => r.ruleType === 'CUSTOMIZE' && declared.has(r.name) && idProblem(r.id) === undefined);
  const reads: DetailReads = options.details ? options.details(key, inst, wanted) : { show: wanted };
  const details: Record<string, LiveRuleDetail> = { ...reads.known };
  // Only the shows are requests; details taken from the cache cost nothing.
  progress({ type: 'expect', requests: reads.show.length, targets: 0 });
  await Promise.all(
    reads.show.map(async (r) => {
      const shown = await client.showRule(d.projectId, inst.id, r.id).finally(() => progress({ type: 'done', requests: 1, targets: 0 }));
      // Checked on the show answer itself, before liveDetail fills its gaps from the list item.
      const mismatch = shownRuleMismatch(r, shown);
      if (mismatch) throw new Error(`inconsistent read of rule ${JSON.stringify(r.name)}: ${mismatch}; the instance is not planned`);
      details[r.id] = liveDetail(r, shown);
    }),
  );
  const unread = wanted.filter((r) => !details[r.id]).map((r) => r.id);
  const kindStates = await kinds;
  return {
    ...(kindStates ? { kinds: kindStates } : {}),
    ...(rulesDeclared ? {} : { rulesUnread: true as const }),
    key,
    region: d.region,
    projectId: d.projectId,
    id: inst.id,
    name: inst.name,
    status: inst.status,
    rules,
    details,
    ...(unread.length > 0 ? { unreadDetails: unread } : {}),
  };
}

/**
 * The kinds the entry declares, each read whole (every page) on the instance, concurrently with
 * its rules; a kind the entry does not declare is not read. A failed read fails the instance.
 */
async function readKinds(d: DesiredInstance, inst: AuditInstance, client: DbssClient, progress: (event: ReadProgressEvent) => void): Promise<Record<string, LiveKind> | undefined> {
  const declared = KINDS.filter((k) => d.kinds?.[k.name] !== undefined);
  if (declared.length === 0) return undefined;
  progress({ type: 'expect', requests: declared.length, targets: 0 });
  const read = await Promise.all(
    declared.map(async (k) => {
      try {
        return [k.name, await k.read(client.kinds, { projectId: d.projectId, instanceId: inst.id })] as const;
      } catch (err) {
        throw new Error(`reading ${pluralOf(k)}: ${messageOf(err)}`, { cause: err });
      } finally {
        progress({ type: 'done', requests: 1, targets: 0 });
      }
    }),
  );
  return Object.fromEntries(read);
}
