import { appendFile, writeFile } from 'node:fs/promises';
import type { Plan } from '../plan/types.js';
import type { Diagnostic } from '../policy/diagnostics.js';
import { formatDiagnostics } from '../policy/diagnostics.js';
import { renderMarkdown } from '../render/markdown.js';
import { renderText } from '../render/text.js';
import { serializePlan } from '../plan/plan-json.js';
import { PolicyInvalidError } from '../reconcile.js';
import { UsageError } from '../errors.js';
import type { CliIO } from './io.js';

/** Output formats of plan and reconcile. */
export type PlanFormat = 'text' | 'markdown' | 'json' | 'github';

/** Checks a --format value. */
export function planFormat(value: unknown): PlanFormat {
  const v = String(value ?? 'text');
  if (v === 'text' || v === 'markdown' || v === 'json' || v === 'github') return v;
  throw new UsageError(`--format must be text, markdown, json or github, got "${v}"`);
}

/** Colour only on a terminal, and never with --no-color or NO_COLOR. */
export function useColor(io: CliIO, noColor: boolean): boolean {
  return Boolean(io.stdout.isTTY) && !noColor && !io.env['NO_COLOR'];
}

const escapeData = (s: string): string => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');

/** GitHub workflow annotations for a plan's errors, refusals and weakening changes. */
export function planAnnotations(plan: Plan): string {
  const lines = [
    ...plan.errors.map((e) => `::error title=dbss-policy::${escapeData(`${e.target}: ${e.message}`)}`),
    ...plan.refusals.map((e) => `::error title=dbss-policy refused::${escapeData(`${e.target}: ${e.message}`)}`),
    ...plan.changes
      .filter((c) => c.review.weakening)
      .map((c) => {
        const where = 'source' in c && c.source ? `file=${c.source.file},line=${c.source.line},col=${c.source.col},` : '';
        const what = `${c.target}: ${c.kind}${'rule' in c ? ` ${c.rule}` : ''} weakens auditing${c.review.reasons.length ? ` (${c.review.reasons.join('; ')})` : ''}`;
        return `::warning ${where}title=dbss-policy weakening::${escapeData(what)}`;
      }),
  ];
  return lines.length ? `${lines.join('\n')}\n` : '';
}

/** Writes the plan in the chosen format to stdout, the JSON plan to --out, and the job summary. */
export async function emitPlan(plan: Plan, io: CliIO, opts: { format: PlanFormat; color: boolean; out?: string }): Promise<void> {
  switch (opts.format) {
    case 'json':
      io.stdout.write(serializePlan(plan));
      break;
    case 'markdown':
      io.stdout.write(renderMarkdown(plan));
      break;
    case 'github':
      io.stdout.write(planAnnotations(plan) + renderText(plan, { color: false }));
      break;
    default:
      io.stdout.write(renderText(plan, { color: opts.color }));
  }
  if (opts.out) await writeFile(opts.out, serializePlan(plan));
  await appendStepSummary(io, renderMarkdown(plan));
}

/** Appends markdown to the GitHub job summary when GITHUB_STEP_SUMMARY is set. */
export async function appendStepSummary(io: CliIO, markdown: string): Promise<void> {
  const file = io.env['GITHUB_STEP_SUMMARY'];
  if (file) await appendFile(file, markdown.endsWith('\n') ? markdown : `${markdown}\n`);
}

/** Prints validation diagnostics of an invalid policy tree (and warnings of a valid one). */
export function printDiagnostics(io: CliIO, diagnostics: readonly Diagnostic[], format: PlanFormat): void {
  if (diagnostics.length === 0) return;
  const fmt = format === 'github' ? 'github' : format === 'json' ? 'json' : 'text';
  io.stderr.write(formatDiagnostics(diagnostics, fmt));
}

/** True when the error is an invalid policy tree; prints its diagnostics. */
export function reportPolicyErrors(io: CliIO, err: unknown, format: PlanFormat): err is PolicyInvalidError {
  if (!(err instanceof PolicyInvalidError)) return false;
  printDiagnostics(io, err.diagnostics, format);
  return true;
}
