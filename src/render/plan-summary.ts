import { unmatchedInstanceMessage } from '../plan/compute-plan.js';
import { unmatchedTargetMessage } from '../plan/rule-target.js';
import type { Change, Plan } from '../plan/types.js';

/** How many of each change a plan (or one target of it) holds. */
export interface ChangeCounts {
  /** Rules to create. */
  readonly create: number;
  /** Rules to update. */
  readonly update: number;
  /** Rules to delete. */
  readonly delete: number;
  /** Rules switched ON or OFF (counted per rule, not per batch call). */
  readonly switches: number;
  /** Reorders (at most one per instance). */
  readonly reorder: number;
  /** Summary task switches. */
  readonly tasks: number;
  /** Changes that weaken auditing. */
  readonly weakening: number;
}

/** Counts the changes (all of them, or those of one target). */
export function countChanges(changes: readonly Change[]): ChangeCounts {
  // Other kinds' changes count with the risk rules' of the same sort (a setting counts as an update).
  const op = (ops: readonly string[]): number => changes.filter((c) => c.kind === 'object' && ops.includes(c.op)).length;
  const of = (kind: Change['kind']): number => changes.filter((c) => c.kind === kind).length;
  return {
    create: of('create') + op(['create']),
    update: of('update') + op(['update', 'set']),
    delete: of('delete') + op(['delete']),
    switches: changes.reduce((n, c) => n + (c.kind === 'switch' ? c.rules.length : c.kind === 'object' && c.op === 'switch' ? (c.ids?.length ?? 0) : 0), 0),
    reorder: of('reorder') + op(['order']),
    tasks: of('set-task'),
    weakening: changes.filter((c) => c.review.weakening).length,
  };
}

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

/**
 * `3 to create, 2 to update, 1 to delete, 4 switches, 1 reorder` (+ task changes when any);
 * `compact` leaves out the zeros (`1 switch`), or says `no changes`.
 */
export function countsText(c: ChangeCounts, compact = false): string {
  const parts = [
    `${c.create} to create`,
    `${c.update} to update`,
    `${c.delete} to delete`,
    plural(c.switches, 'switch', 'switches'),
    plural(c.reorder, 'reorder', 'reorders'),
  ];
  if (c.tasks > 0 || compact) parts.push(plural(c.tasks, 'task change', 'task changes'));
  if (!compact) return parts.join(', ');
  const nonZero = parts.filter((p) => !p.startsWith('0 '));
  return nonZero.length > 0 ? nonZero.join(', ') : 'no changes';
}

/** The counts line: `Plan: …` or `No changes.` (see closingLines for what the terminal ends with). */
export function summaryLine(plan: Plan): string {
  return plan.changes.length === 0 ? 'No changes.' : `Plan: ${countsText(countChanges(plan.changes))}.`;
}

/**
 * The closing lines of the text plan, true about what was not planned: `Plan: …` or
 * `No changes.` only when every target was read; else what could not be read (`2 of 6 targets
 * could not be read; nothing was planned for them.`) and which --instance names matched
 * nothing, after the counts if there are changes.
 */
export function closingLines(plan: Plan): string[] {
  const notPlanned = notPlannedLines(plan);
  return plan.changes.length > 0 || notPlanned.length === 0 ? [summaryLine(plan), ...notPlanned] : notPlanned;
}

/** What the plan leaves out because it could not be read or matched nothing; empty when nothing. */
export function notPlannedLines(plan: Plan): string[] {
  const unmatched = [...new Set(plan.errors.filter((e) => e.message === unmatchedInstanceMessage(e.target)).map((e) => e.target))];
  const untargeted = [...new Set(plan.errors.filter((e) => e.message === unmatchedTargetMessage(e.target)).map((e) => e.target))];
  const unread = new Set(plan.errors.map((e) => e.target).filter((t) => !unmatched.includes(t) && !untargeted.includes(t)));
  const total = new Set([...plan.targets.map((t) => t.key), ...unread]).size;
  const lines: string[] = [];
  if (unread.size > 0) {
    const them = unread.size === 1 ? 'it' : 'them';
    lines.push(`${unread.size} of ${total} target${total === 1 ? '' : 's'} could not be read; nothing was planned for ${them}.`);
  }
  if (unmatched.length > 0) {
    const names = unmatched.map((w) => `"${w}"`).join(', ');
    lines.push(`--instance ${names} matched no declared instance; nothing was planned for ${unmatched.length === 1 ? 'it' : 'them'}.`);
  }
  if (untargeted.length > 0) {
    const names = untargeted.map((w) => `"${w}"`).join(', ');
    lines.push(`--target ${names} matched no declared instance; nothing was planned for ${untargeted.length === 1 ? 'it' : 'them'}.`);
  }
  return lines;
}
