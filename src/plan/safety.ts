import { kindNamed } from '../kinds/registry.js';
import type { LiveInstance } from '../live/types.js';
import type { Change, PlanProblem } from './types.js';

/** When a plan is too big to apply without --force. */
export interface SafetyThresholds {
  /** Largest share of an instance's live custom rules that may be deleted or updated (0.3 = 30%). */
  readonly maxChangeRatio: number;
  /** The check applies only to instances with at least this many live custom rules. */
  readonly minRules: number;
}

/** 30% of at least 10 rules, as in octoDNS's TooMuchChange. */
export const DEFAULT_SAFETY: SafetyThresholds = { maxChangeRatio: 0.3, minRules: 10 };

/** `40%`, `33.3%` (one decimal at most, no float noise such as 30.000000000000004). */
const percent = (ratio: number): string => `${Math.round(ratio * 1000) / 10}%`;

/** An update that only re-sends write-only fields (--reassert-write-only) changes nothing readable. */
const countsAsUpdate = (c: Change): boolean => c.kind === 'update' && c.fields.some((f) => !f.writeOnly);

/**
 * Per instance: deletes + updates over its live custom rules, refused above the ratio, e.g.
 * `prod-audit: 4 of 10 rules deleted (40% > 30%)`. Switches, creates and reorders do not count.
 */
export function safetyRefusals(
  changes: readonly Change[],
  instances: readonly LiveInstance[],
  thresholds: SafetyThresholds,
): PlanProblem[] {
  const refusals: PlanProblem[] = [];
  const counted = new Map<string, { deletes: number; updates: number }>();
  for (const c of changes) {
    const n = counted.get(c.target) ?? { deletes: 0, updates: 0 };
    if (c.kind === 'delete') n.deletes += 1;
    else if (countsAsUpdate(c)) n.updates += 1;
    counted.set(c.target, n);
  }
  const refuse = (live: LiveInstance, total: number, n: { deletes: number; updates: number }, things: string): void => {
    if (total < thresholds.minRules || total === 0) return;
    const { deletes, updates } = n;
    const ratio = (deletes + updates) / total;
    if (ratio <= thresholds.maxChangeRatio) return;
    const what = updates === 0 ? 'deleted' : deletes === 0 ? 'updated' : 'deleted or updated';
    const split = updates > 0 && deletes > 0 ? `${deletes} deleted, ${updates} updated; ` : '';
    const share = `${percent(ratio)} > ${percent(thresholds.maxChangeRatio)}`;
    refusals.push({ target: live.key, message: `${live.name}: ${deletes + updates} of ${total} ${things} ${what} (${split}${share})` });
  };
  for (const live of instances) {
    refuse(live, live.rules.filter((r) => r.ruleType === 'CUSTOMIZE').length, counted.get(live.key) ?? { deletes: 0, updates: 0 }, 'rules');
    // Every other kind against its own custom objects on the instance.
    for (const [name, state] of Object.entries(live.kinds ?? {})) {
      const mine = changes.filter((c) => c.target === live.key && c.kind === 'object' && c.objectKind === name);
      const n = { deletes: mine.filter((c) => c.kind === 'object' && c.op === 'delete').length, updates: mine.filter((c) => c.kind === 'object' && c.op === 'update').length };
      refuse(live, state.objects.filter((o) => !o.builtIn).length, n, `${kindNamed(name)?.label ?? name}s`);
    }
  }
  return refusals;
}
