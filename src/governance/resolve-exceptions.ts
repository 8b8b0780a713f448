import { instanceKey } from '../domain.js';
import type { DesiredInstance, DesiredRiskRule, DesiredSelector, DesiredState, DesiredSummaryTask, DesiredSystemRule } from '../policy/types.js';
import { expiryOf, hasExpired } from './expiry.js';
import type { ExceptionNotice, ExceptionTerm, Subject } from './types.js';

/**
 * Time-boxed exceptions against "now" (pure: now is an input). An exception whose `until` has
 * passed is dropped from the desired state (its IP leaves exception_ips, its OFF becomes ON),
 * so the planner plans its removal like any other change; the planner then labels that change
 * with the notice. Exceptions still running that end within the window are listed.
 */

/** The desired state with expired exceptions dropped, and what was dropped or ends soon. */
export interface ResolvedExceptions {
  /** The desired state the planner plans: expired exceptions removed. */
  readonly desired: DesiredState;
  /** Exceptions of declared instances and tasks that have expired (one per exception). */
  readonly expired: readonly ExceptionNotice[];
  /** Exceptions still running whose end is within the window, soonest first. */
  readonly expiring: readonly ExceptionNotice[];
}

/** How "now" and the window are given. */
export interface ExpiryClock {
  /** Now, ms since the epoch. */
  readonly now: number;
  /** Length of the "expiring soon" window in ms. */
  readonly windowMs: number;
}

type Sort = 'expired' | 'expiring' | 'running';

/** Which list a term belongs to; a term without until never expires. */
function sortOf(term: ExceptionTerm, clock: ExpiryClock): Sort {
  const e = expiryOf(term.until);
  if (!e) return 'running';
  if (hasExpired(e, clock.now)) return 'expired';
  return e.endsAt - clock.now <= clock.windowMs ? 'expiring' : 'running';
}

/** Collects notices of one target while its objects are resolved. */
class Notices {
  readonly expired: ExceptionNotice[] = [];
  readonly expiring: ExceptionNotice[] = [];
  constructor(private readonly clock: ExpiryClock, private readonly record: boolean) {}
  /** The sort of `term`, its notice recorded when it is expired or ending soon. */
  check(subject: Subject, value: string, term: ExceptionTerm): Sort {
    const sort = sortOf(term, this.clock);
    if (this.record && sort !== 'running' && term.until !== undefined) {
      const notice: ExceptionNotice = { ...subject, value, until: term.until, ...(term.reason !== undefined ? { reason: term.reason } : {}), source: term.source };
      (sort === 'expired' ? this.expired : this.expiring).push(notice);
    }
    return sort;
  }
}

function riskRule(target: string, rule: DesiredRiskRule, n: Notices): DesiredRiskRule {
  const ex = rule.exceptions;
  if (!ex) return rule;
  const subject = (field: string): Subject => ({ target, kind: 'risk-rule', object: rule.name, field });
  const expiredIps = (ex.exceptionIps ?? []).filter((e) => n.check(subject('exception_ips'), e.ip, e.term) === 'expired').map((e) => e.ip);
  const offExpired = rule.status === 'OFF' && ex.off !== undefined && n.check(subject('status'), 'OFF', ex.off) === 'expired';
  if (expiredIps.length === 0 && !offExpired) return rule;
  return {
    ...rule,
    ...(offExpired ? { status: 'ON' as const } : {}),
    exceptionIps: rule.exceptionIps.filter((ip) => !expiredIps.includes(ip)),
    exceptions: { ...ex, ...(expiredIps.length > 0 ? { expiredIps } : {}) },
  };
}

function systemRule(target: string, rule: DesiredSystemRule, n: Notices): DesiredSystemRule {
  if (rule.status !== 'OFF' || !rule.exception) return rule;
  const sort = n.check({ target, kind: 'system-rule', object: rule.name, field: 'status' }, 'OFF', rule.exception);
  return sort === 'expired' ? { ...rule, status: 'ON' } : rule;
}

function rulesOf<T extends DesiredInstance | DesiredSelector>(entry: T, target: string, n: Notices): T {
  return {
    ...entry,
    riskRules: entry.riskRules.map((r) => riskRule(target, r, n)),
    systemRules: entry.systemRules.map((r) => systemRule(target, r, n)),
  };
}

function task(t: DesiredSummaryTask, n: Notices): DesiredSummaryTask {
  if (t.enabled || !t.exception) return t;
  const sort = n.check({ target: `${t.region}/${t.projectId}`, kind: 'summary-task', object: t.busiType, field: 'status' }, 'off', t.exception);
  return sort === 'expired' ? { ...t, enabled: true } : t;
}

const untilOrder = (a: ExceptionNotice, b: ExceptionNotice): number =>
  (expiryOf(a.until)?.endsAt ?? 0) - (expiryOf(b.until)?.endsAt ?? 0) || (a.target < b.target ? -1 : a.target > b.target ? 1 : 0) || (a.object < b.object ? -1 : a.object > b.object ? 1 : 0);

/** Drops the expired exceptions of `desired` at `clock.now` and lists what ends within the window. */
export function resolveExceptions(desired: DesiredState, clock: ExpiryClock): ResolvedExceptions {
  const n = new Notices(clock, true);
  // Selectors are templates (their matched instances are in `instances`): resolved, not listed.
  const quiet = new Notices(clock, false);
  const instances = desired.instances.map((d) => rulesOf(d, instanceKey(d), n));
  const selectors = desired.selectors?.map((s) => rulesOf(s, '', quiet));
  const summaryTasks = desired.summaryTasks.map((t) => task(t, n));
  return {
    desired: { ...desired, instances, summaryTasks, ...(selectors ? { selectors } : {}) },
    expired: n.expired,
    expiring: n.expiring.sort(untilOrder),
  };
}
