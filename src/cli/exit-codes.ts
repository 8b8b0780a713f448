import type { Plan } from '../plan/types.js';
import { EXIT } from './io.js';

/** Why a plan may not be applied as it is; empty when it may. */
export function planBlockers(plan: Plan, opts: { failOnWeakening: boolean; force: boolean }): string[] {
  const blockers: string[] = [];
  if (!opts.force) blockers.push(...plan.refusals.map((r) => `${r.target}: ${r.message} (use --force to apply anyway)`));
  if (opts.failOnWeakening) {
    const weak = plan.changes.filter((c) => c.review.weakening);
    if (weak.length > 0) blockers.push(`the plan weakens auditing in ${weak.length} change${weak.length === 1 ? '' : 's'} (--fail-on-weakening)`);
  }
  return blockers;
}

/**
 * Exit code of a plan (plan, reconcile --dry-run): 1 when some target could not be planned or
 * the plan is blocked, 2 with --detailed-exitcode when there are changes, else 0.
 */
export function planExitCode(plan: Plan, opts: { detailed: boolean; failOnWeakening: boolean; force: boolean }): number {
  if (plan.errors.length > 0 || planBlockers(plan, opts).length > 0) return EXIT.error;
  return opts.detailed && plan.changes.length > 0 ? EXIT.changes : EXIT.ok;
}
