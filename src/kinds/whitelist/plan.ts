import { planCollection } from '../collection.js';
import type { DesiredKind, KindPlan, LiveKind } from '../kind.js';
import { LABEL, WHITELIST_SHAPE } from './shape.js';

/**
 * The plan of one instance: planCollection, with the whitelist's own sense of weakening. An
 * entry stops the auditing of a statement, so adding an enabled entry weakens (an added
 * disabled one does not), and deleting one never does (the statement is audited again).
 */
export function planWhitelist(desired: DesiredKind, live: LiveKind): KindPlan {
  const plan = planCollection(WHITELIST_SHAPE, desired, live);
  const changes = plan.changes.map((c) => {
    if (c.op === 'create') {
      const enabled = (c.payload as { readonly enabled?: unknown }).enabled === true;
      return { ...c, weakening: enabled ? [`${LABEL} ${JSON.stringify(c.subject)} added and enabled: the statement is no longer audited as a risk`] : [] };
    }
    if (c.op === 'delete') return { ...c, weakening: [] };
    return c;
  });
  return { ...plan, changes };
}
