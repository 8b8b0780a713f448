import type { Plan, PlanSelector } from '../plan/types.js';
import type { Line } from './change-lines.js';
import { noteLine } from './change-lines.js';

/** What a selector matched; for none, what was searched, or why nothing could be. */
export function matchedText(s: PlanSelector): string {
  if (s.unresolved !== undefined) return `not resolved, nothing was searched: ${s.unresolved}`;
  if (s.matched.length > 0) return `matched: ${s.matched.join(', ')}`;
  return `matched nothing: no ACTIVE instance named like "${s.selector}" in the instance list of project ${s.projectId} (${s.region})${s.skipped.length > 0 ? ' that no entry declares' : ''}`;
}

/**
 * What each instance selector matched, for review: a new instance that starts receiving a
 * selector's rules shows up here (and as a target of its own), as does a selector that now
 * matches nothing.
 */
export function selectorLines(plan: Plan): Line[] {
  return plan.selectors.flatMap((s): Line[] => [
    {
      depth: 0,
      parts: [{ text: `match "${s.selector}" in ${s.region}/${s.projectId}` }, { text: `  (${s.source.file}:${s.source.line})`, style: 'dim' }],
    },
    { depth: 1, parts: [{ text: matchedText(s) }] },
    ...s.skipped.map((k): Line => ({ depth: 1, parts: [{ text: `skipped ${k.name}: ${k.reason}`, style: 'dim' }] })),
    ...plan.notes.filter((n) => n.target === s.key).map((n): Line => ({ ...noteLine(n), depth: 1 })),
  ]);
}
