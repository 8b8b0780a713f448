import { pluralOf } from '../kinds/kind.js';
import type { Json, KindTarget } from '../kinds/kind.js';
import { KINDS } from '../kinds/registry.js';
import { rulesManageable, type AuditInstance, type DbssClient, type RuleSummary } from '../api/types.js';
import { idProblem, unusableIdMessage } from '../api/usable-id.js';
import { BUSI_TYPES, SYSTEM_RULE_NAMES } from '../domain.js';
import type { ReadableRuleSpec } from '../domain.js';
import { DbssPolicyError } from '../errors.js';
import type { ReadProgressEvent } from '../live/read-live.js';
import { liveDetail, liveRuleList } from '../live/rule-kinds.js';
import { instanceRef, selectInstances } from './select-instances.js';
import type { ExportedSummaryTask, ExportedSystemRule, InstanceExport, ProjectExport } from './types.js';

/** What to export of one project. */
export interface ExportRequest {
  /** Region of the project. */
  readonly region: string;
  /** IAM project id. */
  readonly projectId: string;
  /** Instance names or ids (`--instance`); empty = every instance of the project. */
  readonly instances: readonly string[];
}

const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/**
 * Reads what a policy of the project can declare: the instance list, then for each selected
 * ACTIVE instance every rule and the detail of each custom rule, and both summary tasks.
 * Instances that are not ACTIVE (their rules cannot be read) and unreadable summary tasks are
 * left out with a note; any other failure stops the export (no file is better than a partial one).
 */
export async function readProjectExport(
  client: DbssClient,
  request: ExportRequest,
  onProgress: (event: ReadProgressEvent) => void = () => undefined,
): Promise<ProjectExport> {
  const { region, projectId } = request;
  const where = `project ${projectId} (${region})`;
  onProgress({ type: 'expect', requests: 1 + BUSI_TYPES.length, targets: 0 });
  const listed = await client.listInstances(projectId).finally(() => onProgress({ type: 'done', requests: 1, targets: 0 }));
  const selected = selectInstances(listed, request.instances, where);
  const notes: string[] = [];
  for (const i of selected.filter((s) => !rulesManageable(s.status))) {
    notes.push(`instance ${describe(i)} is ${i.status}: its rules cannot be read, so it is not exported`);
  }
  const active = selected.filter((s) => rulesManageable(s.status));
  onProgress({ type: 'expect', requests: active.length, targets: active.length + 1 });
  const [instances, summaryTasks] = await Promise.all([
    Promise.all(active.map((i) => readInstance(client, projectId, i, instanceRef(i, listed), onProgress))),
    Promise.all(BUSI_TYPES.map((busiType) => readTask(client, projectId, busiType, notes).finally(() => onProgress({ type: 'done', requests: 1, targets: 0 })))),
  ]);
  onProgress({ type: 'done', requests: 0, targets: 1 });
  return {
    region,
    projectId,
    instances: instances.sort((a, b) => compare(a.name, b.name) || compare(a.id, b.id)),
    summaryTasks: summaryTasks.filter((t): t is ExportedSummaryTask => t !== undefined),
    ruleSets: [],
    notes,
  };
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const describe = (i: AuditInstance): string => (i.name ? `"${i.name}" (${i.id})` : i.id);

async function readTask(client: DbssClient, projectId: string, busiType: ExportedSummaryTask['busiType'], notes: string[]) {
  try {
    const task = await client.showSummaryTask(projectId, busiType);
    if (task.enabled === undefined) {
      notes.push(`summary task ${busiType} is not exported: its task_switch ${task.switchText === undefined ? 'was not answered' : `reads ${task.switchText}`}, neither on nor off`);
      return undefined;
    }
    return { busiType, enabled: task.enabled };
  } catch (err) {
    notes.push(`summary task ${busiType} is not exported: reading it failed: ${messageOf(err)}`);
    return undefined;
  }
}

async function readInstance(
  client: DbssClient,
  projectId: string,
  inst: AuditInstance,
  ref: 'name' | 'id',
  onProgress: (event: ReadProgressEvent) => void,
): Promise<InstanceExport> {
  try {
    // Array sort is stable: rules with equal ranks keep the list's order, as the planner reads them.
    const listed = await client.listRules(projectId, inst.id).finally(() => onProgress({ type: 'done', requests: 1, targets: 0 }));
    const rules = liveRuleList(listed);
    const { systemRules, customs, notes } = sortRules(rules);
    onProgress({ type: 'expect', requests: customs.length, targets: 0 });
    const details = await Promise.all(
      customs.map(async (r) =>
        liveDetail(r, await client.showRule(projectId, inst.id, r.id).finally(() => onProgress({ type: 'done', requests: 1, targets: 0 }))),
      ),
    );
    onProgress({ type: 'done', requests: 0, targets: 1 });
    const riskRules: ReadableRuleSpec[] = [];
    details.forEach((d) => {
      if (d.riskLevel === undefined) notes.push(`custom rule ${d.name} (id ${d.id}): the API gave no risk_level; not exported (add it by hand)`);
      else riskRules.push(readableContent({ ...d, riskLevel: d.riskLevel }));
    });
    const kinds = await exportKinds(client, { projectId, instanceId: inst.id }, notes, onProgress);
    return { id: inst.id, name: inst.name, ref, use: [], systemRules, riskRules, notes, ...(kinds ? { kinds } : {}) };
  } catch (err) {
    if (!(err instanceof DbssPolicyError)) throw err;
    throw new DbssPolicyError(err.code, `reading instance ${describe(inst)}: ${err.message}`, { cause: err });
  }
}

/**
 * The system rules the policy format can declare (schema order), and the custom rules that a
 * policy can name unambiguously (rank order). A custom rule whose name an earlier custom rule
 * or a system rule already has cannot be declared without ambiguity: it is left out with a note.
 */
function sortRules(rules: readonly RuleSummary[]) {
  const notes: string[] = [];
  const systems = rules.filter((r) => r.ruleType === 'SYSTEM');
  const known: readonly string[] = SYSTEM_RULE_NAMES;
  const systemRules: ExportedSystemRule[] = [];
  for (const name of SYSTEM_RULE_NAMES) {
    const found = systems.filter((r) => r.name === name);
    if (found.length === 1) systemRules.push({ name, status: found[0]!.status });
    if (found.length > 1) notes.push(`system rule ${name} appears ${found.length} times on the instance; not exported`);
  }
  for (const r of systems.filter((s) => !known.includes(s.name))) {
    const found = systems.filter((x) => x.name === r.name);
    if (found.length === 1) systemRules.push({ name: r.name, status: r.status });
    else if (found[0] === r) notes.push(`system rule ${r.name} appears ${found.length} times on the instance; not exported`);
  }
  for (const r of rules.filter((u) => u.ruleType === 'UNKNOWN')) {
    notes.push(`rule ${r.name} (id ${r.id}) is listed without rule_type and cannot be told from a system rule; not exported`);
  }
  for (const r of rules.filter((u) => u.ruleType === 'OTHER')) {
    notes.push(`rule ${r.name} (id ${r.id}) is listed with a rule_type that is neither SYSTEM nor CUSTOMIZE; not exported`);
  }
  const taken = new Set(systems.map((r) => r.name));
  const customs: RuleSummary[] = [];
  for (const r of rules.filter((c) => c.ruleType === 'CUSTOMIZE')) {
    const problem = idProblem(r.id);
    if (problem !== undefined) {
      notes.push(`custom rule ${r.name}: ${unusableIdMessage('rule', r.id, problem)}; not exported (the tool leaves it alone)`);
      continue;
    }
    if (taken.has(r.name)) {
      notes.push(`custom rule ${r.name} (id ${r.id}) has the name of another rule of the instance; not exported (rename it to manage it)`);
      continue;
    }
    taken.add(r.name);
    customs.push(r);
  }
  return { systemRules, customs, notes };
}

/** A detail's readable content under the listed name (the name the planner matches on). */
function readableContent(d: ReadableRuleSpec): ReadableRuleSpec {
  return {
    name: d.name,
    riskLevel: d.riskLevel,
    status: d.status,
    actions: d.actions,
    affectRows: d.affectRows,
    executionTime: d.executionTime,
    dbIds: d.dbIds,
    clientIps: d.clientIps,
    schemas: d.schemas,
    ignoreCase: d.ignoreCase,
  };
}

/** Every kind's policy YAML of one instance (each kind read whole); a kind that cannot be read is left out, with a note. */
async function exportKinds(client: DbssClient, target: KindTarget, notes: string[], onProgress: (event: ReadProgressEvent) => void): Promise<Record<string, Json> | undefined> {
  onProgress({ type: 'expect', requests: KINDS.length, targets: 0 });
  const out: Record<string, Json> = {};
  for (const kind of KINDS) {
    try {
      Object.assign(out, kind.export(await kind.read(client.kinds, target)));
    } catch (err) {
      notes.push(`${pluralOf(kind)} are not exported: reading them failed: ${messageOf(err)}`);
    } finally {
      onProgress({ type: 'done', requests: 1, targets: 0 });
    }
  }
  return Object.keys(out).length > 0 ? out : undefined;
}
