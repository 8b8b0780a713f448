import type { BusiType, ReadableRuleSpec, RiskRuleSpec, SchemaTarget, Switch } from '../domain.js';
import { RISK_LEVELS } from '../domain.js';
import { FIELD_LABELS, formatList, formatSchema, formatThreshold } from './field-format.js';
import { uncoveredIps } from '../policy/ip-coverage.js';
import type { ComparedField, NormalisedRule } from './normalise.js';
import { COMPARED_FIELDS, normaliseField, normaliseIps } from './normalise.js';
import { thresholdCovers } from './threshold-scope.js';
import type { Review } from './types.js';

/**
 * Review classification (display only; apply never reads it). A change is weakening when the
 * rule would flag fewer statements or flag them less severely. A rule matches a statement when
 * every condition holds, and an empty list means "any", so:
 *  - status ON → OFF, a delete, a summary task switched off, a lower risk level: weakening;
 *  - actions, db_ids, client_ips, schemas: NARROWER matching is weakening (an entry removed, or
 *    "any" (empty) replaced by a list); becoming empty = any is wider, so not weakening.
 *    client_ips is the set of clients the rule applies to, so wider client_ips catch more; they
 *    are compared by the addresses they cover (10.20.0.0/16 → 10.0.0.0/8 is wider, not
 *    weakening; a range split into CIDRs covering the same addresses is no change of scope).
 *    Schema entries do cover narrower ones (`finance` covers `finance.ledger`);
 *  - exception_ips exempt clients, so covering more addresses is weakening (reviewExceptionIps)
 *    and covering fewer is not. The API never returns the previous value, so a plan against the
 *    live state cannot judge it: re-sending the declared list is not flagged (it would flag every
 *    update of such a rule, a strengthening one included); renderers mark the field
 *    "write-only (not verifiable)" so reviewers look at it;
 *  - thresholds: weakening when the new one matches fewer values (see threshold-scope);
 *  - ignore_case true → false matches fewer statements: weakening.
 * Creates and reorders are never weakening. Unknown risk levels count as the worst case.
 */

/** A change that does not weaken anything. */
export const NOT_WEAKENING: Review = { weakening: false, reasons: [] };

const review = (reasons: string[]): Review => ({ weakening: reasons.length > 0, reasons });

/** Severity index; unknown levels sit below everything after a change and above everything before it. */
const severity = (level: string, unknown: number): number => {
  const i = RISK_LEVELS.indexOf(level as (typeof RISK_LEVELS)[number]);
  return i < 0 ? unknown : i;
};

/** Reason when a list matches less after the change (empty = any). */
function narrowed(label: string, before: readonly string[], after: readonly string[]): string | undefined {
  if (after.length === 0) return undefined;
  if (before.length === 0) return `${label} any → ${formatList([...after])}`;
  const removed = before.filter((x) => !after.includes(x));
  return removed.length > 0 ? `${label} no longer include ${removed.join(', ')}` : undefined;
}

/** Reason when client_ips cover fewer addresses after the change (empty = any client). */
function clientIpsNarrowed(before: readonly string[], after: readonly string[]): string | undefined {
  if (after.length === 0) return undefined;
  if (before.length === 0) return `${FIELD_LABELS.clientIps} any → ${formatList([...after])}`;
  const lost = uncoveredIps(before, after);
  return lost.length > 0 ? `${FIELD_LABELS.clientIps} no longer cover ${lost.join(', ')}` : undefined;
}

/**
 * Review of exception_ips going from `before` to `after` when the previous list is known (empty
 * = no exceptions): exempting addresses that were not exempt is weakening.
 */
export function reviewExceptionIps(before: readonly string[], after: readonly string[]): Review {
  const added = uncoveredIps(normaliseIps(after), normaliseIps(before));
  return review(added.length > 0 ? [`${FIELD_LABELS.exceptionIps} now exempt ${added.join(', ')}`] : []);
}

const covers = (wide: SchemaTarget, narrow: SchemaTarget): boolean =>
  (!wide.schema || wide.schema === narrow.schema) &&
  (!wide.table || wide.table === narrow.table) &&
  (!wide.column || wide.column === narrow.column);

function schemasNarrowed(before: readonly SchemaTarget[], after: readonly SchemaTarget[]): string | undefined {
  if (after.length === 0) return undefined;
  if (before.length === 0) return `schemas any → ${formatList(after.map(formatSchema))}`;
  const lost = before.filter((b) => !after.some((a) => covers(a, b)));
  return lost.length > 0 ? `schemas no longer cover ${lost.map(formatSchema).join(', ')}` : undefined;
}

/** The reason a change of one field weakens the rule, from its normalised values, or undefined. */
type FieldReview<F extends ComparedField> = (before: NormalisedRule[F], after: NormalisedRule[F]) => string | undefined;

const thresholdLooser =
  (f: 'affectRows' | 'executionTime'): FieldReview<typeof f> =>
  (b, a) =>
    thresholdCovers(a, b) ? undefined : `${FIELD_LABELS[f]} ${formatThreshold(b)} → ${formatThreshold(a)}`;

/** One check per compared field, in the order the reasons are shown. */
const FIELD_REVIEWS: { readonly [F in ComparedField]: FieldReview<F> } = {
  status: (b, a) => (b === 'ON' && a === 'OFF' ? 'status ON → OFF' : undefined),
  riskLevel: (b, a) => (severity(a, -1) < severity(b, RISK_LEVELS.length) ? `risk_level ${b} → ${a}` : undefined),
  actions: (b, a) => narrowed(FIELD_LABELS.actions, b, a),
  dbIds: (b, a) => narrowed(FIELD_LABELS.dbIds, b, a),
  clientIps: clientIpsNarrowed,
  schemas: schemasNarrowed,
  affectRows: thresholdLooser('affectRows'),
  executionTime: thresholdLooser('executionTime'),
  ignoreCase: (b, a) => (b && !a ? 'ignore_case true → false' : undefined),
};

function fieldReason<F extends ComparedField>(field: F, before: ReadableRuleSpec, after: RiskRuleSpec): string | undefined {
  return (FIELD_REVIEWS[field] as FieldReview<F>)(normaliseField(before, field), normaliseField(after, field));
}

/**
 * Review of an update from the live content to the content sent. `changed` names the fields
 * whose normalised values differ (diffRule's fields; all when not given): a field whose values
 * are equal gives no reason, so only those are normalised (a large plan reviews thousands).
 */
export function reviewUpdate(before: ReadableRuleSpec, after: RiskRuleSpec, changed: readonly string[] = COMPARED_FIELDS): Review {
  const reasons: string[] = [];
  for (const field of Object.keys(FIELD_REVIEWS) as ComparedField[]) {
    // Stryker disable next-line ConditionalExpression: only a shortcut, an unchanged field gives no reason
    if (!changed.includes(field)) continue;
    const reason = fieldReason(field, before, after);
    if (reason !== undefined) reasons.push(reason);
  }
  // Stryker disable next-line ConditionalExpression: review([]) equals NOT_WEAKENING; the shared answer is one object less per update
  return reasons.length === 0 ? NOT_WEAKENING : review(reasons);
}

/** Review of a batch switch. */
export function reviewSwitch(status: Switch, names: readonly string[]): Review {
  return status === 'OFF' ? review(names.map((n) => `${n} turned OFF`)) : NOT_WEAKENING;
}

const RULE_DELETED: Review = review(['rule deleted']);

/** Review of a delete (one shared answer: reviews are read-only data). */
export function reviewDelete(): Review {
  return RULE_DELETED;
}

/** Review of a summary task change. */
export function reviewTask(busiType: BusiType, before: boolean | undefined, after: boolean): Review {
  // An unknown live switch may be on: switching it off may weaken auditing.
  return before !== false && !after ? review([`${busiType} summary task switched off`]) : NOT_WEAKENING;
}
