import type { GuardrailViolation } from '../guardrails/types.js';
import type { Change, Plan } from '../plan/types.js';
import { escapeText } from '../render/escape.js';
import type { CliIO } from './io.js';
import { EXIT } from './io.js';
import { describeChange } from '../plan/describe-change.js';

/** `target: delete legacy-export (rule deleted)`: one weakening change, named for a person. */
function weakeningText(c: Change): string {
  return `${c.target}: ${describeChange(c)}${c.review.reasons.length > 0 ? ` (${c.review.reasons.join('; ')})` : ''}`;
}

/** `prod-drop-table-high: region/project/prod-a (live) at a.yaml:5:5`, escaped for a terminal. */
function violationText(v: GuardrailViolation): string {
  const rule = v.rule !== undefined ? ` ${v.kind ?? 'rule'} ${v.rule}` : '';
  return escapeText(`${v.guardrail}: ${v.target}${rule} (${v.state === 'desired' ? 'declared' : 'live'}) at ${v.at.file}:${v.at.line}:${v.at.col}`);
}

/** Why a plan may not be applied as it is; empty when it may. */
export function planBlockers(plan: Plan, opts: { failOnWeakening: boolean; force: boolean; failOnGuardrail?: boolean }): string[] {
  const blockers: string[] = [];
  if (opts.failOnGuardrail) blockers.push(...guardrailBlockers(plan.guardrails?.violations ?? []));
  if (!opts.force) blockers.push(...plan.refusals.map((r) => `${r.target}: ${r.message} (use --force to apply anyway)`));
  if (opts.failOnWeakening) {
    const weak = plan.changes.filter((c) => c.review.weakening);
    if (weak.length > 0) {
      const n = weak.length;
      blockers.push(
        `the plan weakens auditing in ${n} change${n === 1 ? '' : 's'} (--fail-on-weakening):\n    ${weak.map(weakeningText).join('\n    ')}`,
      );
    }
  }
  return blockers;
}

/**
 * What --fail-on-guardrail says about violations: one blocker for the error violations (warnings
 * never fail a run), listing each with where it breaks; empty when none is an error.
 */
export function guardrailBlockers(violations: readonly GuardrailViolation[]): string[] {
  const errors = violations.filter((v) => v.severity === 'error');
  if (errors.length === 0) return [];
  const n = errors.length;
  return [`${n} guardrail violation${n === 1 ? '' : 's'} (--fail-on-guardrail):\n    ${errors.map(violationText).join('\n    ')}`];
}

/**
 * Exit code of a plan (plan, reconcile --dry-run): 1 when some target could not be planned or
 * the plan is blocked, 2 with --detailed-exitcode when there are changes, else 0. A blocked plan
 * says why on stderr, so exit 1 never comes without a reason.
 */
export function planExitCode(plan: Plan, opts: { detailed: boolean; failOnWeakening: boolean; force: boolean; failOnGuardrail?: boolean }, io?: CliIO): number {
  const blockers = planBlockers(plan, opts);
  if (io && blockers.length > 0) io.stderr.write(`Exit 1: ${blockers.join('\n  ')}\n`);
  if (plan.errors.length > 0 || blockers.length > 0) return EXIT.error;
  return opts.detailed && plan.changes.length > 0 ? EXIT.changes : EXIT.ok;
}
