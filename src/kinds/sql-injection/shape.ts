import { RISK_LEVELS, type RiskLevel } from '../../domain.js';
import type { CollectionShape } from '../collection.js';
import type { Json } from '../kind.js';

/** What people call one object of the kind. */
export const LABEL = 'SQL-injection rule';

const levelIndex = (v: Json | undefined): number => (typeof v === 'string' ? RISK_LEVELS.indexOf(v as RiskLevel) : -1);

/**
 * A custom SQL-injection rule as a collection: compared by regex and risk level, switched by
 * its own call (one id per call), list order = priority. The update body must carry a status
 * (all four fields are required), so it sends the wanted one; the switch call that follows
 * makes sure of it whether or not DBSS honours the status of an update.
 */
export const SQL_RULE_SHAPE: CollectionShape = {
  label: LABEL,
  fields: ['regex', 'risk_level'],
  statusField: 'status',
  switchCall: true,
  ordered: true,
  weakening(field, before, after) {
    if (field !== 'risk_level') return undefined;
    const from = levelIndex(before);
    const to = levelIndex(after);
    // an unreadable level cannot be judged lower or higher
    return from >= 0 && to >= 0 && to < from ? `risk level lowered from ${String(before)} to ${String(after)}` : undefined;
  },
};
