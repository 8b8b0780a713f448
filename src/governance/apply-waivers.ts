import { globMatches } from '../policy/glob.js';
import { FIELD_LABELS } from '../plan/field-format.js';
import { reviewSwitch, reviewUpdate } from '../plan/review.js';
import type { RiskRuleSpec } from '../domain.js';
import type { Change, PlanTarget, UpdateRuleChange, WaivedChange } from '../plan/types.js';
import { expiryOf, hasExpired } from './expiry.js';
import { covers, subjectsOf } from './change-subjects.js';
import type { ChangeLabel, DesiredWaiver, Subject, WaiverRef } from './types.js';

/**
 * Drift waivers against the planned changes (pure: now is an input). A change a running waiver
 * covers is taken out of the plan's changes and listed as waived (an update loses only the
 * waived fields, a switch only the waived rules); one an expired waiver covers stays, labelled
 * "waiver expired". A waiver of a planned target that covers no change is reported.
 */

/** The changes after the waivers. */
export interface WaiverOutcome {
  /** The changes to make (labels added). */
  readonly changes: readonly Change[];
  /** Drift left as it is, with its waiver. */
  readonly waived: readonly WaivedChange[];
  /** Waivers of planned targets that covered nothing. */
  readonly unmatched: readonly WaiverRef[];
}

/** `instance prod-db, risk-rule drop-table.risk_level`. */
function names(w: DesiredWaiver): string {
  const where = w.instance !== undefined ? `instance ${w.instance}` : w.match !== undefined ? `match ${w.match}` : `project ${w.region}/${w.projectId}`;
  return `${where}, ${w.kind} ${w.object}${w.field !== undefined ? `.${w.field}` : ''}`;
}

/** The waiver as the plan shows it. */
export const waiverRef = (w: DesiredWaiver): WaiverRef => ({ source: w.source, until: w.until, reason: w.reason, allowWeakening: w.allowWeakening, names: names(w) });

/** True when the waiver is about the target (its project, and its instance by name, id or glob). */
function aboutTarget(w: DesiredWaiver, t: PlanTarget): boolean {
  if (t.region !== w.region || t.projectId !== w.projectId) return false;
  if (t.instanceId === undefined) return w.kind === 'summary-task';
  if (w.instance !== undefined) return w.instance === t.instanceName || w.instance === t.instanceId;
  return w.match !== undefined && t.instanceName !== undefined && globMatches(w.match, t.instanceName);
}

const coveredBy = (w: DesiredWaiver, s: Subject): boolean => covers(w, s, globMatches);

/** Why the drift a change would correct is weaker than the policy (or the change itself weakens). */
export function keptWeakening(c: Change): string[] {
  const own = c.review.weakening ? c.review.reasons.map((r) => `the policy change waits: ${r}`) : [];
  switch (c.kind) {
    case 'update': {
      const live: RiskRuleSpec = { ...c.before, exceptionIps: c.after.exceptionIps };
      const fields = c.fields.filter((f) => !f.writeOnly).map((f) => f.field);
      return [...own, ...reviewUpdate(c.after, live, fields).reasons.map((r) => `kept drift: ${r} (policy → live)`)];
    }
    case 'switch':
      return [...own, ...(c.status === 'ON' ? c.rules.map((r) => `${r.name} stays OFF`) : [])];
    case 'create':
      return [...own, `rule ${c.rule} stays missing`];
    case 'set-task':
      return [...own, ...(c.after ? [`${c.busiType} summary task stays off`] : [])];
    default:
      return own;
  }
}

/** An update without the waived fields: they keep their live value in what is sent. */
function withoutFields(c: UpdateRuleChange, waived: ReadonlySet<string>): { kept?: UpdateRuleChange; waived: UpdateRuleChange } {
  const isWaived = (f: UpdateRuleChange['fields'][number]): boolean => !f.writeOnly && waived.has(FIELD_LABELS[f.field]);
  const restFields = c.fields.filter((f) => !isWaived(f));
  const after = { ...c.after } as Record<string, unknown>;
  for (const f of c.fields.filter(isWaived)) after[f.field] = c.before[f.field as keyof typeof c.before];
  const keptAfter = after as unknown as RiskRuleSpec;
  const waivedPart: UpdateRuleChange = { ...c, fields: c.fields.filter(isWaived) };
  // What rides along (the write-only exception_ips) is no drift: with nothing else left, nothing is sent.
  if (restFields.every((f) => f.writeOnly) && !(c.labels ?? []).some((l) => l.why === 'exception expired')) return { waived: waivedPart };
  const changed = restFields.filter((f) => !f.writeOnly).map((f) => f.field);
  return { kept: { ...c, after: keptAfter, fields: restFields, review: reviewUpdate(c.before, keptAfter, changed) }, waived: waivedPart };
}

const label = (w: DesiredWaiver): ChangeLabel => ({ why: 'waiver expired', source: w.source, until: w.until, reason: w.reason });

const withLabels = (c: Change, labels: readonly ChangeLabel[]): Change => (labels.length === 0 ? c : { ...c, labels: [...(c.labels ?? []), ...labels] });

/** Applies the waivers to the changes of the planned targets. */
export function applyWaivers(changes: readonly Change[], waivers: readonly DesiredWaiver[], targets: readonly PlanTarget[], now: number): WaiverOutcome {
  const targetByKey = new Map(targets.map((t) => [t.key, t]));
  const used = new Set<DesiredWaiver>();
  const running = waivers.filter((w) => { const e = expiryOf(w.until); return e !== undefined && !hasExpired(e, now); });
  const ended = waivers.filter((w) => !running.includes(w));
  const kept: Change[] = [];
  const waived: WaivedChange[] = [];
  for (const c of changes) {
    const t = targetByKey.get(c.target);
    const subjects = subjectsOf(c);
    const about = (w: DesiredWaiver): boolean => t !== undefined && aboutTarget(w, t);
    const expiredBy = ended.filter((w) => about(w) && subjects.some((s) => coveredBy(w, s)));
    for (const w of expiredBy) used.add(w);
    const labelled = withLabels(c, expiredBy.map(label));
    const active = running.filter(about);
    const waiverOf = (s: Subject): DesiredWaiver | undefined => active.find((w) => coveredBy(w, s));
    const split = splitChange(labelled, subjects, waiverOf);
    for (const part of split.waived) {
      used.add(part.waiver);
      waived.push({ change: part.change, waiver: waiverRef(part.waiver), weakening: keptWeakening(part.change) });
    }
    if (split.kept) kept.push(split.kept);
  }
  const planned = (w: DesiredWaiver): boolean => targets.some((t) => aboutTarget(w, t));
  const unmatched = waivers.filter((w) => !used.has(w) && planned(w)).map(waiverRef);
  return { changes: kept, waived, unmatched };
}

/** The part of a change no waiver covers (if any) and the waived parts, each with its waiver. */
function splitChange(c: Change, subjects: readonly Subject[], waiverOf: (s: Subject) => DesiredWaiver | undefined): { kept?: Change; waived: { change: Change; waiver: DesiredWaiver }[] } {
  const matched = subjects.map(waiverOf);
  if (matched.every((w) => w === undefined)) return { kept: c, waived: [] };
  if (c.kind === 'update') {
    // Field by field; the write-only exception_ips that rides along is never drift.
    const byField = new Map<string, DesiredWaiver>();
    subjects.forEach((s, i) => { if (matched[i] && s.field !== undefined) byField.set(s.field, matched[i]); });
    const waiver = [...byField.values()][0]!;
    const parts = withoutFields(c, new Set(byField.keys()));
    return { ...(parts.kept ? { kept: parts.kept } : {}), waived: [{ change: parts.waived, waiver }] };
  }
  if (c.kind === 'switch') {
    const waivedRules = c.rules.filter((_, i) => matched[i] !== undefined);
    const rest = c.rules.filter((_, i) => matched[i] === undefined);
    const waiver = matched.find((w) => w !== undefined)!;
    const names = (rules: typeof c.rules): string[] => rules.map((r) => r.name);
    const waivedPart: Change = { ...c, rules: waivedRules, review: reviewSwitch(c.status, names(waivedRules)) };
    const keptPart: Change = { ...c, rules: rest, review: reviewSwitch(c.status, names(rest)) };
    return { ...(rest.length > 0 ? { kept: keptPart } : {}), waived: [{ change: waivedPart, waiver }] };
  }
  // A create, delete, reorder or task change is waived whole, only when every subject is covered.
  if (matched.some((w) => w === undefined)) return { kept: c, waived: [] };
  return { waived: [{ change: c, waiver: matched[0]! }] };
}
