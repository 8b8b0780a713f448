import type { Plan, PlanTarget } from '../plan/types.js';
import type { Line, Style } from './change-lines.js';
import { changeLines, noteLine } from './change-lines.js';
import { selectorLines } from './selector-lines.js';
import { closingLines } from './plan-summary.js';
import { guardrailTextLines } from './guardrail-lines.js';
import { coverageSentences } from './coverage-lines.js';
import { escapeText, neutraliseCommands } from './escape.js';

/** Options of the text renderer. */
export interface TextOptions {
  /** Colour with ANSI escapes (the CLI passes true only on a terminal without NO_COLOR). */
  readonly color?: boolean;
}

const ANSI: Readonly<Record<Style, string>> = {
  create: '32',
  update: '33',
  delete: '31',
  switch: '36',
  reorder: '36',
  task: '35',
  added: '32',
  removed: '31',
  weakening: '1;31',
  dim: '2',
  error: '1;31',
  heading: '1',
};

/** What a target is, after its key: `instance prod-audit (5f2b…)`, `…, matched by "prod-*"` or `summary tasks`. */
export function targetLabel(t: PlanTarget): string {
  if (!t.instanceId) return 'summary tasks';
  const by = t.selector !== undefined ? `, matched by "${t.selector}"` : '';
  return escapeText(`instance ${t.instanceName ?? ''} (${t.instanceId})${by}`);
}

/** The lines of one target: its changes, then its notes and refusals. */
export function targetBody(plan: Plan, key: string): Line[] {
  return [
    ...plan.changes.filter((c) => c.target === key).flatMap(changeLines),
    ...plan.notes.filter((n) => n.target === key).map(noteLine),
    ...plan.refusals
      .filter((r) => r.target === key)
      .map((r): Line => ({ depth: 0, parts: [{ text: `! refused: ${r.message}`, style: 'error' }] })),
  ];
}

/** Lines as text, indented two spaces per depth below `base`, coloured or not. */
export function linesText(lines: readonly Line[], base: number, color: boolean): string[] {
  return lines.map(
    (l) =>
      ' '.repeat(2 * (base + l.depth) + (l.depth > 0 ? 2 : 0)) +
      l.parts.map((p) => (color && p.style ? `\u001b[${ANSI[p.style]}m${escapeText(p.text)}\u001b[0m` : escapeText(p.text))).join(''),
  );
}

/**
 * Terraform-like text: one section per target with something to say (changes, notes,
 * refusals), then what each instance selector matched, then targets that could not be planned,
 * then `Plan: …` or `No changes.`, or what could not be read
 */
export function renderText(plan: Plan, options: TextOptions = {}): string {
  const color = options.color ?? false;
  const paint = (text: string, style: Style): string => (color ? `\u001b[${ANSI[style]}m${text}\u001b[0m` : text);
  const out: string[] = [];
  for (const t of plan.targets) {
    const body = targetBody(plan, t.key);
    if (body.length === 0) continue;
    out.push(`${paint(escapeText(t.key), 'heading')}  ${paint(targetLabel(t), 'dim')}`, ...linesText(body, 1, color), '');
  }
  if (plan.selectors.length > 0) {
    out.push(paint('Selectors:', 'heading'), ...linesText(selectorLines(plan), 1, color), '');
  }
  if (plan.errors.length > 0) {
    out.push(paint('Not planned:', 'heading'));
    for (const e of plan.errors) out.push(`  ${paint('!', 'error')} ${escapeText(e.target)}: ${escapeText(e.message)}`);
    out.push('');
  }
  if (plan.guardrails) {
    const [summary = '', ...violations] = guardrailTextLines(plan.guardrails);
    const failed = plan.guardrails.violations.some((v) => v.severity === 'error');
    out.push(paint(summary, failed ? 'error' : 'heading'), ...violations, '');
  }
  const coverage = coverageSentences(plan.coverage, escapeText, plan.ruleTargets);
  if (coverage.length > 0) out.push(...coverage.map((s) => paint(s, 'dim')), '');
  const [first = '', ...problems] = closingLines(plan).map((l) => escapeText(l));
  out.push(paint(first, plan.changes.length > 0 || problems.length === 0 ? 'heading' : 'error'), ...problems.map((p) => paint(p, 'error')));
  if (plan.refusals.length > 0) {
    out.push(paint(`Refused: ${plan.refusals.length} safety limit${plan.refusals.length === 1 ? '' : 's'} exceeded; apply needs --force.`, 'error'));
  }
  return neutraliseCommands(`${out.join('\n')}\n`);
}
