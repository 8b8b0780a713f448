import { escapeText, neutraliseCommands } from '../render/escape.js';
import type { SourceLocation } from '../domain.js';
import { annotation } from '../gitops/workflow-commands.js';

/**
 * Problems found in a policy tree, and their three printed forms. Every problem of every file is
 * collected first; nothing here throws on a user mistake.
 */

/** One problem at one place of one policy file. */
export interface Diagnostic {
  /** File (or directory) path, relative to the working directory when inside it. */
  readonly file: string;
  /** 1-based line; 0 when the problem concerns the whole file or directory. */
  readonly line: number;
  /** 1-based column; 0 when the problem concerns the whole file or directory. */
  readonly col: number;
  /** JSON path of the offending value, e.g. `$.instances[0].name`; empty when not about a value. */
  readonly path: string;
  /** What is wrong, in the user's terms. */
  readonly message: string;
  /** Errors make the tree invalid; warnings are reported but do not fail validation. */
  readonly severity: 'error' | 'warning';
  /** The other place of a problem about two places (a duplicate's first declaration); the message names it too. */
  readonly related?: SourceLocation;
}

/** Output forms of a diagnostic list. */
export type DiagnosticFormat = 'text' | 'json' | 'github';

/** True when any diagnostic is an error. */
export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Sorted by file, line, column, then errors before warnings and by message (a stable order). */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort(
    (a, b) =>
      compareText(a.file, b.file) ||
      a.line - b.line ||
      a.col - b.col ||
      compareText(a.severity, b.severity) ||
      compareText(a.message, b.message),
  );
}

/** `file:line:col` (or just `file` when the problem concerns the whole file). */
export function formatLocation(d: Pick<Diagnostic, 'file' | 'line' | 'col'>): string {
  return d.line > 0 ? `${d.file}:${d.line}:${d.col}` : d.file;
}

/** `file:line:col <json path>: message`, warnings marked as such. */
export function formatDiagnosticLine(d: Diagnostic): string {
  const where = d.path ? `${formatLocation(d)} ${d.path}` : formatLocation(d);
  return neutraliseCommands(escapeText(`${where}: ${d.severity === 'warning' ? 'warning: ' : ''}${d.message}`));
}

/** A GitHub workflow annotation (`::error file=…,line=…,col=…::message`), without the newline. */
export function formatGithubAnnotation(d: Diagnostic): string {
  const at = d.line > 0 ? { line: d.line, col: d.col } : {};
  return annotation(d.severity, d.path ? `${d.path}: ${d.message}` : d.message, { file: d.file, ...at }).trimEnd();
}

/** Renders diagnostics (already sorted) as text lines, a JSON array, or GitHub annotations. */
export function formatDiagnostics(diagnostics: readonly Diagnostic[], format: DiagnosticFormat): string {
  if (format === 'json') return `${JSON.stringify(diagnostics, null, 2)}\n`;
  if (diagnostics.length === 0) return '';
  const line = format === 'github' ? formatGithubAnnotation : formatDiagnosticLine;
  return `${diagnostics.map(line).join('\n')}\n`;
}
