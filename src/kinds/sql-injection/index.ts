import { collectionShows, planCollection } from '../collection.js';
import type { Kind, KindPlan, LiveKind } from '../kind.js';
import { desiredSqlRules, RULES_KEY, SYSTEM_KEY, validateSqlRules } from './desired.js';
import { exportSqlRules } from './export.js';
import { listAll } from './list-pages.js';
import { showsOrder } from './rank-write.js';
import { SQL_RULE_SCHEMA } from './schema.js';
import { LABEL, SQL_RULE_SHAPE } from './shape.js';
import { writeSqlRuleChange } from './write.js';


/**
 * The plan of one instance: planCollection, except that the order is neither checked nor
 * written when the list shows no rank at all (`rank` is optional in the SDK): nothing could
 * show an order then.
 */
function planSqlRules(desired: Parameters<Kind['plan']>[0], live: LiveKind): KindPlan {
  const plan = planCollection(SQL_RULE_SHAPE, desired, live);
  if (live.objects.length === 0 || live.objects.some((o) => o.rank !== undefined)) return plan;
  const dropped = plan.changes.some((c) => c.op === 'order');
  return {
    ...plan,
    changes: plan.changes.filter((c) => c.op !== 'order'),
    notes: [...plan.notes, `the list shows no rank: the order of ${LABEL}s is not checked${dropped ? ' (no order change is sent)' : ''}`],
  };
}

/** SQL-injection rules (dbss-api-more.md §2): custom rules with an order, and built-in rules switched by name. */
export const SQL_INJECTION_KIND: Kind = {
  name: 'sql-injection-rule',
  label: LABEL,
  policyKeys: [RULES_KEY, SYSTEM_KEY],
  schema: SQL_RULE_SCHEMA,
  desired: desiredSqlRules,
  check: validateSqlRules,
  async read(api, target) {
    const { objects, observations, learned } = await listAll(api, target);
    return { objects, settings: {}, observations, learned };
  },
  plan: planSqlRules,
  write: writeSqlRuleChange,
  shows(change, live) {
    if (change.op === 'order') {
      // ranks absent: the plan noted that the order is not checked, so nothing more can be shown
      if (live.objects.length > 0 && !live.objects.some((o) => o.rank !== undefined)) return true;
      return showsOrder(live.objects, (change.payload as { readonly order: readonly string[] }).order);
    }
    return collectionShows(SQL_RULE_SHAPE, change, live);
  },
  export: exportSqlRules,
};
