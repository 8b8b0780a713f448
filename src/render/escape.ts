/**
 * Data is never markup. Every string that did not come from the program (rule and instance
 * names from the API or the policies, messages that quote them, file paths) reaches output
 * through the one escaping function of its format:
 *
 * - text (terminal, logs): `escapeText` — ANSI sequences removed, control characters, line
 *   breaks and bidi/zero-width controls shown as `\n`, `\x1b`, `\u202e`, so data cannot start
 *   a line, forge a `- delete` line, recolour or reorder the screen;
 * - markdown (PR comment, job summary): `escapeMarkdown` for prose (also HTML and markdown
 *   punctuation escaped, so no link, image, heading or HTML can be injected) and
 *   `markdownCode` for inline code (delimiters longer than any backtick run inside);
 *   fenced blocks use `markdownFence`, longer than any backtick run in the block;
 * - GitHub workflow commands: `escapeCommandData` in src/gitops/workflow-commands.ts, and
 *   `neutraliseCommands` for every other line written where the Actions runner reads commands;
 * - JSON: JSON.stringify, which escapes control characters itself.
 */

/** CSI (`ESC [ … final`), OSC (`ESC ] … BEL|ST`) and other two-byte ESC sequences, plus 8-bit CSI. */
const ANSI = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|\u001b[@-Z\\-_]|\u009b[0-?]*[ -/]*[@-~]/g;

/** C0 and C1 controls, DEL, line/paragraph separators, bidi controls, zero-width characters, BOM. */
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;

const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

const shown = (ch: string): string => {
  const code = ch.charCodeAt(0);
  return NAMED[ch] ?? (code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`);
};

/** Removes ANSI escape sequences. */
export function stripAnsi(s: string): string {
  return s.replace(ANSI, '');
}

/** Text output: ANSI removed, every control, line break, bidi or zero-width character shown escaped. */
export function escapeText(s: string): string {
  return stripAnsi(s).replace(INVISIBLE, shown);
}

/** HTML special characters as entities. */
export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Markdown prose: text-escaped (so it cannot start a line), HTML escaped, and the punctuation
 * that opens code, emphasis, links, images or table cells backslash-escaped.
 */
export function escapeMarkdown(s: string): string {
  return escapeHtml(escapeText(s).replace(/[\\`*_[\]()!|~]/g, (c) => `\\${c}`));
}

/** Inline code that no content can close early: delimiters longer than the longest backtick run. */
export function markdownCode(s: string): string {
  const text = escapeText(s);
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const tick = '`'.repeat(longest + 1);
  const pad = longest > 0 || text.startsWith(' ') || text.endsWith(' ') ? ' ' : '';
  return `${tick}${pad}${text}${pad}${tick}`;
}

/** A code fence longer than any backtick run in `body` (at least three). */
export function markdownFence(body: string): string {
  return '`'.repeat(Math.max(3, ...[...body.matchAll(/`+/g)].map((m) => m[0].length + 1)));
}

/**
 * Lines the Actions runner would read as a workflow command (`::name::…`, leading blanks
 * allowed) get their first colon shown as `\x3a`: only our own annotations may start with `::`.
 */
export function neutraliseCommands(output: string): string {
  return output.replace(/^(\s*):(?=:)/gm, '$1\\x3a');
}
