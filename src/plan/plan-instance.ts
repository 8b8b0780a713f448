import type { Switch } from '../domain.js';
import type { RuleSummary } from '../api/types.js';
import type { LiveInstance } from '../live/types.js';
import type { DesiredInstance, DesiredRiskRule, DesiredSystemRule } from '../policy/types.js';
import { instanceKey } from '../policy/types.js';
import { rankMoves } from './rank-moves.js';
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

/** Live rules in rank order (ties keep list order). */
export function byRank(rules: readonly RuleSummary[]): readonly RuleSummary[] {
  if (rules.every((r, i) => i === 0 || rules[i - 1]!.rank <= r.rank)) return rules; // the usual case
  return rules.map((r, i) => ({ r, i })).sort((a, b) => a.r.rank - b.r.rank || a.i - b.i).map((x) => x.r);
}

/**
 * Plans one instance whose live state is complete and unambiguous (see instanceProblems).
 * Creates, updates, deletes (prune only, CUSTOMIZE only), at most one ON and one OFF switch
 * batch, and one reorder with the fewest rank moves.
 */
export function planInstance(desired: DesiredInstance, live: LiveInstance, options: InstancePlanOptions): InstancePlan {
  const key = instanceKey(desired);
  const rules = byRank(live.rules);
  const customs = new Map<string, RuleSummary>();
  const systems = new Map<string, RuleSummary>();
  for (const r of rules) (r.ruleType === 'CUSTOMIZE' ? customs : systems).set(r.name, r);
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
    const before = live.details[found.id];
    if (!before) continue; // left unread on purpose by a scoped read (unreadDetails): no update or switch
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
        review: reviewUpdate(before, after),
        source: provenance(rule),
      });
      continue;
    }
    if (outcome.kind === 'switch') batches[outcome.status].push({ id: found.id, name: rule.name, system: false, source: provenance(rule) });
    if (outcome.note) notes.push({ target: key, rule: rule.name, message: outcome.note });
  }

  for (const sys of desired.systemRules) {
    const found = systems.get(sys.name)!;
    if (found.status.toUpperCase() !== sys.status) batches[sys.status].push({ id: found.id, name: sys.name, system: true, source: provenance(sys) });
  }

  const declared = new Set(desired.riskRules.map((r) => r.name));
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
    const switched = batches[status].sort((a, b) => cmp(a.name, b.name) || cmp(a.id, b.id));
    if (switched.length === 0) continue;
    const review = reviewSwitch(status, switched.map((r) => r.name));
    changes.push({ id: `${key}#switch:${status}`, target: key, kind: 'switch', status, rules: switched, review });
  }

  const order = desired.riskRules.map((r) => r.name);
  const nameOf = new Map(order.map((n) => [customs.get(n)?.id ?? pendingId(n), n]));
  if (creates.length === 0) {
    const rankCalls = rankMoves(rules, [...nameOf.keys()]);
    if (rankCalls.length > 0) {
      const moves = rankCalls.map((m) => nameOf.get(m.id)!);
      changes.push({ id: `${key}#reorder`, target: key, kind: 'reorder', order, moves, rankCalls, review: NOT_WEAKENING });
    }
  } else if (order.length > 1) {
    // Where the API puts a new rule is unconfirmed and apply may create concurrently, so a
    // reorder (recomputed by apply from a fresh listing) follows any create among several rules.
    const moves = predictMoves(rules, creates, [...nameOf.keys()]).map((id) => nameOf.get(id)!);
    changes.push({ id: `${key}#reorder`, target: key, kind: 'reorder', order, moves, review: NOT_WEAKENING });
  }
  return { changes, notes };
}

/** Ids that rankMoves would move, with creates appended after the live rules in declaration order. */
function predictMoves(rules: readonly RuleSummary[], creates: readonly string[], desiredIds: readonly string[]): string[] {
  const current = [...rules.map((r) => r.id), ...creates.map(pendingId)].map((id, i) => ({ id, rank: i + 1 }));
  return rankMoves(current, desiredIds).map((m) => m.id);
}
