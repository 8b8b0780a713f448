import type { Change } from '../plan/types.js';
import { covers, subjectsOf } from './change-subjects.js';
import type { ChangeLabel, ExceptionNotice } from './types.js';

/**
 * Labels each change that removes an expired exception (the IP left out of exception_ips, the
 * rule or task switched back on) with that exception: `exception expired (declared at
 * FILE:LINE, until D, reason R)`. Display only: apply never reads labels.
 */
export function labelExpired(changes: readonly Change[], expired: readonly ExceptionNotice[]): Change[] {
  if (expired.length === 0) return [...changes];
  return changes.map((c) => {
    const subjects = subjectsOf(c);
    const labels: ChangeLabel[] = expired
      .filter((e) => e.target === c.target && subjects.some((s) => covers(e, s)))
      .map((e) => ({ why: 'exception expired', source: e.source, until: e.until, ...(e.reason !== undefined ? { reason: e.reason } : {}) }));
    return labels.length > 0 ? { ...c, labels } : c;
  });
}

/** `exception expired (declared at policies/p.yaml:12, until 2026-12-31, reason weekend migration)`. */
export function labelText(l: ChangeLabel): string {
  const reason = l.reason !== undefined ? `, reason ${l.reason}` : '';
  return `${l.why} (declared at ${l.source.file}:${l.source.line}, until ${l.until}${reason})`;
}
