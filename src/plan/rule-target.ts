import { UsageError } from '../errors.js';
import { globMatches } from '../policy/glob.js';
import type { DesiredInstance, DesiredState } from '../policy/types.js';
import { instanceKey } from '../domain.js';
import type { InstancePlan } from './plan-instance.js';
import { reviewSwitch } from './review.js';
import type { Change } from './types.js';

/**
 * `--target INSTANCE/RULE`: a plan restricted to some rules, as Terraform's `-target` restricts
 * one to some resources. INSTANCE is a glob on an instance's declared name or id, its live name
 * or id, or its key; RULE a glob on rule names (system and custom). Only the creates, updates,
 * deletes and switches of matching rules are planned: the order of an instance's rules involves
 * all of them and summary tasks belong to no rule, so both are left for a full plan.
 */

/** One `--target` pattern, split. */
export interface RuleTarget {
  /** The pattern as given, e.g. `prod-audit/drop-*`. */
  readonly text: string;
  /** Glob on the instance's names, ids and key. */
  readonly instance: string;
  /** Glob on the rule name. */
  readonly rule: string;
}

/** Parses `INSTANCE/RULE`; the rule part may itself contain `/` (the first one separates). */
export function parseRuleTarget(text: string): RuleTarget {
  const [instance, ...ruleParts] = text.split('/');
  const rule = ruleParts.join('/');
  if (!instance || !rule) {
    throw new UsageError(`--target must be INSTANCE/RULE (globs, e.g. prod-audit/drop-* or */legacy-export), got "${text}"`);
  }
  return { text, instance, rule };
}

/** The message of a `--target` whose instance part matched no declared instance. */
export const unmatchedTargetMessage = (text: string): string => `--target ${text} matches no declared instance`;

/** The targets whose instance part matches one of the names. */
export function targetsOf(targets: readonly RuleTarget[], names: readonly string[]): RuleTarget[] {
  return targets.filter((t) => names.some((n) => globMatches(t.instance, n)));
}

/** A declared instance's names as declared: key, and name or id. */
const declaredNames = (d: DesiredInstance): string[] => [instanceKey(d), d.ref.kind === 'name' ? d.ref.name : d.ref.id];

/**
 * The declared state narrowed to the instances some target names as declared, without summary
 * tasks, so only those are read. When a target matches no declaration it may name an instance
 * declared by id by its live name: then every instance is read and the planner selects.
 */
export function narrowToRuleTargets(desired: DesiredState, targets: readonly RuleTarget[]): DesiredState {
  if (targets.length === 0) return desired;
  if (!targets.every((t) => desired.instances.some((d) => targetsOf([t], declaredNames(d)).length > 0))) {
    return { ...desired, summaryTasks: [] };
  }
  return { ...desired, instances: desired.instances.filter((d) => targetsOf(targets, declaredNames(d)).length > 0), summaryTasks: [] };
}

/**
 * An instance's plan restricted to the rules the targets name: creates, updates and deletes of
 * those rules, switch batches cut down to them, notes about them or about the instance; no
 * reorder.
 */
export function restrictToRules(plan: InstancePlan, targets: readonly RuleTarget[]): InstancePlan {
  const wanted = (rule: string): boolean => targets.some((t) => globMatches(t.rule, rule));
  const changes: Change[] = [];
  for (const c of plan.changes) {
    if (c.kind === 'create' || c.kind === 'update' || c.kind === 'delete') {
      if (wanted(c.rule)) changes.push(c);
    } else if (c.kind === 'object') {
      // Another kind's object by its key; its switch batches, order and settings belong to no one object.
      if ((c.op === 'create' || c.op === 'update' || c.op === 'delete') && wanted(c.subject)) changes.push(c);
    } else if (c.kind === 'switch') {
      const rules = c.rules.filter((r) => wanted(r.name));
      if (rules.length > 0) changes.push({ ...c, rules, review: reviewSwitch(c.status, rules.map((r) => r.name)) });
    }
  }
  return { changes, notes: plan.notes.filter((n) => n.rule === undefined || wanted(n.rule)) };
}
