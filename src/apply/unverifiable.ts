import type { Plan } from '../plan/types.js';
import type { ApplyResult } from './types.js';

/**
 * A summary-task switch the API does not report (task_switch absent or unrecognised) is planned
 * again on every read, because `unknown` never equals the declared value. Once its idempotent
 * call succeeded in this apply, it is not "still pending": it leaves the leftover plan and its
 * result says that no read can confirm it. The same holds for the re-send of exception_ips
 * without an expired exception IP. Every other leftover change stays.
 */
export function settleUnverifiable(apply: ApplyResult, leftover: Plan): { apply: ApplyResult; leftover: Plan } {
  const applied = new Set(apply.results.filter((r) => r.outcome === 'applied').map((r) => r.id));
  // Also an update that only re-sends exception_ips without an expired exception IP: the API
  // never shows exception_ips, so every plan re-sends it until the entry leaves the policy.
  const expiredIpResend = (c: Plan['changes'][number]): boolean =>
    c.kind === 'update' && c.fields.every((f) => f.writeOnly) && (c.labels ?? []).some((l) => l.why === 'exception expired');
  const settled = new Set(
    leftover.changes.filter((c) => ((c.kind === 'set-task' && c.before === 'unknown') || expiredIpResend(c)) && applied.has(c.id)).map((c) => c.id),
  );
  if (settled.size === 0) return { apply, leftover };
  // A copy that keeps the plan's lazy fingerprint getters lazy (a spread would compute them).
  const rest = Object.create(Object.getPrototypeOf(leftover) as object, Object.getOwnPropertyDescriptors(leftover)) as Plan;
  Object.defineProperty(rest, 'changes', { value: leftover.changes.filter((c) => !settled.has(c.id)), enumerable: true });
  // What an applied task switch says when no read can confirm it.
  const detail = 'not verifiable: the summary-task read gives no task_switch this tool can read (its values are unconfirmed); the switch call succeeded';
  const resent = 'not verifiable: exception_ips is write-only; the list without the expired exception was sent, and is sent again by every plan until the entry is removed from the policy';
  const isTask = (id: string): boolean => leftover.changes.some((c) => c.id === id && c.kind === 'set-task');
  const results = apply.results.map((r) => (settled.has(r.id) ? { ...r, detail: isTask(r.id) ? detail : resent } : r));
  return { apply: { ...apply, results }, leftover: rest };
}
