import type { CollectionShape } from '../collection.js';
import type { Json } from '../kind.js';

/** What people call one object of the kind. */
export const LABEL = 'whitelist entry';

const list = (v: Json | undefined): readonly string[] | undefined => (Array.isArray(v) ? (v as readonly Json[]).filter((x): x is string => typeof x === 'string') : undefined);

/**
 * Whether a database list covers more than another. An empty list is read as "every database"
 * (the API does not say; that reading is the weaker one, so a plan never hides a widening).
 * Undefined when the old list was not read.
 */
export function widerDatabases(before: Json | undefined, after: Json): string | undefined {
  const from = list(before);
  const to = list(after) ?? [];
  if (from === undefined) return undefined;
  if (from.length === 0) return undefined;
  if (to.length === 0) return `databases widened from ${from.join(', ')} to every database (an empty list)`;
  const added = to.filter((d) => !from.includes(d));
  return added.length > 0 ? `databases widened: ${added.join(', ')} added` : undefined;
}

/**
 * A whitelist entry as a collection keyed by its SQL text: databases compared as a set,
 * description and enabled as values. There is no switch call: `enabled` is a field of the
 * update (and required there). Unordered.
 */
export const WHITELIST_SHAPE: CollectionShape = {
  label: LABEL,
  plural: 'whitelist entries',
  fields: ['databases', 'description', 'enabled'],
  setFields: ['databases'],
  switchCall: false,
  ordered: false,
  weakening(field, before, after) {
    if (field === 'enabled') return after === true && before !== true ? 'enabled: the statement is no longer audited as a risk' : undefined;
    if (field === 'databases') return widerDatabases(before, after);
    return undefined;
  },
};
