import type { ApplyResult, ChangeOutcome } from '../apply/types.js';
import type { Plan } from '../plan/types.js';
import { escapeMarkdown, escapeText, markdownCode, markdownFence, neutraliseCommands } from './escape.js';
import { describeChange } from '../plan/describe-change.js';

const OUTCOMES: readonly ChangeOutcome[] = ['applied', 'failed', 'skipped', 'not-attempted'];

/** Counts of each outcome. */
export function outcomeCounts(result: ApplyResult): Record<ChangeOutcome, number> {
  const counts = { applied: 0, failed: 0, skipped: 0, 'not-attempted': 0 };
  for (const r of result.results) counts[r.outcome]++;
  return counts;
}

/** The leftover changes and read errors after an apply, one line each. */
function notConvergedLines(leftover: Plan | undefined): string[] {
  if (!leftover) return [];
  return [
    ...leftover.changes.map((c) => escapeText(`  ${c.target}: ${describeChange(c)} still pending`)),
    ...leftover.errors.map((e) => escapeText(`  ${e.target}: ${e.message}`)),
  ];
}

/**
 * What a result is about, e.g. `create:drop#2`: its change id after the target key (a `#` in a
 * rule name stays), or its kind when the id does not start with the target.
 */
function changeLabel(r: ApplyResult['results'][number]): string {
  const prefix = `${r.target}#`;
  return r.id.startsWith(prefix) ? r.id.slice(prefix.length) : r.kind;
}

function convergence(leftover: Plan | undefined, pending: readonly string[], skipped: number): string {
  if (!leftover) return 'Not verified: interrupted; run again to converge.';
  if (pending.length) return `Not converged:\n${pending.join('\n')}`;
  // Skipped yet converged: another writer (or an earlier run) made the change; nothing is left to do.
  const unneeded = skipped === 0 ? '' : skipped === 1 ? ', so the skipped change is not needed any more' : `, so the ${skipped} skipped changes are not needed any more`;
  return `Converged: a fresh plan of the touched targets is empty${unneeded}.`;
}

/** Apply result as text: one line per change that did not simply apply, then a summary. */
export function renderResultText(result: ApplyResult, leftover: Plan | undefined): string {
  const lines: string[] = [];
  for (const r of result.results) {
    const label = `${r.outcome.toUpperCase().padEnd(13)} ${r.target} ${changeLabel(r)}`;
    // An API error's detail is its message, which already names the request id.
    const extra = r.detail ? `: ${r.detail}` : '';
    lines.push(escapeText(`${label}${extra}`));
  }
  const counts = outcomeCounts(result);
  lines.push('');
  lines.push(`Apply: ${OUTCOMES.map((o) => `${counts[o]} ${o}`).join(', ')}${result.interrupted ? ' (interrupted)' : ''}.`);
  const pending = notConvergedLines(leftover);
  lines.push(convergence(leftover, pending, counts.skipped));
  return neutraliseCommands(`${lines.join('\n')}\n`);
}

/** Apply result as markdown, for a job summary. */
export function renderResultMarkdown(result: ApplyResult, leftover: Plan | undefined): string {
  const counts = outcomeCounts(result);
  const rows = result.results.map(
    (r) => `| ${markdownCode(r.target).replace(/\|/g, '\\|')} | ${escapeMarkdown(changeLabel(r))} | ${r.outcome} | ${escapeMarkdown(r.detail ?? '')} |`,
  );
  const pending = notConvergedLines(leftover);
  return [
    `### dbss-policy apply: ${OUTCOMES.map((o) => `${counts[o]} ${o}`).join(', ')}${result.interrupted ? ' (interrupted)' : ''}`,
    '',
    ...(rows.length ? ['| target | change | outcome | detail |', '|---|---|---|---|', ...rows, ''] : []),
    pending.length ? `**Not converged:**\n\n${markdownFence(pending.join('\n'))}\n${pending.join('\n')}\n${markdownFence(pending.join('\n'))}` : convergence(leftover, pending, counts.skipped),
    '',
  ].join('\n');
}
