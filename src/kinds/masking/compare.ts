import type { CollectionShape } from '../collection.js';
import { collectionShows, planCollection, planSettings, settingShows } from '../collection.js';
import type { DesiredKind, Json, KindChangeDraft, KindPlan, LiveKind } from '../kind.js';
import { partsOf } from './read.js';

/**
 * How masking is compared and what weakens it. The two switches are singleton settings; the
 * mask rules a named collection without an order, whose status is switched by its own call.
 * A changed regex or replacement is shown as changed and never judged: whether a regex matches
 * less than another is not decidable.
 */

/** The custom mask rules as a collection. */
export const MASK_RULES: CollectionShape = {
  label: 'mask rule',
  fields: ['regex', 'mask_value'],
  statusField: 'status',
  switchCall: true,
  ordered: false,
  weakening: () => undefined,
};

/** Why a new value of an instance-wide switch weakens auditing, or undefined. */
export function settingWeakening(name: string, _before: Json | undefined, after: Json): string | undefined {
  if (name === 'masking' && after === 'OFF') return 'privacy masking switched OFF (sensitive values are stored unmasked)';
  if (name === 'result_set_storage' && after === 'ON') return 'result-set storage switched ON (PCI DSS and 3DS require it OFF)';
  return undefined;
}

/** The plan of masking on one instance: the switches, then the rules when they are declared. Pure. */
export function planMasking(desired: DesiredKind, live: LiveKind): KindPlan {
  const settings = planSettings(desired, live, settingWeakening);
  if (!partsOf(desired).rules) return { changes: settings, notes: [...live.observations], problems: [] };
  const rules = planCollection(MASK_RULES, desired, live);
  const regexNotes = rules.changes
    .filter((c) => c.op === 'update' && c.fields?.some((f) => f.field === 'regex'))
    .map((c) => `mask rule ${JSON.stringify(c.subject)}: regex changed; whether it now masks less cannot be told, so it is not judged`);
  return { changes: [...settings, ...rules.changes], notes: [...rules.notes, ...regexNotes], problems: rules.problems };
}

/** Whether a read shows a planned masking change done. */
export function maskingShows(change: KindChangeDraft, live: LiveKind): boolean {
  return change.op === 'set' ? settingShows(change, live) : collectionShows(MASK_RULES, change, live);
}
