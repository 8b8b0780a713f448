import type { SourceLocation } from '../domain.js';
import type { GuardrailReport, GuardrailViolation } from '../guardrails/types.js';
import { annotation } from '../gitops/workflow-commands.js';
import { escapeMarkdown, escapeText, markdownCode } from './escape.js';

/**
 * Guardrail results in every format: text (plan, validate), markdown (PR comment, job summary),
 * GitHub annotations (at the line that breaks the guardrail). JSON is the report itself. Every
 * string from the policy tree or the API goes through the format's escaping.
 */

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** `file:line:col`. */
const where = (l: SourceLocation): string => (l.line > 0 ? `${l.file}:${l.line}:${l.col}` : l.file);

/** `Guardrails: 3 checked, 2 violations (1 error, 1 warning)` or `Guardrails: 3 checked, all hold.` */
export function guardrailSummary(report: GuardrailReport): string {
  const v = report.violations;
  if (v.length === 0) return `Guardrails: ${report.checked} checked, all hold.`;
  const errors = v.filter((x) => x.severity === 'error').length;
  return `Guardrails: ${report.checked} checked, ${plural(v.length, 'violation')} (${plural(errors, 'error')}, ${plural(v.length - errors, 'warning')})`;
}

/** What is violated, with the format's quoting of the strings from outside. */
function sentence(v: GuardrailViolation, quote: (s: string) => string): string {
  const rule = v.rule !== undefined ? ` ${v.kind !== undefined ? quote(v.kind) : 'rule'} ${quote(v.rule)}` : '';
  const state = v.state === 'desired' ? 'declared' : 'live';
  const failed = v.error !== undefined ? ` (could not be evaluated: ${quote(v.error)})` : '';
  return `${v.severity} ${quote(v.guardrail)}: ${quote(v.target)}${rule} (${state}): ${quote(v.message)}${failed}`;
}

/** Text lines: the summary, then two lines per violation (what, then where). */
export function guardrailTextLines(report: GuardrailReport): string[] {
  const lines = [guardrailSummary(report)];
  for (const v of report.violations) {
    lines.push(`  ${v.severity === 'error' ? '✗' : '!'} ${sentence(v, escapeText)}`);
    lines.push(`      at ${escapeText(where(v.at))}; guardrail at ${escapeText(where(v.guardrailAt))}`);
  }
  return lines;
}

/** Markdown: a callout's head, then one item per violation (empty report: one line that they hold). */
export function guardrailMarkdown(report: GuardrailReport): [string, ...string[]] {
  if (report.violations.length === 0) return [`**${guardrailSummary(report)}**`];
  const errors = report.violations.some((v) => v.severity === 'error');
  const items = report.violations.map(
    (v) => `> - ${sentence(v, escapeMarkdown)} at ${markdownCode(where(v.at))}, guardrail at ${markdownCode(where(v.guardrailAt))}`,
  );
  return [`> [!${errors ? 'CAUTION' : 'WARNING'}]\n> **${guardrailSummary(report)}**\n>`, ...items];
}

/** GitHub annotations, each at the line that breaks the guardrail. */
export function guardrailAnnotations(report: GuardrailReport): string {
  return report.violations
    .map((v) => {
      const at = v.at.line > 0 ? { file: v.at.file, line: v.at.line, col: v.at.col } : {};
      const message = `${sentence(v, (s) => s)} (guardrail at ${where(v.guardrailAt)})`;
      return annotation(v.severity === 'error' ? 'error' : 'warning', message, { title: `dbss-policy guardrail ${v.guardrail}`, ...at });
    })
    .join('');
}
