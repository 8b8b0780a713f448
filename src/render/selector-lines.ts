import type { Plan } from '../plan/types.js';
import type { Line } from './change-lines.js';
import { noteLine } from './change-lines.js';

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
    { depth: 1, parts: [{ text: `matched: ${s.matched.length > 0 ? s.matched.join(', ') : 'none'}` }] },
    ...s.skipped.map((k): Line => ({ depth: 1, parts: [{ text: `skipped ${k.name}: ${k.reason}`, style: 'dim' }] })),
    ...plan.notes.filter((n) => n.target === s.key).map((n): Line => ({ ...noteLine(n), depth: 1 })),
  ]);
}
