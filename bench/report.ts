/** One measured figure of a scenario, with its target when it has one. */
export interface Figure {
  /** What was measured, e.g. "requests (client)". */
  readonly name: string;
  /** The measured value. */
  readonly value: number;
  /** Unit shown after the value (ms, MB, requests, ×...). */
  readonly unit: string;
  /** The target, when the figure has one. */
  readonly target?: Target;
}

/** A target a figure must meet. */
export interface Target {
  /** How the value compares with the target value. */
  readonly op: '<=' | '=' | '<';
  /** The target value. */
  readonly value: number;
  /** Where the target comes from, when not from issue 7 itself. */
  readonly source?: string;
}

/** The figures of one scenario. */
export interface ScenarioResult {
  /** Scenario title, e.g. "1. plan at scale". */
  readonly title: string;
  /** Conditions: sizes, rates, latency, seed. */
  readonly setup: Readonly<Record<string, string | number>>;
  /** Figures in display order. */
  readonly figures: readonly Figure[];
  /** Remarks (why a target is missed, what a figure means). */
  readonly notes: readonly string[];
}

/** True when the figure meets its target (or has none). */
export function meets(f: Figure): boolean {
  if (!f.target) return true;
  const { op, value } = f.target;
  return op === '=' ? f.value === value : op === '<' ? f.value < value : f.value <= value;
}

const shown = (v: number): string => (Number.isInteger(v) ? String(v) : v.toFixed(v < 10 ? 3 : 1));

/** Plain-text table of every figure next to its target, then the scenario notes. */
export function formatTable(results: readonly ScenarioResult[]): string {
  const rows: string[][] = [['scenario', 'figure', 'value', 'target', 'met']];
  for (const r of results) {
    r.figures.forEach((f, i) => {
      const target = f.target ? `${f.target.op} ${shown(f.target.value)}${f.target.source ? ` (${f.target.source})` : ''}` : '';
      rows.push([i === 0 ? r.title : '', f.name, `${shown(f.value)} ${f.unit}`, target, f.target ? (meets(f) ? 'yes' : 'NO') : '']);
    });
  }
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((row) => row[c]!.length)));
  const line = (row: string[]): string => row.map((cell, c) => cell.padEnd(widths[c]!)).join('  ').trimEnd();
  const out = [line(rows[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)];
  for (const r of results) {
    const setup = Object.entries(r.setup).map(([k, v]) => `${k} ${v}`).join(', ');
    out.push('', `${r.title}: ${setup}`, ...r.notes.map((n) => `  - ${n}`));
  }
  return `${out.join('\n')}\n`;
}

/** The closing note: every target figure, met or not. */
export function closingNote(results: readonly ScenarioResult[]): string {
  const missed = results.flatMap((r) => r.figures.filter((f) => !meets(f)).map((f) => `${r.title}: ${f.name} ${shown(f.value)} ${f.unit} (target ${f.target!.op} ${shown(f.target!.value)})`));
  const total = results.reduce((n, r) => n + r.figures.filter((f) => f.target).length, 0);
  if (missed.length === 0) return `All ${total} targets met.\n`;
  return `${total - missed.length} of ${total} targets met; missed:\n${missed.map((m) => `  - ${m}`).join('\n')}\n(the scenario notes above say why)\n`;
}
