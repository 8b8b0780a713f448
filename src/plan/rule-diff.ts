import type { ReadableRuleSpec, RiskRuleSpec, SchemaTarget, Switch, Threshold } from '../domain.js';
import type { DesiredRiskRule } from '../policy/types.js';
import { DEFAULT_THRESHOLD, differingFields } from './normalise.js';
import type { FieldChange } from './types.js';

/** The note shown when a rule declares exception IPs that cannot be checked. */
export const WRITE_ONLY_NOTE = 'exception_ips is write-only (not verifiable); --reassert-write-only re-sends it';

/** What one declared custom rule that exists live needs. */
export type RuleOutcome =
  | {
      /** Nothing to send. */
      readonly kind: 'same';
      /** A remark (write-only field not verifiable), if any. */
      readonly note?: string;
    }
  | {
      /** Only the status differs: goes into the instance's switch batch. */
      readonly kind: 'switch';
      /** Wanted status. */
      readonly status: Switch;
      /** A remark (write-only field not verifiable), if any. */
      readonly note?: string;
    }
  | {
      /** Content differs (or a write-only re-send was asked for): a full replacement. */
      readonly kind: 'update';
      /** The differing fields, then the write-only one when it is sent non-empty. */
      readonly fields: readonly FieldChange[];
    };

const schemaTarget = (s: SchemaTarget): SchemaTarget => ({
  ...(s.schema != null ? { schema: s.schema } : {}),
  ...(s.table != null ? { table: s.table } : {}),
  ...(s.column != null ? { column: s.column } : {}),
});

const threshold = (t: Threshold | undefined): Threshold => {
  const th = t ?? DEFAULT_THRESHOLD;
  return { symbol: th.symbol, value: th.value };
};

/**
 * The readable content of a live detail as plain data in a fixed key order (no id, no rank),
 * absent values read as their defaults (as normaliseRule does).
 */
export function readableSpec(detail: ReadableRuleSpec): ReadableRuleSpec {
  return {
    name: detail.name,
    riskLevel: detail.riskLevel,
    status: detail.status,
    actions: [...(detail.actions ?? [])],
    affectRows: threshold(detail.affectRows),
    executionTime: threshold(detail.executionTime),
    dbIds: [...(detail.dbIds ?? [])],
    clientIps: [...(detail.clientIps ?? [])],
    schemas: (detail.schemas ?? []).map(schemaTarget),
    ignoreCase: detail.ignoreCase === true,
  };
}

/** The full content to send for a declared rule, in a fixed key order (no source location). */
export function ruleSpec(rule: RiskRuleSpec): RiskRuleSpec {
  return {
    name: rule.name,
    riskLevel: rule.riskLevel,
    status: rule.status,
    actions: [...rule.actions],
    affectRows: threshold(rule.affectRows),
    executionTime: threshold(rule.executionTime),
    dbIds: [...rule.dbIds],
    clientIps: [...rule.clientIps],
    exceptionIps: [...rule.exceptionIps],
    schemas: rule.schemas.map(schemaTarget),
    ignoreCase: rule.ignoreCase,
  };
}

/**
 * Compares a live rule with its declaration. A status-only difference is a switch (batched),
 * anything else an update that also carries the status. exception_ips cannot be read back: it
 * rides along on an update that happens anyway (shown as write-only), is re-sent alone only
 * when `reassertWriteOnly` is set, and otherwise earns a note. A rule declaring no exception
 * IPs sends [] on update (full replacement clears it) and shows nothing.
 */
export function diffRule(live: ReadableRuleSpec, desired: DesiredRiskRule, reassertWriteOnly: boolean): RuleOutcome {
  const differing = differingFields(live, desired);
  const hasWriteOnly = desired.exceptionIps.length > 0;
  // An exception IP that expired is removed by re-sending the list without it (the API never shows it).
  const expired = (desired.exceptions?.expiredIps?.length ?? 0) > 0;
  const contentDiffers = differing.some((f) => f !== 'status');
  if (contentDiffers || (hasWriteOnly && reassertWriteOnly) || expired) {
    const fields: FieldChange[] = differing.map((field) => ({ field, before: live[field], after: desired[field] }));
    if (hasWriteOnly || expired) fields.push({ field: 'exceptionIps', after: [...desired.exceptionIps], writeOnly: true });
    return { kind: 'update', fields };
  }
  if (differing.includes('status')) return { kind: 'switch', status: desired.status, ...(hasWriteOnly ? { note: WRITE_ONLY_NOTE } : {}) };
  // shared answers: nearly every rule of a large plan is the same (no object per rule)
  return hasWriteOnly ? SAME_WRITE_ONLY : SAME;
}

const SAME: RuleOutcome = { kind: 'same' };
const SAME_WRITE_ONLY: RuleOutcome = { kind: 'same', note: WRITE_ONLY_NOTE };
