import { pluralOf } from '../kinds/kind.js';
import type { KindChangeDraft } from '../kinds/kind.js';
import { KINDS } from '../kinds/registry.js';
import type { LiveInstance } from '../live/types.js';
import type { DesiredInstance } from '../policy/types.js';
import type { ObjectChange, PlanNote, PlanProblem } from './types.js';

/** The other kinds' part of one instance's plan. */
export interface KindsPlan {
  /** Their changes. */
  readonly changes: readonly ObjectChange[];
  /** Their notes, each naming the kind. */
  readonly notes: readonly PlanNote[];
  /** What stops a kind from being planned on the instance (that kind gets no changes; the others still do). */
  readonly errors: readonly PlanProblem[];
}

/**
 * Plans every kind the instance declares, in registry order, with the kind's own `plan`
 * (pure). A kind that was declared but not read (a scoped read) is not planned.
 */
export function planKinds(key: string, desired: DesiredInstance, live: LiveInstance): KindsPlan {
  const changes: ObjectChange[] = [];
  const notes: PlanNote[] = [];
  const errors: PlanProblem[] = [];
  for (const kind of KINDS) {
    const want = desired.kinds?.[kind.name];
    const have = live.kinds?.[kind.name];
    if (want === undefined || have === undefined) continue;
    const p = kind.plan(want, have);
    for (const message of p.notes) notes.push({ target: key, message: `${pluralOf(kind)}: ${message}` });
    if (p.problems.length > 0) {
      for (const message of p.problems) errors.push({ target: key, message: `${pluralOf(kind)}: ${message}` });
      continue;
    }
    for (const c of p.changes) changes.push(objectChange(key, kind.name, c));
  }
  return { changes, notes, errors };
}

/** A kind's planned change as a plan change of the target `key`: its id, and its weakening as the review. */
export function objectChange(key: string, objectKind: string, c: KindChangeDraft): ObjectChange {
  return {
    id: `${key}#${objectKind}:${c.op}:${c.subject}`,
    target: key,
    kind: 'object',
    objectKind,
    op: c.op,
    subject: c.subject,
    ...(c.ids ? { ids: c.ids } : {}),
    payload: c.payload,
    ...(c.fields ? { fields: c.fields } : {}),
    ...(c.source ? { source: c.source } : {}),
    review: { weakening: (c.weakening?.length ?? 0) > 0, reasons: c.weakening ?? [] },
  };
}
