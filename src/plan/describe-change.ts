import type { Change } from './types.js';

/**
 * What a change does, in a few words for a one-line message: `delete legacy-export`,
 * `switch OFF`, `set-task`, `create audit-scope "pay-db"`. Names are quoted for other kinds
 * (their keys may hold spaces, e.g. whitelist SQL); callers escape for their format.
 */
export function describeChange(c: Change): string {
  if ('rule' in c) return `${c.kind} ${c.rule}`;
  if (c.kind === 'switch') return `switch ${c.status}`;
  if (c.kind === 'object') return `${c.op} ${c.objectKind} ${JSON.stringify(c.subject)}`;
  return c.kind;
}
