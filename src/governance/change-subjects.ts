import { FIELD_LABELS } from '../plan/field-format.js';
import type { Change } from '../plan/types.js';
import type { Subject } from './types.js';

/**
 * What a planned change is about, as (target, kind, object, field) subjects: waivers and expired
 * exceptions match changes on these. One function for every change, so a kind plugged into the
 * engine is waivable by the same code.
 */

/** A change of a registry kind, as the engine will plan it (src/kinds/kind.ts). */
export interface ObjectChangeLike {
  /** Change id. */
  readonly id: string;
  /** Target key. */
  readonly target: string;
  /** Discriminator of a kind's change. */
  readonly kind: 'object';
  /** The registry kind's name. */
  readonly objectKind: string;
  /** The operation. */
  readonly op: 'set' | 'update' | 'switch' | 'create' | 'order' | 'delete';
  /** Object key, setting name, or `order`. */
  readonly subject: string;
  /** The fields that differ (update, set) or the objects switched. */
  readonly fields?: readonly { readonly field: string; readonly before?: unknown; readonly after: unknown }[];
}

/** Any change the plan can hold. */
export type AnyChange = Change | ObjectChangeLike;

/**
 * The subjects of a change: one per field of an update (the write-only exception_ips that rides
 * along included), one per rule of a switch (`status`), one per moved rule of a reorder
 * (`order`), the whole object for a create or delete, `status` of a summary task.
 */
export function subjectsOf(c: AnyChange): Subject[] {
  const at = (kind: string, object: string, field?: string): Subject => ({ target: c.target, kind, object, ...(field !== undefined ? { field } : {}) });
  switch (c.kind) {
    case 'create':
    case 'delete':
      return [at('risk-rule', c.rule)];
    case 'update':
      return c.fields.map((f) => at('risk-rule', c.rule, FIELD_LABELS[f.field]));
    case 'switch':
      return c.rules.map((r) => at(r.system ? 'system-rule' : 'risk-rule', r.name, 'status'));
    case 'reorder':
      return c.moves.map((m) => at('risk-rule', m, 'order'));
    case 'set-task':
      return [at('summary-task', c.busiType, 'status')];
    case 'object':
      return c.fields && c.fields.length > 0 && c.op !== 'switch'
        ? c.fields.map((f) => at(c.objectKind, c.subject, f.field))
        : c.op === 'switch' && c.fields
          ? c.fields.map((f) => at(c.objectKind, f.field, 'status'))
          : [at(c.objectKind, c.subject, c.op === 'order' ? 'order' : undefined)];
  }
}

/** True when `s` (a subject of a change) is covered by `by` (a subject of an exception or waiver; no field = every field). */
export function covers(by: Omit<Subject, 'target'>, s: Subject, objectMatches: (pattern: string, name: string) => boolean = (p, n) => p === n): boolean {
  return by.kind === s.kind && objectMatches(by.object, s.object) && (by.field === undefined || by.field === s.field);
}
