import type { EmulatorState, InstanceState, RuleState } from '../src/emulator/index.js';
import { canonicalRule, policyRuleOf } from './policy-tree.js';
import type { PolicyInstance, PolicyProject, PolicyRule } from './policy-tree.js';

/**
 * The fewest requests the DBSS API allows for a plan and for its apply, computed from the
 * scenario's shape (the estate and the declaration), independently of the planner:
 *
 * read (plan) = Σ projects ⌈instances / 1000⌉            instance list, 1000 per page (at least 1)
 *             + Σ declared instances ⌈rules / 1000⌉       rule list (system + custom), 1000 per page
 *             + Σ declared instances |declared ∩ live custom rules|   one show per rule: the list
 *                                                         carries no content, and there is no bulk show
 *             + declared summary tasks                    one show each
 * apply       = creates + updates + deletes               one call per rule (no bulk write exists)
 *             + Σ instances switch directions             one batched call per direction (≤ 2)
 *             + Σ instances with creates (and > 1 declared rule) ⌈rules / 1000⌉
 *                                                         one list: a create returns no id, and where
 *                                                         the API places a new rule is unconfirmed
 *             + Σ instances (declared − LIS)              setRank calls: every declared rule outside a
 *                                                         longest run already in declared order moves
 *                                                         once (creates counted as appended in
 *                                                         declaration order, the most favourable case)
 *             + Σ instances with rank calls: 1 list, + 1 when more than one call
 *                                                         the reads that confirm a reorder: the rank
 *                                                         numbering is unconfirmed, so the first call
 *                                                         is checked by a listing, and a reorder counts
 *                                                         as applied only when a listing shows the order
 * verify      = read, over the instances the apply touched, after the apply.
 * An update is a change of readable content; a status-only change is a switch. exception_ips is
 * write-only, so a change of it alone is invisible to any reader and costs nothing here.
 */

/** Minimum request counts by operation, and their total. */
export interface RequestCount {
  /** Requests per operation. */
  readonly byOperation: Readonly<Record<string, number>>;
  /** Sum over operations. */
  readonly total: number;
}

const PAGE = 1000;
const pages = (items: number): number => Math.max(1, Math.ceil(items / PAGE));

function count(byOperation: Record<string, number>): RequestCount {
  return { byOperation, total: Object.values(byOperation).reduce((a, b) => a + b, 0) };
}

/** Live instance of a declaration, with its project. */
function findInstance(state: EmulatorState, projectId: string, name: string): InstanceState {
  const inst = state.projects[projectId]?.instances.find((i) => i.name === name);
  if (!inst) throw new Error(`bench: instance ${name} of project ${projectId} is not in the estate`);
  return inst;
}

/** Minimum requests to read what a plan of `projects` needs (only `touched` instances when given). */
export function readMinimum(state: EmulatorState, projects: readonly PolicyProject[], touched?: ReadonlySet<string>): RequestCount {
  const ops = { listInstances: 0, listRules: 0, showRule: 0, showSummaryTask: 0 };
  for (const p of projects) {
    const declared = p.instances.filter((d) => !touched || touched.has(d.name));
    if (declared.length === 0) continue;
    ops.listInstances += pages(state.projects[p.project_id]?.instances.length ?? 0);
    for (const d of declared) {
      const live = findInstance(state, p.project_id, d.name);
      const customs = new Set(live.rules.filter((r) => r.ruleType === 'CUSTOMIZE').map((r) => r.name));
      ops.listRules += pages(live.rules.length);
      ops.showRule += d.risk_rules.filter((r) => customs.has(r.name)).length;
    }
  }
  return count(ops);
}

const readable = (r: PolicyRule): string => JSON.stringify({ ...canonicalRule(r), status: '', exception_ips: [] });

/** What one declared instance needs written, by kind. */
export function instanceWrites(live: InstanceState, d: PolicyInstance): Record<string, number> {
  const customs = new Map(live.rules.filter((r) => r.ruleType === 'CUSTOMIZE').map((r) => [r.name, r]));
  const systems = new Map(live.rules.filter((r) => r.ruleType === 'SYSTEM').map((r) => [r.name, r]));
  const declared = new Set(d.risk_rules.map((r) => r.name));
  const ops = { createRule: 0, updateRule: 0, deleteRule: 0, switchRules: 0, listRules: 0, setRank: 0 };
  const directions = new Set<string>();
  for (const rule of d.risk_rules) {
    const found = customs.get(rule.name);
    if (!found) ops.createRule++;
    else if (readable(policyRuleOf(found)) !== readable(rule)) ops.updateRule++;
    else if (found.status !== rule.status) directions.add(rule.status);
  }
  for (const [name, status] of Object.entries(d.system_rules)) {
    if (systems.get(name)?.status !== status) directions.add(status);
  }
  if (d.prune) ops.deleteRule = [...customs.keys()].filter((n) => !declared.has(n)).length;
  ops.switchRules = directions.size;
  const listPages = pages(live.rules.length + ops.createRule);
  if (ops.createRule > 0 && d.risk_rules.length > 1) ops.listRules = listPages;
  ops.setRank = d.risk_rules.length - longestRunInOrder(live.rules, d.risk_rules);
  // Before its first write, apply lists the instance once to detect another writer.
  const writes = Object.values(ops).some((n) => n > 0);
  if (ops.setRank > 0) ops.listRules += listPages * (ops.setRank > 1 ? 2 : 1);
  if (writes) ops.listRules += pages(live.rules.length);
  return ops;
}

/** Minimum requests of the apply that brings `state` to `projects`. */
export function applyMinimum(state: EmulatorState, projects: readonly PolicyProject[]): RequestCount {
  const ops: Record<string, number> = {};
  for (const p of projects) {
    for (const d of p.instances) {
      for (const [op, n] of Object.entries(instanceWrites(findInstance(state, p.project_id, d.name), d))) ops[op] = (ops[op] ?? 0) + n;
    }
  }
  return count(ops);
}

/** Names of the declared instances whose apply writes anything. */
export function touchedInstances(state: EmulatorState, projects: readonly PolicyProject[]): Set<string> {
  const touched = new Set<string>();
  for (const p of projects) {
    for (const d of p.instances) {
      const writes = instanceWrites(findInstance(state, p.project_id, d.name), d);
      if (Object.values(writes).some((n) => n > 0)) touched.add(d.name);
    }
  }
  return touched;
}

/**
 * Length of a longest run of declared rules already in declared order, reading the live rules in
 * rank order with the created ones appended in declaration order (patience sorting).
 */
function longestRunInOrder(liveRules: readonly RuleState[], declared: readonly PolicyRule[]): number {
  const position = new Map(declared.map((r, i) => [r.name, i]));
  const liveNames = new Set(liveRules.filter((r) => r.ruleType === 'CUSTOMIZE').map((r) => r.name));
  const current = [
    ...liveRules.filter((r) => r.ruleType === 'CUSTOMIZE' && position.has(r.name)).map((r) => r.name),
    ...declared.filter((r) => !liveNames.has(r.name)).map((r) => r.name),
  ];
  const tails: number[] = [];
  for (const name of current) {
    const x = position.get(name)!;
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (tails[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    tails[lo] = x;
  }
  return tails.length;
}
