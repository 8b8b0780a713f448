import { pluralOf } from '../kinds/kind.js';
import { structuredPatch } from 'diff';
import type { RiskRuleSpec, SourceLocation } from '../domain.js';
import { FIELD_LABELS, formatValue, listEntries } from '../plan/field-format.js';
import type { Change, FieldChange, ObjectChange, PlanNote, RuleProvenance } from '../plan/types.js';
import type { Json, KindOp } from '../kinds/kind.js';
import { kindNamed } from '../kinds/registry.js';
import { labelText } from '../governance/label-expired.js';

/**
 * A plan's changes as styled lines, shared by the text and markdown renderers. A line is a
 * list of parts so that one line can mix styles (a change and its weakening marker).
 */

/** How a part is shown (text: ANSI colours; markdown: plain). */
export type Style = 'create' | 'update' | 'delete' | 'switch' | 'reorder' | 'task' | 'added' | 'removed' | 'weakening' | 'dim' | 'error' | 'heading';

/** A piece of a line. */
export interface Part {
  /** The text. */
  readonly text: string;
  /** Its style; plain when absent. */
  readonly style?: Style;
}

/** One output line. */
export interface Line {
  /** Nesting depth (0 = a change, 1 = its details, 2 = a list diff). */
  readonly depth: number;
  /** The parts, in order. */
  readonly parts: readonly Part[];
}

/** Lists longer than this are shown as a unified diff instead of `[…] → […]`. */
export const INLINE_LIST_MAX = 4;

const line = (depth: number, ...parts: (Part | string)[]): Line => ({
  depth,
  parts: parts.map((p) => (typeof p === 'string' ? { text: p } : p)),
});

const fileLine = (s: SourceLocation): string => `${s.file}:${s.line}`;

const where = (s: SourceLocation | undefined): Part[] => (s ? [{ text: `  (${fileLine(s)})`, style: 'dim' }] : []);

/**
 * Where a rule comes from: `from rule set baseline (policies/baseline.yaml:12), used at
 * policies/payments/cn-north-4.yaml:14` for a rule set's rule, else just where it is written.
 */
export function provenanceText(s: RuleProvenance): string {
  if (s.ruleSet === undefined) return fileLine(s);
  const used = s.appliedAt ? `, used at ${fileLine(s.appliedAt)}` : '';
  const overridden = s.overriddenAt ? `, overridden at ${fileLine(s.overriddenAt)}` : '';
  return `from rule set ${s.ruleSet} (${fileLine(s)})${used}${overridden}`;
}

const provenance = (s: RuleProvenance | undefined): Part[] =>
  s ? [{ text: s.ruleSet === undefined ? `  (${fileLine(s)})` : `  ${provenanceText(s)}`, style: 'dim' }] : [];

const weakening = (c: Change): Part[] =>
  c.review.weakening ? [{ text: `  (weakening: ${c.review.reasons.join('; ')})`, style: 'weakening' }] : [];

/** A unified diff of two lists, entries sorted (they are sets), one per line. */
function listDiff(field: keyof RiskRuleSpec, before: unknown, after: unknown): Line[] {
  const text = (v: unknown): string => (listEntries(field, v) ?? []).sort().map((e) => `${e}\n`).join('');
  const patch = structuredPatch('live', 'policy', text(before), text(after), undefined, undefined, { context: 2 });
  return patch.hunks.flatMap((h) => [
    line(2, { text: `@@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@`, style: 'dim' }),
    ...h.lines.map((l) => line(2, l.startsWith('+') ? { text: l, style: 'added' } : l.startsWith('-') ? { text: l, style: 'removed' } : l)),
  ]);
}

/** One differing field: `risk_level: MEDIUM → HIGH`, a list diff, or the write-only marker. */
function fieldLines(f: FieldChange): Line[] {
  const label = FIELD_LABELS[f.field];
  if (f.writeOnly) return [line(1, `${label}: `, { text: '(write-only, not verifiable)', style: 'dim' }, ` → ${formatValue(f.field, f.after)}`)];
  const long = [f.before, f.after].some((v) => (listEntries(f.field, v)?.length ?? 0) > INLINE_LIST_MAX);
  if (long) return [line(1, `${label}:`), ...listDiff(f.field, f.before, f.after)];
  return [line(1, `${label}: ${formatValue(f.field, f.before)} → ${formatValue(f.field, f.after)}`)];
}

/** The content of a new rule: levels, thresholds, and the lists that are not empty. */
function createdFields(spec: RiskRuleSpec): Line[] {
  const keys: (keyof RiskRuleSpec)[] = ['riskLevel', 'status', 'actions', 'affectRows', 'executionTime', 'dbIds', 'clientIps', 'exceptionIps', 'schemas'];
  const shown = keys.filter((k) => !Array.isArray(spec[k]) || (spec[k] as unknown[]).length > 0);
  return [
    ...shown.map((k) => line(1, `${FIELD_LABELS[k]}: ${formatValue(k, spec[k])}`)),
    ...(spec.ignoreCase ? [line(1, 'ignore_case: true')] : []),
  ];
}

/** The label lines under a change: an exception or a waiver that expired. */
const labelLines = (c: Change): Line[] => (c.labels ?? []).map((l) => line(1, { text: `! ${labelText(l)}`, style: 'weakening' }));

/** The lines of one change, with its labels (an exception or a waiver that expired) under its first line. */
export function changeLines(c: Change): Line[] {
  const [first, ...rest] = changeOwnLines(c);
  return first ? [first, ...labelLines(c), ...rest] : [];
}

function changeOwnLines(c: Change): Line[] {
  switch (c.kind) {
    case 'create':
      return [line(0, { text: `+ create ${c.rule}`, style: 'create' }, ...provenance(c.source)), ...createdFields(c.after)];
    case 'update':
      return [line(0, { text: `~ update ${c.rule}`, style: 'update' }, ...provenance(c.source), ...weakening(c)), ...c.fields.flatMap(fieldLines)];
    case 'delete':
      return [line(0, { text: `- delete ${c.rule}`, style: 'delete' }, ...weakening(c))];
    case 'switch': {
      const names = c.rules.map((r) => (r.system ? `${r.name} (system)` : r.name));
      // Rules that a rule set switches say so: a change to a baseline reaches many instances.
      const fromSets = c.rules.flatMap((r) =>
        r.source?.ruleSet !== undefined ? [line(1, { text: `${r.name} ${provenanceText(r.source)}`, style: 'dim' })] : [],
      );
      return [line(0, { text: `± switch ${c.status} [${names.join(', ')}]`, style: 'switch' }, ...weakening(c)), ...fromSets];
    }
    case 'reorder': {
      const moving = c.moves.length > 0 ? `moving ${c.moves.join(', ')}` : 're-checked after creates';
      return [line(0, { text: `↕ reorder [${c.order.join(', ')}]`, style: 'reorder' }, { text: ` (${moving})`, style: 'dim' })];
    }
    case 'set-task': {
      const onOff = (b: boolean | 'unknown'): string => (b === 'unknown' ? 'unknown (task_switch not readable)' : b ? 'on' : 'off');
      const text = `~ summary task ${c.busiType}: ${onOff(c.before)} → ${onOff(c.after)}`;
      return [line(0, { text, style: 'task' }, ...where(c.source), ...weakening(c))];
    }
    case 'object':
      return objectLines(c);
  }
}

/** A value of another kind's field on one line: lists in brackets, null as (none). */
export function formatJson(v: Json | undefined): string {
  if (v === undefined) return '(not read)';
  if (v === null) return '(none)';
  if (Array.isArray(v)) return `[${(v as readonly Json[]).map((x) => (typeof x === 'string' ? x : formatJson(x))).join(', ')}]`;
  if (typeof v !== 'object') return String(v);
  // A nested value (an audit scope's databases): its members, empty lists left out.
  const members = Object.entries(v as { readonly [k: string]: Json }).filter(([, x]) => !(Array.isArray(x) && x.length === 0));
  return `{${members.map(([k, x]) => `${k}: ${formatJson(x)}`).join(', ')}}`;
}

/** The head word, style and sign of each op of another kind. */
const OP_HEAD: Record<KindOp, { sign: string; style: Style }> = {
  set: { sign: '~ set', style: 'update' },
  update: { sign: '~ update', style: 'update' },
  switch: { sign: '± switch', style: 'switch' },
  create: { sign: '+ create', style: 'create' },
  order: { sign: '↕ order', style: 'reorder' },
  delete: { sign: '- delete', style: 'delete' },
};

/** The lines of another kind's change: `+ create audit scope pay-db` with its fields, `~ set full_audit: ON → OFF`, ... */
function objectLines(c: ObjectChange): Line[] {
  const kind = kindNamed(c.objectKind);
  const label = kind?.label ?? c.objectKind;
  const labels = kind ? pluralOf(kind) : `${label}s`;
  const head = OP_HEAD[c.op];
  // A switch batch (subject ON or OFF) names its objects; a switch of one setting-like object (full audit) shows its change.
  const batch = c.subject === 'ON' || c.subject === 'OFF';
  const switched = batch ? `${c.subject} [${(c.fields ?? []).map((f) => f.field).join(', ')}]` : (c.fields ?? []).map((f) => `${f.field}: ${formatJson(f.before)} → ${formatJson(f.after)}`).join(', ');
  const what = c.op === 'switch' ? `${labels} ${switched}` : c.op === 'order' ? labels : c.op === 'set' ? c.subject : `${label} ${c.subject}`;
  const first = line(0, { text: `${head.sign} ${what}`, style: head.style }, ...provenance(c.source), ...weakening(c));
  if (c.op === 'switch' || c.op === 'delete') return [first];
  if (c.op === 'create') {
    const spec = (c.payload ?? {}) as { readonly [f: string]: Json };
    const shown = Object.entries(spec).filter(([, v]) => v !== null && !(Array.isArray(v) && v.length === 0));
    return [first, ...shown.map(([f, v]) => line(1, `${f}: ${formatJson(v)}`))];
  }
  return [first, ...(c.fields ?? []).map((f) => line(1, `${f.field}: ${formatJson(f.before)} → ${formatJson(f.after)}`))];
}

/** A note line: `# temp-debug-select: not declared; left alone (prune: false)`. */
export function noteLine(n: PlanNote): Line {
  return line(0, { text: `# ${n.rule ? `${n.rule}: ` : ''}${n.message}`, style: 'dim' });
}
