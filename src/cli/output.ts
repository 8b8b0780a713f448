import { writeFile } from 'node:fs/promises';
import { annotation } from '../gitops/workflow-commands.js';
import { appendStepSummary as appendGitHubStepSummary } from '../gitops/step-summary.js';
import type { Plan } from '../plan/types.js';
import type { Diagnostic } from '../policy/diagnostics.js';
import { formatDiagnostics } from '../policy/diagnostics.js';
import { renderMarkdown } from '../render/markdown.js';
import { renderText } from '../render/text.js';
import { guardrailAnnotations } from '../render/guardrail-lines.js';
import { neutraliseCommands } from '../render/escape.js';
import { serializePlan } from '../plan/plan-json.js';
import { PolicyInvalidError } from '../run/reconcile.js';
import { UsageError } from '../errors.js';
import type { CliIO } from './io.js';
import { describeChange } from '../plan/describe-change.js';

/** Output formats of plan and reconcile. */
export type PlanFormat = 'text' | 'markdown' | 'json' | 'github';

/** Checks a --format value. */
export function planFormat(value: unknown): PlanFormat {
  const v = String(value ?? 'text');
  if (v === 'text' || v === 'markdown' || v === 'json' || v === 'github') return v;
  throw new UsageError(`--format must be text, markdown, json or github, got "${v}"`);
}

/**
 * Colour: never with --no-color; else as FORCE_COLOR says when it is set (`0`/`false` = off,
 * anything else = on, even in a pipe or a CI log); else never with NO_COLOR; else on a terminal.
 * FORCE_COLOR wins over NO_COLOR as in Node's own colour detection.
 */
export function useColor(io: CliIO, noColor: boolean): boolean {
  if (noColor) return false;
  const force = io.env['FORCE_COLOR'];
  if (force !== undefined) return force !== '0' && force.toLowerCase() !== 'false';
  return Boolean(io.stdout.isTTY) && !io.env['NO_COLOR'];
}

/** GitHub workflow annotations for a plan's errors, refusals, weakening changes and guardrail violations. */
export function planAnnotations(plan: Plan): string {
  return [
    ...plan.errors.map((e) => annotation('error', `${e.target}: ${e.message}`, { title: 'dbss-policy' })),
    ...plan.refusals.map((e) => annotation('error', `${e.target}: ${e.message}`, { title: 'dbss-policy refused' })),
    ...plan.changes
      .filter((c) => c.review.weakening)
      .map((c) => {
        const what = `${c.target}: ${describeChange(c)} weakens auditing${c.review.reasons.length ? ` (${c.review.reasons.join('; ')})` : ''}`;
        const at = 'source' in c && c.source ? { file: c.source.file, line: c.source.line, col: c.source.col } : {};
        return annotation('warning', what, { title: 'dbss-policy weakening', ...at });
      }),
    ...(plan.guardrails ? [guardrailAnnotations(plan.guardrails)] : []),
  ].join('');
}

/**
 * Writes the plan in the chosen format to stdout, the JSON plan to --out, and the job summary.
 * `stdout: false` leaves stdout to the caller (reconcile --format json prints plan and result
 * as one document).
 */
export async function emitPlan(plan: Plan, io: CliIO, opts: { format: PlanFormat; color: boolean; out?: string; stdout?: boolean }): Promise<void> {
  switch (opts.stdout === false ? undefined : opts.format) {
    case undefined:
      break;
    case 'json':
      io.stdout.write(serializePlan(plan));
      break;
    case 'markdown':
      io.stdout.write(renderMarkdown(plan));
      break;
    case 'github':
      io.stdout.write(planAnnotations(plan) + neutraliseCommands(renderText(plan, { color: false })));
      break;
    default:
      io.stdout.write(renderText(plan, { color: opts.color }));
  }
  if (opts.out) await writeFile(opts.out, serializePlan(plan));
  // Only in Actions: the markdown shows the stale-plan fingerprints, which a plan computes only when asked.
  if (io.env['GITHUB_STEP_SUMMARY']) await appendStepSummary(io, renderMarkdown(plan));
}

/** Appends markdown to the GitHub job summary when GITHUB_STEP_SUMMARY is set (never fails the run). */
export async function appendStepSummary(io: CliIO, markdown: string): Promise<void> {
  const outcome = await appendGitHubStepSummary(io.env, markdown);
  if (outcome.message) io.stderr.write(`${outcome.message}\n`);
}

/**
 * Prints validation diagnostics of an invalid policy tree (and warnings of a valid one): as
 * workflow annotations on stdout with --format github, else as located lines on stderr.
 */
export function printDiagnostics(io: CliIO, diagnostics: readonly Diagnostic[], format: PlanFormat): void {
  if (diagnostics.length === 0) return;
  if (format === 'github') io.stdout.write(formatDiagnostics(diagnostics, 'github'));
  else io.stderr.write(formatDiagnostics(diagnostics, 'text'));
}

/** True when the error is an invalid policy tree; prints its diagnostics. */
export function reportPolicyErrors(io: CliIO, err: unknown, format: PlanFormat): err is PolicyInvalidError {
  if (!(err instanceof PolicyInvalidError)) return false;
  printDiagnostics(io, err.diagnostics, format);
  return true;
}
