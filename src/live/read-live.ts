import { shownRuleMismatch } from '../api/list-consistency.js';
import { rulesManageable, type AuditInstance } from '../api/types.js';
import type { DesiredInstance, DesiredState } from '../policy/types.js';
import { instanceKey } from '../policy/types.js';
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
  const list = instanceLister(options.pool);
  const selectorProjects = new Map((declared.selectors ?? []).map((s) => [projectOf(s), s]));
  const lists = new Map<string, InstanceList>();
  await Promise.all([...selectorProjects].map(async ([key, s]) => lists.set(key, await list(s.region, s.projectId))));
  const resolution = matchSelectors(declared, lists);
  const selectors = resolution.matches;
  const desired = plannedInstances(declared, { selectors }, options.scope);
  const keys = new Set(desired.instances.map(instanceKey));
  errors.push(...resolution.conflicts.filter((c) => keys.has(c.key)));
  const blocked = new Set(errors.map((e) => e.key));

  const byProject = new Map<string, DesiredInstance[]>();
  for (const d of desired.instances.filter((i) => !blocked.has(instanceKey(i)))) {
    byProject.set(projectOf(d), [...(byProject.get(projectOf(d)) ?? []), d]);
  }

  const instanceReads = [...byProject.values()].map(async (declaredHere) => {
    const { region, projectId } = declaredHere[0]!;
    const listed = await list(region, projectId);
    if ('error' in listed) {
      for (const d of declaredHere) errors.push({ key: instanceKey(d), message: `listing instances: ${listed.error}` });
      return [];
    }
    const reads = declaredHere.map(async (d): Promise<LiveInstance | undefined> => {
      const key = instanceKey(d);
      const found = resolveInstance(d, listed.instances);
      if (typeof found === 'string') {
        errors.push({ key, message: found });
        return undefined;
      }
      try {
        return await readInstance(d, found, options.pool);
      } catch (err) {
        errors.push({ key, message: messageOf(err) });
        return undefined;
      }
    });
    return (await Promise.all(reads)).filter((i): i is LiveInstance => i !== undefined);
  });

  const taskReads = desired.summaryTasks.map(async (t): Promise<LiveSummaryTask | undefined> => {
    try {
      const task = await options.pool.client(t.region).showSummaryTask(t.projectId, t.busiType);
      const text = task.switchText === undefined ? {} : { switchText: task.switchText };
      return { region: t.region, projectId: t.projectId, busiType: t.busiType, enabled: task.enabled, ...text };
    } catch (err) {
      errors.push({ key: `${t.region}/${t.projectId}`, message: `reading ${t.busiType} summary task: ${messageOf(err)}` });
      return undefined;
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
  if (!rulesManageable(found.status)) {
    return `instance "${found.name}" (${found.id}) is ${found.status}; rules can only be managed on an ACTIVE instance`;
  }
  return found;
}

async function readInstance(d: DesiredInstance, inst: AuditInstance, pool: ClientPool): Promise<LiveInstance> {
  const client = pool.client(d.region);
  const rules = liveRuleList(await client.listRules(d.projectId, inst.id));
  const declared = new Set(d.riskRules.map((r) => r.name));
  const wanted = rules.filter((r) => r.ruleType === 'CUSTOMIZE' && declared.has(r.name));
  const details: Record<string, LiveRuleDetail> = {};
  await Promise.all(
    wanted.map(async (r) => {
      const shown = await client.showRule(d.projectId, inst.id, r.id);
      // Checked on the show answer itself, before liveDetail fills its gaps from the list item.
      const mismatch = shownRuleMismatch(r, shown);
      if (mismatch) throw new Error(`inconsistent read of rule ${JSON.stringify(r.name)}: ${mismatch}; the instance is not planned`);
      details[r.id] = liveDetail(r, shown);
    }),
  );
  return {
    key: instanceKey(d),
    region: d.region,
    projectId: d.projectId,
    id: inst.id,
    name: inst.name,
    status: inst.status,
    rules,
    details,
  };
}
