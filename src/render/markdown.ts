import type { Change, Plan, PlanSelector } from '../plan/types.js';
import { matchedText } from './selector-lines.js';
import { closingLines, countChanges, countsText } from './plan-summary.js';
import { linesText, targetBody, targetLabel } from './text.js';
import { coverageSentences } from './coverage-lines.js';
import { guardrailMarkdown } from './guardrail-lines.js';
import { escapeHtml, escapeMarkdown, escapeText, markdownCode as code, markdownFence as fence } from './escape.js';

/** Options of the markdown renderer. */
export interface MarkdownOptions {
  /** Hard limit on the output length (a GitHub comment holds 65,536); default 60,000. */
  readonly maxChars?: number;
  /** Where the full plan is, named in the truncation notice (e.g. an artifact URL or `plan.json`). */
  readonly artifact?: string;
}

/** Default size limit, under GitHub's 65,536-character comment limit. */
export const MARKDOWN_MAX_CHARS = 60_000;

/** A piece of the comment: its text, what separates it from the previous one, and how to shorten it. */
interface Block {
  readonly sep: '\n' | '\n\n';
  readonly text: string;
  /** A shorter version that fits in `room` characters, if the block can be cut. */
  readonly cut?: (room: number) => string | undefined;
}

const section = (first: string, ...rest: string[]): Block[] => [
  { sep: '\n\n', text: first },
  ...rest.map((text): Block => ({ sep: '\n', text })),
];


function weakeningItem(c: Change): string {
  const what = 'rule' in c ? `${c.kind} ${code(c.rule)}` : c.kind === 'set-task' ? `summary task ${c.busiType}` : c.kind === 'object' ? `${c.op} ${c.objectKind} ${code(c.subject)}` : c.kind;
  return `> - ${code(c.target)}: ${what}: ${escapeMarkdown(c.review.reasons.join('; '))}`;
}

const cell = (s: string): string => s.replace(/\|/g, '\\|');

/** One table row per selector: where it is declared, what it matched and what it left out. */
function selectorRow(s: PlanSelector): string {
  const matched = s.matched.length > 0 ? s.matched.map(code).join(', ') : s.unresolved !== undefined ? escapeMarkdown(matchedText(s)) : '—';
  const skipped = s.skipped.map((k) => `${code(k.name)} (${escapeMarkdown(k.reason)})`).join(', ');
  const cells = [code(s.selector), code(`${s.region}/${s.projectId}`), code(`${s.source.file}:${s.source.line}`), matched, skipped];
  return `| ${cells.map(cell).join(' | ')} |`;
}

/** One target's changes in a collapsible diff block; cut at a line boundary when it does not fit. */
function detailsBlock(plan: Plan, key: string, label: string): Block | undefined {
  const lines = linesText(targetBody(plan, key), 0, false);
  if (lines.length === 0) return undefined;
  const f = fence(lines.join('\n'));
  const counts = countsText(countChanges(plan.changes.filter((c) => c.target === key)), true);
  const open = `<details><summary><code>${escapeHtml(escapeText(key))}</code> ${escapeHtml(label)}: ${counts}</summary>\n\n${f}diff\n`;
  const close = `\n${f}\n\n</details>`;
  const render = (shown: readonly string[]): string => `${open}${shown.join('\n')}${close}`;
  const cut = (room: number): string | undefined => {
    const marker = (k: number): string => `… ${lines.length - k} more lines in the full plan`;
    let k = 0;
    let size = open.length + close.length + marker(0).length;
    while (k < lines.length - 1 && size + lines[k]!.length + 1 <= room) size += lines[k++]!.length + 1;
    return k > 0 ? render([...lines.slice(0, k), marker(k)]) : undefined;
  };
  return { sep: '\n\n', text: render(lines), cut };
}

const count = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

/**
 * The per-target table: one row for each target with changes or a safety refusal (targets that
 * were not planned are listed with their reason above it), then one line counting the unchanged
 * ones, so a 2-change plan of a 420-instance estate is two rows, not 420 rows of zeros.
 */
function targetTable(plan: Plan): Block[] {
  const problems = new Set([...plan.errors, ...plan.refusals].map((p) => p.target));
  const changed = new Set(plan.changes.map((c) => c.target));
  const shown = plan.targets.filter((t) => changed.has(t.key) || problems.has(t.key));
  const rows = shown.map((t) => {
    const c = countChanges(plan.changes.filter((x) => x.target === t.key));
    const n = [c.create, c.update, c.delete, c.switches, c.reorder, c.tasks, c.weakening];
    return `| ${cell(code(t.key))} | ${n.join(' | ')} |`;
  });
  const unchanged = plan.targets.filter((t) => !changed.has(t.key) && !problems.has(t.key));
  const instances = unchanged.filter((t) => t.instanceId !== undefined).length;
  const projects = unchanged.length - instances;
  const parts = [
    ...(instances > 0 ? [count(instances, 'unchanged instance', 'unchanged instances')] : []),
    ...(projects > 0 ? [count(projects, 'project with unchanged summary tasks', 'projects with unchanged summary tasks')] : []),
  ];
  const rest = parts.length > 0 ? `${parts.join(' and ')} not shown` : undefined;
  if (rows.length === 0) return rest ? [{ sep: '\n\n', text: `${rest[0]!.toUpperCase()}${rest.slice(1)}.` }] : [];
  const table = section('| Target | Create | Update | Delete | Switch | Reorder | Tasks | Weakening |\n|---|--:|--:|--:|--:|--:|--:|--:|', ...rows);
  return rest ? [...table, { sep: '\n\n', text: `<sub>${rest}.</sub>` }] : table;
}

/** The comment's blocks in priority order: summary, call-outs, table, then details. */
function blocks(plan: Plan): Block[] {
  const out: Block[] = [{ sep: '\n\n', text: `### dbss-policy plan\n\n**${escapeMarkdown(closingLines(plan).join(' '))}**` }];
  const coverage = coverageSentences(plan.coverage, code, plan.ruleTargets);
  if (coverage.length > 0) out.push(...section('> [!NOTE]', ...coverage.map((s) => `> ${s}`)));
  const weak = plan.changes.filter((c) => c.review.weakening);
  if (weak.length > 0) {
    const title = `> [!CAUTION]\n> **${weak.length} change${weak.length === 1 ? ' weakens' : 's weaken'} auditing**\n>`;
    out.push(...section(title, ...weak.map(weakeningItem)));
  }
  if (plan.guardrails) out.push(...section(...guardrailMarkdown(plan.guardrails)));
  if (plan.refusals.length > 0) {
    const title = '> [!WARNING]\n> **Refused by the safety limits** (apply needs `--force`)\n>';
    out.push(...section(title, ...plan.refusals.map((r) => `> - ${escapeMarkdown(r.message)}`)));
  }
  if (plan.errors.length > 0) out.push(...section('**Not planned:**\n', ...plan.errors.map((e) => `- ${code(e.target)}: ${escapeMarkdown(e.message)}`)));
  out.push(...targetTable(plan));
  if (plan.selectors.length > 0) {
    const title = '**Instance selectors** (what each matched when the plan was computed):';
    const head = `${title}\n\n| Selector | Project | Declared at | Matched | Skipped |\n|---|---|---|---|---|`;
    out.push(...section(head, ...plan.selectors.map(selectorRow)));
    const unmatched = plan.notes.filter((n) => plan.selectors.some((s) => s.key === n.target));
    const items = unmatched.map((n) => `> - ${escapeMarkdown(n.message.replace(/^warning: /, ''))}`);
    if (items.length > 0) out.push(...section('> [!WARNING]\n> **Selectors that match no instance**\n>', ...items));
  }
  for (const t of plan.targets) {
    const b = detailsBlock(plan, t.key, targetLabel(t));
    if (b) out.push(b);
  }
  const meta = `<sub>dbss-policy ${plan.toolVersion} · live fingerprint \`${plan.liveFingerprint.slice(0, 12)}\` · desired hash \`${plan.desiredHash.slice(0, 12)}\`</sub>`;
  out.push({ sep: '\n\n', text: meta });
  return out;
}

/**
 * A pull-request comment: summary, weakening changes and refusals called out first, a table of
 * targets, then each target's changes in a collapsible section. Never longer than `maxChars`:
 * what does not fit is left out (a details section is cut at a line) and a notice points to the
 * full plan.
 */
export function renderMarkdown(plan: Plan, options: MarkdownOptions = {}): string {
  const max = options.maxChars ?? MARKDOWN_MAX_CHARS;
  const all = blocks(plan);
  const join = (bs: readonly Block[]): string => `${bs.map((b, i) => (i === 0 ? '' : b.sep) + b.text).join('')}\n`;
  const full = join(all);
  if (full.length <= max) return full;

  const where = options.artifact ? options.artifact : 'the JSON plan (`dbss-policy plan --out plan.json`)';
  const notice = (left: number): string =>
    `> [!NOTE]\n> **Truncated** to stay under ${max} characters: ${left} more entr${left === 1 ? 'y is' : 'ies are'} not shown. The full plan is in the plan artifact: ${where}.`;
  const room = max - notice(all.length).length - 3;
  const kept: Block[] = [];
  let size = 0;
  for (const b of all) {
    const fits = size + b.sep.length + b.text.length <= room;
    const text = fits ? b.text : b.cut?.(room - size - b.sep.length);
    if (text === undefined) break;
    kept.push({ sep: b.sep, text });
    size += b.sep.length + text.length;
    if (!fits) break;
  }
  return join([...kept, { sep: '\n\n', text: notice(all.length - kept.length) }]);
}
