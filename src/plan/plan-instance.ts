import type { ReadableRuleSpec, Switch } from '../domain.js';
import type { RuleSummary } from '../api/types.js';
import { inRankOrder } from '../live/rule-kinds.js';
import type { LiveInstance, LiveRuleDetail } from '../live/types.js';
import type { DesiredInstance, DesiredRiskRule, DesiredSystemRule } from '../policy/types.js';
import { instanceKey } from '../policy/types.js';
import { movedIds, rankMoves } from './rank-moves.js';
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
  const customs = new Map<string, RuleSummary>();
  // A rule without rule_type under a system rule's name may only be switched (never deleted,
  // updated or ranked); it answers a system_rules entry when no SYSTEM rule has the name.
  const systems = new Map<string, RuleSummary>();
  for (const r of rules) {
    if (r.ruleType === 'CUSTOMIZE') customs.set(r.name, r);
    else systems.set(r.name, r);
  }
  // A SYSTEM-typed rule wins over one without rule_type of the same name, wherever it is listed.
  for (const r of rules) if (r.ruleType === 'SYSTEM') systems.set(r.name, r);
  const changes: Change[] = [];
  const notes: PlanNote[] = [];
  const batches: Record<Switch, SwitchedRule[]> = { ON: [], OFF: [] };
  const creates: string[] = [];

  for (const rule of desired.riskRules) {
    const found = customs.get(rule.name);
    if (!found) {
      creates.push(rule.name);
      const id = `${key}#create:${rule.name}`;
      changes.push({ id, target: key, kind: 'create', rule: rule.name, after: ruleSpec(rule), review: NOT_WEAKENING, source: provenance(rule) });
      continue;
    }
    const detail = live.details[found.id];
    if (!detail) continue; // left unread on purpose by a scoped read (unreadDetails): no update or switch
    // A risk level that neither the show nor the list answer gave cannot be compared (whether a
    // region omits it is unconfirmed): it reads as the declared one, and a note says so.
    if (detail.riskLevel === undefined) notes.push({ target: key, rule: rule.name, message: UNREAD_RISK_LEVEL_NOTE });
    const before: ReadableRuleSpec = hasRiskLevel(detail) ? detail : { ...detail, riskLevel: rule.riskLevel };
    const outcome = diffRule(before, rule, options.reassertWriteOnly);
    if (outcome.kind === 'update') {
      const after = ruleSpec(rule);
      changes.push({
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
      continue;
    }
    if (outcome.kind === 'switch') batches[outcome.status].push({ id: found.id, name: rule.name, system: false, source: provenance(rule) });
    if (outcome.note) notes.push({ target: key, rule: rule.name, message: outcome.note });
  }

  for (const sys of desired.systemRules) {
    const found = systems.get(sys.name)!;
    if (found.status !== sys.status) batches[sys.status].push({ id: found.id, name: sys.name, system: true, source: provenance(sys) });
  }

  const declared = new Set(desired.riskRules.map((r) => r.name));
  const declaredSystems = new Set(desired.systemRules.map((r) => r.name));
  for (const rule of rules.filter((r) => r.ruleType === 'UNKNOWN' && !declaredSystems.has(r.name))) {
    notes.push({ target: key, rule: rule.name, message: `listed without rule_type (id ${rule.id}) and cannot be told from a system rule; not managed` });
  }
  for (const rule of customs.values()) {
    if (declared.has(rule.name)) continue;
    if (desired.prune) {
      const id = `${key}#delete:${rule.name}`;
      changes.push({ id, target: key, kind: 'delete', rule: rule.name, ruleId: rule.id, review: reviewDelete() });
    } else {
      notes.push({ target: key, rule: rule.name, message: 'not declared; left alone (prune: false)' });
    }
  }

  for (const status of ['ON', 'OFF'] as const) {
    // Names are unique in a batch: instanceProblems refuses a custom rule named like a system rule.
    const switched = batches[status].sort((a, b) => cmp(a.name, b.name));
    if (switched.length === 0) continue;
    const review = reviewSwitch(status, switched.map((r) => r.name));
    changes.push({ id: `${key}#switch:${status}`, target: key, kind: 'switch', status, rules: switched, review });
  }

  const order = desired.riskRules.map((r) => r.name);
  const nameOf = new Map(order.map((n) => [customs.get(n)?.id ?? pendingId(n), n]));
  const unranked = order.filter((n) => customs.has(n) && customs.get(n)!.rank === undefined);
  if (unranked.length > 0) {
    notes.push({ target: key, message: `listed without rank, so not ordered: ${unranked.join(', ')}` });
  }
  if (creates.length === 0) {
    const calls = rankMoves(rules, [...nameOf.keys()]);
    if (calls.length > 0) {
      const moves = calls.map((m) => nameOf.get(m.id)!);
      // Exact calls only when the numbering shown is gap-free; otherwise apply learns them.
      const rankCalls = describeNumbering(rules).predictable ? { rankCalls: calls.map(({ id, newRank }) => ({ id, newRank })) } : {};
      changes.push({ id: `${key}#reorder`, target: key, kind: 'reorder', order, moves, ...rankCalls, review: NOT_WEAKENING });
    }
  } else if (order.length > 1) {
    // Where the API puts a new rule is unconfirmed and apply may create concurrently, so a
    // reorder (recomputed by apply from a fresh listing) follows any create among several rules.
    const moves = predictMoves(rules, creates, [...nameOf.keys()]).map((id) => nameOf.get(id)!);
    changes.push({ id: `${key}#reorder`, target: key, kind: 'reorder', order, moves, review: NOT_WEAKENING });
  }
  return { changes, notes };
}

/**
 * Ids that rankMoves would move (movedIds), with creates appended after the live rules in declaration
 * order (display only: where the API puts a new rule is unconfirmed, apply lists first).
 */
function predictMoves(rules: readonly RuleSummary[], creates: readonly string[], desiredIds: readonly string[]): string[] {
  // Only the relative order of declared ranked rules counts: unranked rules (custom ones are
  // never placed, system ones never declared here) are left out.
  const ranked = rules.filter((r) => r.rank !== undefined);
  const current = [...ranked.map((r) => r.id), ...creates.map(pendingId)].map((id, i) => ({ id, rank: i })); // only the order counts
  return movedIds(current, desiredIds);
}

/** A detail that carries its risk level is readable as it is (no copy per rule). */
const hasRiskLevel = (d: LiveRuleDetail): d is LiveRuleDetail & ReadableRuleSpec => d.riskLevel !== undefined;

/** The note of a declared rule whose risk level neither the show nor the list answer gave. */
export const UNREAD_RISK_LEVEL_NOTE = 'risk_level is not returned by the API for this rule; it is not verified (an update sends it)';
