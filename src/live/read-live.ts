import type { AuditInstance, RuleDetail } from '../api/types.js';
import type { DesiredInstance, DesiredState } from '../policy/types.js';
import { instanceKey } from '../policy/types.js';
import type { ClientPool } from './client-pool.js';
import type { LiveInstance, LiveReadError, LiveState, LiveSummaryTask } from './types.js';

/** Options of a live read. */
export interface ReadLiveOptions {
  /** The run's clients. */
  readonly pool: ClientPool;
}

const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/**
 * Reads what the plan needs, and no more: the instance list once per project, every rule of
 * each declared instance (all pages), the details of the declared custom rules that exist, and
 * the declared summary tasks. Everything runs concurrently under the clients' rate budgets; a
 * failure is recorded for its instance or project and the rest is still read.
 */
export async function readLiveState(desired: DesiredState, options: ReadLiveOptions): Promise<LiveState> {
  const errors: LiveReadError[] = [];
  const byProject = new Map<string, DesiredInstance[]>();
  for (const d of desired.instances) {
    const k = `${d.region}/${d.projectId}`;
    byProject.set(k, [...(byProject.get(k) ?? []), d]);
  }

  const instanceReads = [...byProject.values()].map(async (declared) => {
    const { region, projectId } = declared[0]!;
    const client = options.pool.client(region);
    let listed: AuditInstance[];
    try {
      listed = await client.listInstances(projectId);
    } catch (err) {
      for (const d of declared) errors.push({ key: instanceKey(d), message: `listing instances: ${messageOf(err)}` });
      return [];
    }
    const reads = declared.map(async (d): Promise<LiveInstance | undefined> => {
      const key = instanceKey(d);
      const found = resolveInstance(d, listed);
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
      return { region: t.region, projectId: t.projectId, busiType: t.busiType, enabled: task.enabled };
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
  if (found.status !== 'ACTIVE') {
    return `instance "${found.name}" (${found.id}) is ${found.status}; rules can only be managed on an ACTIVE instance`;
  }
  return found;
}

async function readInstance(d: DesiredInstance, inst: AuditInstance, pool: ClientPool): Promise<LiveInstance> {
  const client = pool.client(d.region);
  const rules = [...(await client.listRules(d.projectId, inst.id))].sort((a, b) => a.rank - b.rank);
  const declared = new Set(d.riskRules.map((r) => r.name));
  const wanted = rules.filter((r) => r.ruleType === 'CUSTOMIZE' && declared.has(r.name));
  const details: Record<string, RuleDetail> = {};
  await Promise.all(
    wanted.map(async (r) => {
      details[r.id] = await client.showRule(d.projectId, inst.id, r.id);
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
