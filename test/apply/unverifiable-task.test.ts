import { describe, expect, it } from 'vitest';
import type { ApplyResult, ChangeResult } from '../../src/apply/types.js';
import { settleUnverifiable } from '../../src/apply/unverifiable.js';
import type { Change, Plan } from '../../src/plan/types.js';

/**
 * settleUnverifiable: a summary-task switch that no read can confirm (the read gave no
 * task_switch, `before: unknown`) leaves the leftover plan once its call succeeded in this apply;
 * every other leftover change stays, and the plan's lazy fields stay lazy.
 */
const P = 'cn-north-4/p1';
const UNVERIFIABLE_TASK =
  'not verifiable: the summary-task read gives no task_switch this tool can read (its values are unconfirmed); the switch call succeeded';
const NO_REVIEW = { weakening: false, reasons: [] };
const task = (busiType: 'risk' | 'audit', before: boolean | 'unknown'): Change => ({ id: `${P}#set-task:${busiType}`, target: P, kind: 'set-task', busiType, before, after: true, review: NO_REVIEW });
const del: Change = { id: `${P}/i#delete:old`, target: `${P}/i`, kind: 'delete', rule: 'old', ruleId: 'r1', review: NO_REVIEW };
const done = (c: Change, outcome: ChangeResult['outcome']): ChangeResult => ({ id: c.id, kind: c.kind, target: c.target, outcome, calls: 1 });

/** A leftover plan whose liveFingerprint is a getter that counts its reads. */
function leftover(changes: Change[]): { plan: Plan; reads: () => number } {
  let reads = 0;
  const plan = { formatVersion: 1, toolVersion: 't', desiredHash: 'd', targets: [], changes, notes: [], errors: [], refusals: [], selectors: [] } as unknown as Plan;
  Object.defineProperty(plan, 'liveFingerprint', { get: () => (reads++, 'fp'), enumerable: true, configurable: true });
  return { plan, reads: () => reads };
}

describe('settleUnverifiable', () => {
  it('removes an applied set-task whose state was unknown, says it cannot be verified, keeps the rest', () => {
    const unknownRisk = task('risk', 'unknown');
    const knownAudit = task('audit', false);
    const apply: ApplyResult = { results: [done(unknownRisk, 'applied'), done(knownAudit, 'applied'), done(del, 'applied')], interrupted: false };
    const { plan, reads } = leftover([unknownRisk, knownAudit, del]);
    const settled = settleUnverifiable(apply, plan);
    expect(settled.leftover.changes).toEqual([knownAudit, del]);
    expect(Object.keys(settled.leftover)).toContain('changes');
    expect(settled.apply.results).toStrictEqual([{ ...done(unknownRisk, 'applied'), detail: UNVERIFIABLE_TASK }, done(knownAudit, 'applied'), done(del, 'applied')]);
    expect(settled.apply.interrupted).toBe(false);
    // The copy did not compute the lazy fingerprint, and still serves it.
    expect(reads()).toBe(0);
    expect(JSON.parse(JSON.stringify(settled.leftover)).changes).toHaveLength(2);
    expect(settled.leftover.liveFingerprint).toBe('fp');
    expect(settled.leftover.desiredHash).toBe('d');
    expect(plan.changes).toHaveLength(3);
  });

  it('keeps an unknown set-task whose call failed, and returns the inputs unchanged when nothing settles', () => {
    const unknownRisk = task('risk', 'unknown');
    const apply: ApplyResult = { results: [done(unknownRisk, 'failed')], interrupted: true };
    const { plan } = leftover([unknownRisk]);
    const settled = settleUnverifiable(apply, plan);
    expect(settled.apply).toBe(apply);
    expect(settled.leftover).toBe(plan);
  });

  it('an applied unknown set-task that converged (not left over) keeps its result as it was', () => {
    const unknownRisk = task('risk', 'unknown');
    const unknownAudit = task('audit', 'unknown');
    // The audit task converged (not left over); only the risk task, still planned, is settled.
    const apply: ApplyResult = { results: [done(unknownAudit, 'applied'), done(unknownRisk, 'applied')], interrupted: false };
    const settled = settleUnverifiable(apply, leftover([unknownRisk, del]).plan);
    expect(settled.leftover.changes).toEqual([del]);
    expect(settled.apply.results.map((r) => r.detail)).toEqual([undefined, UNVERIFIABLE_TASK]);
  });

  it('only set-task changes settle: an applied delete still pending stays pending', () => {
    const apply: ApplyResult = { results: [done(del, 'applied')], interrupted: false };
    const { plan } = leftover([del]);
    expect(settleUnverifiable(apply, plan).leftover).toBe(plan);
  });
});
