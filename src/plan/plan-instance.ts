import type { ReadableRuleSpec, Switch } from '../domain.js';
import type { RuleSummary } from '../api/types.js';
import { idProblem, unusableIdMessage } from '../api/usable-id.js';
import { inRankOrder } from '../live/rule-kinds.js';
import type { LiveInstance, LiveRuleDetail } from '../live/types.js';
import type { DesiredInstance, DesiredRiskRule, DesiredSystemRule } from '../policy/types.js';
import { instanceKey } from '../domain.js';
import { movedIds, rankMoves, type RankedRule } from './rank-moves.js';
import { describeNumbering } from './rank-numbering.js';
import { NOT_WEAKENING, reviewDelete, reviewSwitch, reviewUpdate } from './review.js';
import { diffRule, readableSpec, ruleSpec } from './rule-diff.js';
import { cmp } from './order.js';
import type { Change, PlanNote, RuleProvenance, SwitchedRule } from './types.js';

/** The plan of one instance. */
export interface InstancePlan {
  /** Its changes (unsorted). */
  readonly changes: readonly Change[];
  /** Its notes. */
  readonly notes: readonly PlanNote[];
}

/** Planning switches for one instance. */
export interface InstancePlanOptions {
  /** Re-send write-only fields (exception_ips) of rules that declare them. */
  readonly reassertWriteOnly: boolean;
}

/** Placeholder id of a rule that does not exist yet (ids from the API never contain NUL). */
const pendingId = (name: string): string => `\u0000new:${name}`;

/** Where a desired rule is defined and, for a rule set's rule, how it reached the instance. */
export function provenance(rule: DesiredRiskRule | DesiredSystemRule): RuleProvenance {
  return { ...rule.source, ...rule.origin };
}

/**
 * Plans one instance whose live state is complete and unambiguous (see instanceProblems).
 * Creates, updates, deletes (prune only, CUSTOMIZE only), at most one ON and one OFF switch
 * batch, and one reorder with the fewest rank moves.
 */
export function planInstance(desired: DesiredInstance, live: LiveInstance, options: InstancePlanOptions): InstancePlan {
  const key = instanceKey(desired);
  const rules = inRankOrder(live.rules);
  const { customs, systems } = byName(rules);
  const plan: RulePlan = { changes: [], notes: [], batches: { ON: [], OFF: [] }, creates: [] };
  const { changes, notes, batches } = plan;

  for (const rule of desired.riskRules) planRiskRule(key, rule, customs.get(rule.name), live, options, plan);

  for (const sys of desired.systemRules) {
    const found = systems.get(sys.name)!;
    if (leftAlone(key, found, plan)) continue;
    if (found.status !== sys.status) batches[sys.status].push({ id: found.id, name: sys.name, system: true, source: provenance(sys) });
  }

  const declared = new Set(desired.riskRules.map((r) => r.name));
  const declaredSystems = new Set(desired.systemRules.map((r) => r.name));
  for (const rule of rules.filter((r) => r.ruleType === 'UNKNOWN' && !declaredSystems.has(r.name))) {
    notes.push({ target: key, rule: rule.name, message: `listed without rule_type (id ${rule.id}) and cannot be told from a system rule; not managed` });
  }
  for (const rule of rules.filter((r) => r.ruleType === 'OTHER' && !declaredSystems.has(r.name))) {
    notes.push({ target: key, rule: rule.name, message: `listed with a rule_type that is neither SYSTEM nor CUSTOMIZE (id ${rule.id}); not custom, not managed` });
  }
  // Every undeclared custom rule, namesakes included (whether DBSS allows two rules of one name
  // is unsettled); a namesake's delete id names its rule id too, so change ids stay unique.
  const undeclared = rules.filter((r) => r.ruleType === 'CUSTOMIZE' && !declared.has(r.name));
  const listed = new Map<string, number>();
  for (const r of undeclared) listed.set(r.name, (listed.get(r.name) ?? 0) + 1);
  for (const rule of desired.prune ? undeclared : []) {
    if (leftAlone(key, rule, plan)) continue;
    const id = `${key}#delete:${rule.name}${listed.get(rule.name)! > 1 ? ` (id ${rule.id})` : ''}`;
    changes.push({ id, target: key, kind: 'delete', rule: rule.name, ruleId: rule.id, review: reviewDelete() });
  }
  for (const name of desired.prune ? [] : listed.keys()) {
    notes.push({ target: key, rule: name, message: 'not declared; left alone (prune: false)' });
  }

  for (const status of ['ON', 'OFF'] as const) {
    // Names are unique in a batch: instanceProblems refuses a custom rule named like a system rule.
    const switched = batches[status].sort((a, b) => cmp(a.name, b.name));
    if (switched.length === 0) continue;
    const review = reviewSwitch(status, switched.map((r) => r.name));
    changes.push({ id: `${key}#switch:${status}`, target: key, kind: 'switch', status, rules: switched, review });
  }

  const reorder = planReorder(key, desired, rules, customs, plan);
  if (reorder) changes.push(reorder);
  return { changes, notes };
}

/** What the rules of an instance add up to, filled rule by rule. */
interface RulePlan {
  readonly changes: Change[];
  readonly notes: PlanNote[];
  /** Rules to switch, by the status they get. */
  readonly batches: Record<Switch, SwitchedRule[]>;
  /** Names of the rules created, in declaration order. */
  readonly creates: string[];
}

/**
 * Custom rules by name, and system rules by name: a rule without rule_type, or with an unknown
 * one, may only be switched (never deleted, updated or ranked); it answers a system_rules entry
 * when no SYSTEM rule has the name.
 */
function byName(rules: readonly RuleSummary[]): { customs: Map<string, RuleSummary>; systems: Map<string, RuleSummary> } {
  const customs = new Map<string, RuleSummary>();
  const systems = new Map<string, RuleSummary>();
  for (const r of rules) {
    if (r.ruleType === 'CUSTOMIZE') customs.set(r.name, r);
    else systems.set(r.name, r);
  }
  // A SYSTEM-typed rule wins over one without rule_type of the same name, wherever it is listed.
  for (const r of rules) if (r.ruleType === 'SYSTEM') systems.set(r.name, r);
  return { customs, systems };
}

/**
 * One declared custom rule: a create when none is listed under its name, else an update, a
 * switch or nothing, from its detail. Kept apart from planInstance: a function this size is
 * compiled once and cheaply (a large one was recompiled by V8 several times per plan).
 */
function planRiskRule(key: string, rule: DesiredRiskRule, found: RuleSummary | undefined, live: LiveInstance, options: InstancePlanOptions, plan: RulePlan): void {
  if (found && leftAlone(key, found, plan)) return;
  if (!found) {
    plan.creates.push(rule.name);
    plan.changes.push({ id: `${key}#create:${rule.name}`, target: key, kind: 'create', rule: rule.name, after: ruleSpec(rule), review: NOT_WEAKENING, source: provenance(rule) });
    return;
  }
  const detail = live.details[found.id];
  if (!detail) return; // left unread on purpose by a scoped read (unreadDetails): no update or switch
  // A risk level that neither the show nor the list answer gave cannot be compared (whether a
  // region omits it is unconfirmed): it reads as the declared one, and a note says so.
  if (detail.riskLevel === undefined) plan.notes.push({ target: key, rule: rule.name, message: UNREAD_RISK_LEVEL_NOTE });
  const before: ReadableRuleSpec = hasRiskLevel(detail) ? detail : { ...detail, riskLevel: rule.riskLevel };
  const outcome = diffRule(before, rule, options.reassertWriteOnly);
  if (outcome.kind === 'update') {
    const after = ruleSpec(rule);
    plan.changes.push({
      id: `${key}#update:${rule.name}`,
      target: key,
      kind: 'update',
      rule: rule.name,
      ruleId: found.id,
      before: readableSpec(before),
      after,
      fields: outcome.fields,
      review: reviewUpdate(before, after, outcome.fields.map((f) => f.field)),
      source: provenance(rule),
    });
    return;
  }
  if (outcome.kind === 'switch') plan.batches[outcome.status].push({ id: found.id, name: rule.name, system: false, source: provenance(rule) });
  if (outcome.note) plan.notes.push({ target: key, rule: rule.name, message: outcome.note });
}

/**
 * A listed rule whose id cannot be written back (usable-id.ts) is left alone, with a note: no
 * create under its name, no update, switch, rank or delete. True when it is.
 */
function leftAlone(key: string, rule: RuleSummary, plan: RulePlan): boolean {
  const problem = idProblem(rule.id);
  if (problem === undefined) return false;
  plan.notes.push({ target: key, rule: rule.name, message: `${unusableIdMessage('rule', rule.id, problem)}; the rule is left alone (no create, update, switch, rank or delete)` });
  return true;
}

/** The reorder of the declared custom rules, if any (and a note on those listed without rank). */
function planReorder(key: string, desired: DesiredInstance, rules: readonly RuleSummary[], customs: ReadonlyMap<string, RuleSummary>, plan: RulePlan): Change | undefined {
  // A rule left alone for its id takes no part in the order.
  const order = desired.riskRules.map((r) => r.name).filter((n) => !customs.has(n) || idProblem(customs.get(n)!.id) === undefined);
  const nameOf = new Map<string, string>();
  for (const n of order) nameOf.set(customs.get(n)?.id ?? pendingId(n), n);
  const unranked = order.filter((n) => customs.has(n) && customs.get(n)!.rank === undefined);
  if (unranked.length > 0) {
    plan.notes.push({ target: key, message: `listed without rank, so not ordered: ${unranked.join(', ')}` });
  }
  if (plan.creates.length === 0) {
    const calls = rankMoves(rules, [...nameOf.keys()]);
    if (calls.length === 0) return undefined;
    const moves = calls.map((m) => nameOf.get(m.id)!);
    // Exact calls only when the numbering shown is gap-free; otherwise apply learns them.
    const rankCalls = describeNumbering(rules).predictable ? { rankCalls: calls.map(({ id, newRank }) => ({ id, newRank })) } : {};
    return { id: `${key}#reorder`, target: key, kind: 'reorder', order, moves, ...rankCalls, review: NOT_WEAKENING };
  }
  if (order.length <= 1) return undefined;
  // Where the API puts a new rule is unconfirmed and apply may create concurrently, so a
  // reorder (recomputed by apply from a fresh listing) follows any create among several rules.
  const moves = predictMoves(rules, plan.creates, [...nameOf.keys()]).map((id) => nameOf.get(id)!);
  return { id: `${key}#reorder`, target: key, kind: 'reorder', order, moves, review: NOT_WEAKENING };
}

/**
 * Ids that rankMoves would move (movedIds), with creates appended after the live rules in declaration
 * order (display only: where the API puts a new rule is unconfirmed, apply lists first).
 */
function predictMoves(rules: readonly RuleSummary[], creates: readonly string[], desiredIds: readonly string[]): string[] {
  // Only the relative order of declared ranked rules counts: unranked rules (custom ones are
  // never placed, system ones never declared here) are left out. A plain loop: spreading mapped
  // arrays here kept V8 in a deopt loop (one per instance with creates).
  // Stryker disable next-line ArrayDeclaration: a bogus first entry has no rank, so rankedInOrder leaves it out
  const current: RankedRule[] = [];
  for (const r of rules) if (r.rank !== undefined) current.push({ id: r.id, rank: current.length });
  for (const name of creates) current.push({ id: pendingId(name), rank: current.length });
  return movedIds(current, desiredIds);
}

/** A detail that carries its risk level is readable as it is (no copy per rule). */
const hasRiskLevel = (d: LiveRuleDetail): d is LiveRuleDetail & ReadableRuleSpec => d.riskLevel !== undefined;

/** The note of a declared rule whose risk level neither the show nor the list answer gave. */
export const UNREAD_RISK_LEVEL_NOTE = 'risk_level is not returned by the API for this rule; it is not verified (an update sends it)';
