import type { LiveState } from '../live/types.js';
import { formatLocation } from '../policy/diagnostics.js';
import type { DesiredState } from '../policy/types.js';
import { selectorKey } from '../domain.js';
import { cmp } from './order.js';
import type { PlanNote, PlanProblem, PlanSelector } from './types.js';

/** What the plan says about the instance selectors. */
export interface SelectorReport {
  /** Each selector with what it matched, in key order. */
  readonly selectors: readonly PlanSelector[];
  /** A warning note for each selector that matches no instance. */
  readonly notes: readonly PlanNote[];
  /** An error for each selector whose project's instance list could not be read. */
  readonly errors: readonly PlanProblem[];
}

/**
 * The selectors of `desired` with what the live read matched: shown in review so that an
 * instance that starts (or stops) receiving a selector's rules is visible. Pure.
 */
export function planSelectors(desired: DesiredState, live: LiveState): SelectorReport {
  const selectors: PlanSelector[] = [];
  const notes: PlanNote[] = [];
  const errors: PlanProblem[] = [];
  desired.selectors?.forEach((s) => {
    const key = selectorKey(s);
    const found = live.selectors?.find((m) => m.key === key);
    if (!found) return;
    const what = `selector "${s.pattern}" (${formatLocation(s.source)})`;
    if (found.error !== undefined) {
      errors.push({ target: key, message: `${what} could not be resolved: listing instances: ${found.error}` });
    } else if (found.matched.length === 0) {
      notes.push({ target: key, message: `warning: ${what} matches no ACTIVE instance of project ${s.projectId} (${s.region})` });
    }
    selectors.push({
      key,
      selector: s.pattern,
      region: s.region,
      projectId: s.projectId,
      source: s.source,
      matched: found.matched.map((m) => m.name),
      skipped: found.skipped.map((m) => ({ name: m.name, reason: m.reason })),
      ...(found.error !== undefined ? { unresolved: found.error } : {}),
    });
  });
  return { selectors: selectors.sort((a, b) => cmp(a.key, b.key)), notes, errors };
}
