import { KIND_OPS } from '../kinds/kind.js';
import { KINDS } from '../kinds/registry.js';
import type { Change, ObjectChange, PlanNote, PlanProblem } from './types.js';
import { CHANGE_KIND_ORDER } from './types.js';

/** Code-unit order (locale-independent, so every machine prints the same plan). */
export const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * What orders changes of one kind on one target: the rule, the switch direction (ON first: ''
 * sorts before anything), the task. A target has one reorder, so it needs no subject.
 */
function subject(c: Change): string {
  switch (c.kind) {
    case 'switch':
      return c.status === 'ON' ? '' : 'OFF';
    case 'set-task':
      return c.busiType;
    // Stryker disable next-line ConditionalExpression,StringLiteral: a target has one reorder, so its subject never decides an order
    case 'reorder': return '';
    case 'object':
      return objectOrder(c);
    default:
      return c.rule;
  }
}

/** Another kind's change: by the kind's place in the registry, then its op in apply order, then its subject. */
function objectOrder(c: ObjectChange): string {
  const at = (n: number): string => String(n).padStart(4, '0');
  return `${at(KINDS.findIndex((k) => k.name === c.objectKind))} ${at(KIND_OPS.indexOf(c.op))} ${c.subject}`;
}

/** Changes by target key, then kind in apply order, then subject. */
export function sortChanges(changes: readonly Change[]): Change[] {
  const kindIndex = (c: Change): number => CHANGE_KIND_ORDER.indexOf(c.kind);
  return [...changes].sort((a, b) => cmp(a.target, b.target) || kindIndex(a) - kindIndex(b) || cmp(subject(a), subject(b)));
}

/** Notes by target, rule, message. */
export function sortNotes(notes: readonly PlanNote[]): PlanNote[] {
  return [...notes].sort((a, b) => cmp(a.target, b.target) || cmp(a.rule ?? '', b.rule ?? '') || cmp(a.message, b.message));
}

/** Problems by target, message. */
export function sortProblems(problems: readonly PlanProblem[]): PlanProblem[] {
  return [...problems].sort((a, b) => cmp(a.target, b.target) || cmp(a.message, b.message));
}
