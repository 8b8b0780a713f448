import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runApplyFlow } from '../../src/cli/apply-flow.js';
import { openSession, runInputs } from '../../src/cli/session.js';
import { applyAndVerify, preparePlan } from '../../src/run/reconcile.js';
import { startEmulatorEnv, writes } from '../cli/emulator-env.js';
import type { EmulatorEnv } from '../cli/emulator-env.js';
import { runInProcess } from '../helpers/run-in-process.js';
import { PROJECT, prodRules, writeRenamePolicy } from './rename-fixture.js';

/**
 * The apply engine in process against the emulator (real sockets): delete order within an
 * instance and other writers between plan and apply.
 */
let e: EmulatorEnv;
let policies: string;
beforeEach(async () => {
  e = await startEmulatorEnv();
  policies = await writeRenamePolicy(e);
});
afterEach(() => e.close());


describe('deletes wait for the creates and updates of their instance', () => {
  it('a failed rename create skips the delete of the old rule, which stays; the next run converges', async () => {
    e.emulator.failNext('CreateAuditRiskRule', 'failed', 1);
    const r = await runInProcess(['reconcile', '--policies', policies], { cwd: e.dir, env: e.env });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/FAILED\s+\S+prod-audit create:grant-outside-dba-v2: /);
    expect(r.stdout).toContain('prod-audit delete:grant-outside-dba: create of grant-outside-dba-v2 failed; deleting grant-outside-dba now would lose coverage');
    expect(r.stdout).toMatch(/SKIPPED\s+\S+prod-audit delete:grant-outside-dba/);
    expect(prodRules(e)).toContain('grant-outside-dba');
    expect(e.emulator.counters().byOperation['DeleteAuditRuleRisk'] ?? 0).toBe(0);

    const again = await runInProcess(['reconcile', '--policies', policies], { cwd: e.dir, env: e.env });
    expect(again.code).toBe(0);
    expect(prodRules(e)).toEqual(['bulk-delete-prod', 'drop-table-in-prod', 'grant-outside-dba-v2', 'legacy-export']);
  });

  it('the rename applies when the create succeeds: create first, then delete', async () => {
    const r = await runInProcess(['reconcile', '--policies', policies], { cwd: e.dir, env: e.env });
    expect(r.code).toBe(0);
    const writesInOrder = e.emulator.log.filter((l) => l.method !== 'GET').map((l) => l.operation);
    expect(writesInOrder.indexOf('CreateAuditRiskRule')).toBeLessThan(writesInOrder.indexOf('DeleteAuditRuleRisk'));
  });
});

describe('another writer between plan and apply', () => {
  it('is detected before the instance is first written to; nothing is sent to it', async () => {
    const io = { stdout: { write: () => true }, stderr: { write: () => true }, env: e.env, cwd: e.dir };
    const session = await openSession({}, io);
    try {
      const inputs = runInputs({ policies }, io, session);
      const prepared = await preparePlan(inputs);
      expect(prepared.plan.changes.map((c) => c.id.split('#')[1])).toEqual(['create:grant-outside-dba-v2', 'reorder', 'delete:grant-outside-dba']);
      // Someone switches a rule off in the console after the plan was read.
      e.emulator.state.projects[PROJECT]!.instances.find((i) => i.name === 'prod-audit')!.rules.find((x) => x.name === 'legacy-export')!.status = 'OFF';
      e.emulator.resetCounters();
      const applied = await applyAndVerify(prepared, inputs);
      expect(applied.apply.results.map((x) => x.outcome)).toEqual(['skipped', 'skipped', 'skipped']);
      expect(applied.apply.results[0]!.detail).toMatch(/^changed by someone else during apply \(rule "legacy-export" \(\w+\) changed since it was planned\)/);
      expect(writes(e.emulator)).toBe(0);
    } finally {
      await session.close();
    }
  });
});

describe('--max-duration', () => {
  it('past the deadline before the read: nothing is read or sent, each target says why, exit 1', async () => {
    const r = await runInProcess(['reconcile', '--policies', policies, '--max-duration', '1ms'], { cwd: e.dir, env: e.env });
    expect(r.code).toBe(1);
    expect(r.stdout + r.stderr).toContain('not sent: --max-duration 1ms reached');
    expect(e.emulator.counters().requests).toBe(0);
  });

  it('past the deadline after the read, before the apply: nothing is sent, every change is not-attempted, exit 1', async () => {
    const out: string[] = [];
    const io = { stdout: { write: (t: string) => out.push(t) > 0 }, stderr: { write: () => true }, env: e.env, cwd: e.dir };
    const session = await openSession({}, io);
    try {
      const inputs = runInputs({ policies, 'max-duration': '1ms' }, io, session);
      // read without the display that also bounds the read, so the deadline meets the apply
      const prepared = await preparePlan({ ...inputs, readProgress: undefined });
      expect(await runApplyFlow(prepared, inputs, io, { force: false, failOnWeakening: false })).toBe(1);
    } finally {
      await session.close();
    }
    const stdout = out.join('');
    expect(stdout).toMatch(/NOT-ATTEMPTED\s+\S+prod-audit create:grant-outside-dba-v2: --max-duration 1ms reached before this change was sent/);
    expect(stdout).toContain('Apply: 0 applied, 0 failed, 0 skipped, 3 not-attempted (interrupted).');
    expect(writes(e.emulator)).toBe(0);
  });

  it('reached during the apply: calls in flight finish, the rest is reported not-attempted', async () => {
    const io = { stdout: { write: () => true }, stderr: { write: () => true }, env: e.env, cwd: e.dir };
    const session = await openSession({ concurrency: '1' }, io);
    try {
      const inputs = runInputs({ policies }, io, session);
      const prepared = await preparePlan(inputs);
      const controller = new AbortController();
      const applied = await applyAndVerify(prepared, inputs, {
        signal: controller.signal,
        onProgress: (p) => {
          if (p.done === 1) controller.abort('--max-duration 10m reached');
        },
      });
      expect(applied.apply.results.map((x) => [x.id.split('#')[1], x.outcome, x.detail])).toEqual([
        ['create:grant-outside-dba-v2', 'applied', undefined],
        ['reorder', 'not-attempted', '--max-duration 10m reached before this change was sent'],
        ['delete:grant-outside-dba', 'not-attempted', '--max-duration 10m reached before this change was sent'],
      ]);
      expect(e.emulator.counters().byOperation['DeleteAuditRuleRisk'] ?? 0).toBe(0);
    } finally {
      await session.close();
    }
  });

  it('a malformed duration is a usage error before anything is read', async () => {
    const r = await runInProcess(['reconcile', '--policies', policies, '--max-duration', 'soon'], { cwd: e.dir, env: e.env });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('--max-duration must be a duration like 90s, 10m or 1h, got "soon"');
    expect(e.emulator.counters().requests).toBe(0);
  });
});
