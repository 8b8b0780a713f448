import { diagnosticAt } from '../policy/diagnostic-at.js';
import type { Diagnostic } from '../policy/diagnostics.js';
import type { PathSegment, PolicyDocument } from '../policy/policy-document.js';
import type { Mapping, RuleContainer } from '../policy/policy-entries.js';
import { instanceEntries, isMapping, overrideEntries, ruleEntries, ruleSetEntries, text } from '../policy/policy-entries.js';
import { kindNamed } from '../kinds/registry.js';
import { daysLeft, isExpiry, parseUntil } from './expiry.js';
import { BUILT_IN_KINDS } from './types.js';

/**
 * Validation of time-boxed exceptions and waivers: every `until` is a real date, waivers name
 * what they are about, and the repository's exception policy (dbss-policy.yaml `exceptions:`)
 * holds: `until` and `reason` on every exception when required, and no exception longer than
 * `max_exception_days` from now. Each problem is located at its entry (file:line:col).
 */

/** The repository's exception policy (dbss-policy.yaml `exceptions:`). */
export interface ExceptionPolicy {
  /** Every exception must say until when it holds. */
  readonly requireUntil?: boolean;
  /** Every exception must say why. */
  readonly requireReason?: boolean;
  /** No exception (or waiver) may end more than this many days from now; one without until breaks it too. */
  readonly maxExceptionDays?: number;
}

/** What the checks need besides the documents. */
export interface ExceptionCheckOptions {
  /** The repository's exception policy; absent = only the shape checks. */
  readonly policy?: ExceptionPolicy;
  /** Now, ms since the epoch (max_exception_days counts from it). */
  readonly now: number;
}

/** One declared exception: where it is, what it is, and its until/reason (undefined when absent). */
interface Declared {
  readonly doc: PolicyDocument;
  /** Path of the exception (reported there). */
  readonly path: readonly PathSegment[];
  /** Path of its until value, when written. */
  readonly untilPath?: readonly PathSegment[];
  /** `exception_ips entry 10.0.0.5`, `status OFF`. */
  readonly what: string;
  /** How to write it with until and reason. */
  readonly hint: string;
  readonly until: unknown;
  readonly reason: unknown;
  /** A waiver (always has until and reason by schema), checked for its length only. */
  readonly waiver?: boolean;
}

const containers = (docs: readonly PolicyDocument[]): RuleContainer[] => [...instanceEntries(docs), ...ruleSetEntries(docs)];

/** The exception_ips entries and the OFF status of one rule (or override) entry. */
function ofRule(doc: PolicyDocument, path: readonly PathSegment[], data: Mapping): Declared[] {
  const found: Declared[] = [];
  const ips = data['exception_ips'];
  if (Array.isArray(ips)) {
    ips.forEach((e: unknown, i) => {
      const p = [...path, 'exception_ips', i];
      if (typeof e === 'string') found.push({ doc, path: p, what: `exception_ips entry ${e}`, hint: `{ ip: ${e}, until: …, reason: … }`, until: undefined, reason: undefined });
      else if (isMapping(e)) {
        const ip = String(e['ip']);
        found.push({ doc, path: p, untilPath: [...p, 'until'], what: `exception_ips entry ${ip}`, hint: `{ ip: ${ip}, until: …, reason: … }`, until: e['until'], reason: e['reason'] });
      }
    });
  }
  if (data['status'] === 'OFF') {
    found.push({ doc, path: [...path, 'status'], untilPath: [...path, 'off_until'], what: 'status OFF', hint: 'off_until: … and off_reason: … next to status: OFF', until: data['off_until'], reason: data['off_reason'] });
  }
  return found;
}

/** System rules switched OFF (`Name: OFF` or `Name: { status: OFF, … }`) of a mapping of system rules or overrides. */
function ofSystemRules(doc: PolicyDocument, path: readonly PathSegment[], rules: unknown, onlyTimed = false): Declared[] {
  if (!isMapping(rules)) return [];
  return Object.entries(rules).flatMap(([name, v]): Declared[] => {
    const p = [...path, name];
    const hint = `${name}: { status: OFF, until: …, reason: … }`;
    if (v === 'OFF' && !onlyTimed) return [{ doc, path: p, what: `system rule ${name} OFF`, hint, until: undefined, reason: undefined }];
    if (isMapping(v) && v['status'] === 'OFF') return [{ doc, path: p, untilPath: [...p, 'until'], what: `system rule ${name} OFF`, hint, until: v['until'], reason: v['reason'] }];
    return [];
  });
}

/** Every exception the documents declare, and every waiver. */
function declared(docs: readonly PolicyDocument[]): Declared[] {
  const found: Declared[] = [];
  for (const owner of containers(docs)) {
    for (const rule of ruleEntries(owner)) found.push(...ofRule(owner.doc, rule.path, rule.data));
    found.push(...ofSystemRules(owner.doc, [...owner.path, 'system_rules'], owner.data['system_rules']));
  }
  // Overrides: one with only status (and until/reason) may be a system rule's; others are risk rules'.
  for (const entry of instanceEntries(docs)) {
    for (const o of overrideEntries(entry)) {
      if (!isSystemOverride(o.data)) found.push(...ofRule(entry.doc, o.path, o.data));
      else if (o.data['status'] === 'OFF') {
        const hint = 'until: … and reason: … (a system rule), or off_until: … and off_reason: … (a risk rule), next to status: OFF';
        const until = o.data['until'] ?? o.data['off_until'];
        found.push({ doc: entry.doc, path: [...o.path, 'status'], untilPath: [...o.path, 'until'], what: `override ${String(o.path.at(-1))} status OFF`, hint, until, reason: o.data['reason'] });
      }
    }
  }
  for (const doc of docs) {
    const tasks = doc.data['summary_tasks'];
    if (isMapping(tasks)) {
      for (const [busi, v] of Object.entries(tasks)) {
        const p = ['summary_tasks', busi];
        const hint = `${busi}: { status: off, until: …, reason: … }`;
        if (v === 'off') found.push({ doc, path: p, what: `summary task ${busi} off`, hint, until: undefined, reason: undefined });
        else if (isMapping(v) && v['status'] === 'off') found.push({ doc, path: p, untilPath: [...p, 'until'], what: `summary task ${busi} off`, hint, until: v['until'], reason: v['reason'] });
      }
    }
    const waivers = doc.data['waivers'];
    if (Array.isArray(waivers)) {
      waivers.forEach((w: unknown, i) => {
        if (isMapping(w)) found.push({ doc, path: ['waivers', i], untilPath: ['waivers', i, 'until'], what: 'waiver', hint: '', until: w['until'], reason: w['reason'], waiver: true });
      });
    }
  }
  return found;
}

/** An override that may be a system rule's: only status, until and reason. */
const isSystemOverride = (o: Mapping): boolean => 'status' in o && Object.keys(o).every((k) => k === 'status' || k === 'until' || k === 'reason');

/** The problems of one exception. */
function problemsOf(d: Declared, opts: ExceptionCheckOptions): Diagnostic[] {
  const out: Diagnostic[] = [];
  const policy = opts.policy ?? {};
  const untilText = text(d.until);
  const expiry = untilText !== undefined ? parseUntil(untilText) : undefined;
  if (expiry && !isExpiry(expiry)) {
    out.push(diagnosticAt(d.doc, d.untilPath ?? d.path, expiry.problem));
    return out;
  }
  const required = [...(policy.requireUntil && untilText === undefined ? ['until'] : []), ...(policy.requireReason && text(d.reason) === undefined ? ['reason'] : [])];
  if (!d.waiver && required.length > 0) {
    out.push(diagnosticAt(d.doc, d.path, `${d.what} has no ${required.join(' and ')}: dbss-policy.yaml (exceptions) requires until and reason on every exception; write ${d.hint}`));
  }
  const max = policy.maxExceptionDays;
  if (max !== undefined) {
    if (expiry === undefined && !d.waiver && !policy.requireUntil) {
      out.push(diagnosticAt(d.doc, d.path, `${d.what} has no until: dbss-policy.yaml (exceptions) caps every exception at max_exception_days ${max}; write ${d.hint}`));
    } else if (expiry !== undefined) {
      const days = daysLeft(expiry, opts.now);
      if (days > max) {
        const today = new Date(opts.now).toISOString().slice(0, 10);
        out.push(diagnosticAt(d.doc, d.untilPath ?? d.path, `${d.what} until ${untilText} is ${days} days from now (${today}); dbss-policy.yaml (exceptions) allows at most max_exception_days ${max}`));
      }
    }
  }
  return out;
}

/** A waiver names the instance it is about (not for summary tasks) and a kind this tool manages. */
function waiverShape(doc: PolicyDocument, w: Mapping, i: number): Diagnostic[] {
  const out: Diagnostic[] = [];
  const kind = text(w['kind']);
  const hasInstance = w['instance'] !== undefined;
  const hasMatch = w['match'] !== undefined;
  if (kind !== undefined && !(BUILT_IN_KINDS as readonly string[]).includes(kind) && !kindNamed(kind)) {
    out.push(diagnosticAt(doc, ['waivers', i, 'kind'], `unknown kind "${kind}" (known: ${[...BUILT_IN_KINDS].join(', ')})`));
  }
  if (kind === 'summary-task') {
    if (hasInstance || hasMatch) out.push(diagnosticAt(doc, ['waivers', i, hasInstance ? 'instance' : 'match'], 'a summary-task waiver is about the project: give no instance or match'));
  } else if (hasInstance === hasMatch) {
    out.push(diagnosticAt(doc, ['waivers', i], hasInstance ? 'give instance or match, not both' : 'a waiver names the instance it is about: give instance (name or id) or match (a glob)'));
  }
  return out;
}

/** Runs the checks over every document. */
export function checkExceptions(docs: readonly PolicyDocument[], opts: ExceptionCheckOptions): Diagnostic[] {
  const shapes = docs.flatMap((doc) => {
    const waivers = doc.data['waivers'];
    return Array.isArray(waivers) ? waivers.flatMap((w: unknown, i) => (isMapping(w) ? waiverShape(doc, w, i) : [])) : [];
  });
  return [...shapes, ...declared(docs).flatMap((d) => problemsOf(d, opts))];
}
