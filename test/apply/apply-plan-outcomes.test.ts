import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyPlan } from '../../src/apply/apply-plan.js';
import type { ApplyProgress } from '../../src/apply/types.js';
import { openSession, runInputs, type Session } from '../../src/cli/session.js';
import type { Change, Plan } from '../../src/plan/types.js';
import { preparePlan, type PreparedPlan, type RunInputs } from '../../src/run/reconcile.js';
import { startEmulatorEnv, writes } from '../cli/emulator-env.js';
import type { EmulatorEnv } from '../cli/emulator-env.js';
import { PROJECT, prodRules, writeRenamePolicy } from './rename-fixture.js';

/**
 * applyPlan in process against the emulator (real sockets): the outcome, detail, call count,
 * request id and rank report of every change, for the faults the emulator can produce.
 */
let e: EmulatorEnv;
let session: Session;
let inputs: RunInputs;
let prepared: PreparedPlan;
beforeEach(async () => {
  e = await startEmulatorEnv();
  const policies = await writeRenamePolicy(e);
  const io = { stdout: { write: () => true }, stderr: { write: () => true }, env: e.env, cwd: e.dir };
  session = await openSession({}, io);
  inputs = runInputs({ policies }, io, session);
  prepared = await preparePlan(inputs);
  e.emulator.resetCounters();
});
afterEach(async () => {
  await session.close();
  await e.close();
});

const short = (id: string): string => id.split('#')[1]!;

const INSTANCE_KEY = `cn-north-4/${PROJECT}/prod-audit`;
const rulesPath = (): string => {
  const instance = e.emulator.state.projects[PROJECT]!.instances.find((i) => i.name === 'prod-audit')!;
  return `/v1/${PROJECT}/audit/${instance.id}/rule/risk`;
};
const base = (change: string, kind: string) => ({ id: `${INSTANCE_KEY}#${change}`, kind, target: INSTANCE_KEY });
const listings = (): ReadonlyMap<string, PreparedPlan['live']['instances'][number]['rules']> => new Map(prepared.live.instances.map((i) => [i.key, i.rules]));

describe('applyPlan: every change ends with an outcome, its calls and why', () => {
  it('a rename: create, then the reorder confirmed by a listing (with its rank report), then the delete', async () => {
    const events: ApplyProgress[] = [];
    const r = await applyPlan(prepared.plan, { pool: inputs.pool, onProgress: (p) => events.push(p) });
    const numbering = 'system and custom share 1..9 (dense, system first)';
    expect(r).toStrictEqual({
      results: [
        { ...base('create:grant-outside-dba-v2', 'create'), outcome: 'applied', calls: 1 },
        {
          ...base('reorder', 'reorder'),
          outcome: 'applied',
          calls: 3,
          detail: `order confirmed by a listing; numbering: ${numbering}; 1 rank call (predicted)`,
          rank: { numbering, mode: 'predicted', rankCalls: 1, observed: ['bulk-delete-prod', 'drop-table-in-prod', 'grant-outside-dba-v2', 'legacy-export'] },
        },
        { ...base('delete:grant-outside-dba', 'delete'), outcome: 'applied', calls: 1 },
      ],
      interrupted: false,
    });
    expect(events.map((p) => [p.done, p.total, short(p.result.id)])).toEqual([
      [1, 3, 'create:grant-outside-dba-v2'],
      [2, 3, 'reorder'],
      [3, 3, 'delete:grant-outside-dba'],
    ]);
    // the last listing, before the delete, sees the successor (issue 18 item 5)
    expect(e.emulator.log.map((l) => l.operation)).toEqual(['CreateAuditRiskRule', 'ListAuditRuleRisksNew', 'SetRiskRuleRank', 'ListAuditRuleRisksNew', 'ListAuditRuleRisksNew', 'DeleteAuditRuleRisk']);
    expect(prodRules(e)).toEqual(['bulk-delete-prod', 'drop-table-in-prod', 'grant-outside-dba-v2', 'legacy-export']);
  });

  it('a failed create: its error and request id; the reorder and the delete that depend on it are skipped with no call', async () => {
    e.emulator.failNext('CreateAuditRiskRule', 'failed', 1);
    const r = await applyPlan(prepared.plan, { pool: inputs.pool });
    const requestId = e.emulator.log[0]!.requestId;
    expect(requestId).toMatch(/^[0-9a-f]{32}$/);
    expect(r).toStrictEqual({
      results: [
        {
          ...base('create:grant-outside-dba-v2', 'create'),
          outcome: 'failed',
          calls: 1,
          detail: `POST ${rulesPath()}: 200 FAILED the answer says the operation failed (status "FAILED") (request id ${requestId})`,
          requestId,
        },
        { ...base('reorder', 'reorder'), outcome: 'skipped', calls: 0, detail: 'depends on failed create of grant-outside-dba-v2' },
        { ...base('delete:grant-outside-dba', 'delete'), outcome: 'skipped', calls: 0, detail: 'create of grant-outside-dba-v2 failed; deleting grant-outside-dba now would lose coverage' },
      ],
      interrupted: false,
    });
    expect(e.emulator.counters().requests).toBe(1);
    expect(prodRules(e)).toContain('grant-outside-dba');
  });

  it('interrupted (no reason given) after a failed create: the rest is not-attempted, not skipped', async () => {
    e.emulator.failNext('CreateAuditRiskRule', 'failed', 1);
    const controller = new AbortController();
    const r = await applyPlan(prepared.plan, { pool: inputs.pool, signal: controller.signal, onProgress: () => controller.abort() });
    expect(r.interrupted).toBe(true);
    expect(r.results.map((x) => [short(x.id), x.outcome, x.calls, x.detail])).toEqual([
      ['create:grant-outside-dba-v2', 'failed', 1, expect.stringContaining('200 FAILED')],
      ['reorder', 'not-attempted', 0, 'interrupted before this change was sent'],
      ['delete:grant-outside-dba', 'not-attempted', 0, 'interrupted before this change was sent'],
    ]);
    expect(e.emulator.counters().requests).toBe(1);
  });

  it('a plan whose change names a target it does not list: that change fails and nothing is sent', async () => {
    const plan: Plan = { ...prepared.plan, targets: [] };
    const r = await applyPlan(plan, { pool: inputs.pool });
    const detail = `target ${INSTANCE_KEY} is not in the plan's targets`;
    expect(r.results).toStrictEqual([
      { ...base('create:grant-outside-dba-v2', 'create'), outcome: 'failed', calls: 0, detail },
      { ...base('reorder', 'reorder'), outcome: 'failed', calls: 0, detail },
      { ...base('delete:grant-outside-dba', 'delete'), outcome: 'failed', calls: 0, detail },
    ]);
    expect(e.emulator.counters().requests).toBe(0);
  });

  it('a reorder of a declared rule the instance does not have is skipped after its listing, with what the listing showed', async () => {
    const reorder: Change = { id: `${INSTANCE_KEY}#reorder`, target: INSTANCE_KEY, kind: 'reorder', order: ['legacy-export', 'no-such-rule'], moves: [], review: { weakening: false, reasons: [] } };
    const r = await applyPlan({ ...prepared.plan, changes: [reorder] }, { pool: inputs.pool });
    const numbering = 'system and custom share 1..8 (dense, system first)';
    expect(r.results).toStrictEqual([
      {
        ...base('reorder', 'reorder'),
        outcome: 'skipped',
        calls: 1,
        detail: `rules not found on the instance: no-such-rule; numbering: ${numbering}; 0 rank calls (predicted)`,
        rank: { numbering, mode: 'predicted', rankCalls: 0, observed: ['legacy-export'] },
      },
    ]);
    expect(writes(e.emulator)).toBe(0);
  });
});

describe('applyPlan: a switch batch', () => {
  it('switches every listed rule in one call', async () => {
    const rules = e.emulator.state.projects[PROJECT]!.instances.find((i) => i.name === 'prod-audit')!.rules;
    const pick = (name: string) => ({ id: rules.find((x) => x.name === name)!.id, name, system: false });
    const change: Change = { id: `${INSTANCE_KEY}#switch:OFF`, target: INSTANCE_KEY, kind: 'switch', status: 'OFF', rules: [pick('bulk-delete-prod'), pick('legacy-export')], review: { weakening: true, reasons: [] } };
    const off = (): string[] => rules.filter((x) => x.status === 'OFF').map((x) => x.name).sort();
    const wasOff = off();
    expect(wasOff).not.toContain('bulk-delete-prod');
    const r = await applyPlan({ ...prepared.plan, changes: [change] }, { pool: inputs.pool });
    expect(r.results).toStrictEqual([{ ...base('switch:OFF', 'switch'), outcome: 'applied', calls: 1 }]);
    expect(off()).toEqual([...wasOff, 'bulk-delete-prod', 'legacy-export'].sort());
    expect(e.emulator.counters().requests).toBe(1);
  });
});

describe('applyPlan: another writer check before the first write of an instance', () => {
  it('an unchanged instance is listed once, then written to', async () => {
    const r = await applyPlan(prepared.plan, { pool: inputs.pool, plannedListings: listings() });
    expect(r.results.map((x) => x.outcome)).toEqual(['applied', 'applied', 'applied']);
    expect(e.emulator.log[0]!.operation).toBe('ListAuditRuleRisksNew');
    // the check, the create, the reorder (list, rank, list), the successor listing, the delete
    expect(e.emulator.counters().requests).toBe(7);
  });

  it('a listing that fails stops the instance: every change skipped, one call, the error quoted', async () => {
    e.emulator.failNext('*', 'failed', 1);
    const r = await applyPlan(prepared.plan, { pool: inputs.pool, plannedListings: listings() });
    const requestId = e.emulator.log[0]!.requestId;
    const detail = `could not check the instance before writing: GET ${rulesPath()}: 400 DBSS.10020102 Database operation failed (injected fault) (request id ${requestId})`;
    expect(r.results).toStrictEqual([
      { ...base('create:grant-outside-dba-v2', 'create'), outcome: 'skipped', calls: 1, detail },
      { ...base('reorder', 'reorder'), outcome: 'skipped', calls: 1, detail },
      { ...base('delete:grant-outside-dba', 'delete'), outcome: 'skipped', calls: 1, detail },
    ]);
    expect(e.emulator.counters().requests).toBe(1);
    expect(writes(e.emulator)).toBe(0);
  });

  it('a changed instance is left alone, each change saying what changed', async () => {
    e.emulator.state.projects[PROJECT]!.instances.find((i) => i.name === 'prod-audit')!.rules.find((x) => x.name === 'legacy-export')!.riskLevel = 'HIGH';
    const r = await applyPlan(prepared.plan, { pool: inputs.pool, plannedListings: listings() });
    expect(r.results.map((x) => [x.outcome, x.calls])).toEqual([
      ['skipped', 1],
      ['skipped', 1],
      ['skipped', 1],
    ]);
    expect(r.results[2]!.detail).toMatch(
      /^changed by someone else during apply \(rule "legacy-export" \(\w+\) changed since it was planned\); nothing was sent to this instance, plan again$/,
    );
    expect(writes(e.emulator)).toBe(0);
  });

  it('already interrupted: not even the check is sent; every change is not-attempted with the reason', async () => {
    const controller = new AbortController();
    controller.abort('--max-duration 5m reached');
    const r = await applyPlan(prepared.plan, { pool: inputs.pool, signal: controller.signal, plannedListings: listings() });
    expect(r.interrupted).toBe(true);
    expect(r.results.map((x) => [x.outcome, x.calls, x.detail])).toEqual(
      Array(3).fill(['not-attempted', 0, '--max-duration 5m reached before this change was sent']),
    );
    expect(e.emulator.counters().requests).toBe(0);
  });
});
