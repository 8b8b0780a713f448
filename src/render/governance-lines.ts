import type { ExceptionNotice, WaiverRef } from '../governance/types.js';
import type { Plan, WaivedChange } from '../plan/types.js';
import type { Line } from './change-lines.js';
import { changeLines } from './change-lines.js';

/**
 * The governance parts of a plan as styled lines, shared by the text and markdown renderers
 * (a change's labels are in change-lines.ts): the drift waivers leave alone,
 * waivers that match nothing, and the exceptions that end soon. Renderers escape every part.
 */

/** `policies/p.yaml:12`. */
const at = (s: { readonly file: string; readonly line: number }): string => `${s.file}:${s.line}`;

/** `waived by policies/p.yaml:40 (instance prod, risk-rule r.risk_level) until 2026-12-31: reason`. */
export const waiverText = (w: WaiverRef): string =>
  `waived by ${at(w.source)} (${w.names}) until ${w.until}: ${w.reason}${w.allowWeakening ? ' [allow_weakening]' : ''}`;

/** One waived drift: the change not made, then its waiver and what it keeps weaker. */
export function waivedLines(w: WaivedChange): Line[] {
  const [first, ...rest] = changeLines(w.change);
  const head: Line = { depth: 0, parts: [{ text: `${w.change.target}: `, style: 'dim' }, ...(first?.parts ?? [])] };
  const weaker = w.weakening.length > 0 ? [{ depth: 1, parts: [{ text: `weaker than the policy: ${w.weakening.join('; ')}`, style: 'weakening' as const }] }] : [];
  return [head, ...rest, { depth: 1, parts: [{ text: waiverText(w.waiver), style: 'dim' }] }, ...weaker];
}

/** `warning: waiver at policies/p.yaml:40 (instance prod, risk-rule r) matches no drift; remove it when the drift is gone`. */
export const unmatchedWaiverText = (w: WaiverRef): string =>
  `warning: waiver at ${at(w.source)} (${w.names}, until ${w.until}) matches no drift in this plan; remove it once the drift is gone, or fix its names`;

/** `region/project/prod risk-rule drop-table exception_ips 10.0.0.5 until 2026-12-31 (policies/p.yaml:12): weekend migration`. */
export const expiringText = (e: ExceptionNotice): string =>
  `${e.target} ${e.kind} ${e.object}${e.field !== undefined ? ` ${e.field}` : ''} ${e.value} until ${e.until} (${at(e.source)})${e.reason !== undefined ? `: ${e.reason}` : ''}`;

/** The heading of the expiring list: `Exceptions expiring within 14d (now 2026-12-20T00:00:00.000Z):`. */
export const expiringHeading = (plan: Plan): string => `Exceptions expiring within ${plan.expiringWithin ?? ''} (now ${plan.now ?? ''}):`;
