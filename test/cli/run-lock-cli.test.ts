import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Clock } from '../../src/api/clock.js';
import { acquireRunLock, lockFile } from '../../src/apply/run-lock.js';
import type { RunLock } from '../../src/apply/run-lock.js';
import { projectLockTarget } from '../../src/cli/lock-target.js';
import { run } from '../../src/cli/run.js';
import { startEmulatorEnv, writes } from './emulator-env.js';
import type { EmulatorEnv } from './emulator-env.js';
import { withoutPolicyWarnings } from '../helpers/policy-warnings.js';
import { startCli } from '../reliability/helpers/cli-process.js';

/**
 * The run lock as the CLI uses it, against the emulator: one lock per estate whatever the
 * spelling of its endpoint, stale locks taken over with a note, an unusable lock directory named,
 * and `--lock-timeout` waiting on a fake clock (no test sleeps).
 */
const REPO = join(import.meta.dirname, '../..');
const POLICIES = join(REPO, 'policies');
const REGION = 'cn-north-4';
const PAYMENTS = '0f1e2d3c4b5a69788796a5b4c3d2e1f0';

let e: EmulatorEnv;
let locks: string;
let held: RunLock | undefined;
beforeEach(async () => {
  e = await startEmulatorEnv();
  locks = e.env['DBSS_POLICY_LOCK_DIR']!;
});
afterEach(async () => {
  held?.release();
  held = undefined;
  await e.close();
});

/** A clock whose sleeps pass at once, counted; `onSleep` runs after each. */
function fakeClock(onSleep: (slept: number) => void = () => {}): Clock & { sleeps: number[] } {
  let t = Date.parse('2026-03-04T05:06:07.000Z');
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => t,
    async sleep(ms) {
      t += ms;
      sleeps.push(ms);
      onSleep(sleeps.length);
    },
  };
}

async function cli(args: string[], env: Record<string, string> = e.env, waitClock?: Clock) {
  let stdout = '';
  let stderr = '';
  const code = await run([...args, '--policies', POLICIES], {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    env: { NO_COLOR: '1', ...env },
    cwd: REPO,
    ...(waitClock ? { waitClock } : {}),
  });
  return { code, stdout, stderr: withoutPolicyWarnings(stderr) };
}

/** The payments project's lock, as another run against `endpoint` would hold it. */
const paymentsLock = (endpoint = e.emulator.url): string => projectLockTarget(REGION, PAYMENTS, endpoint);

const ruleReads = (): number => e.emulator.log.filter((l) => l.operation === 'ListAuditRuleRisksNew').length;

describe('the run lock of an estate', () => {
  it('is one lock for localhost and 127.0.0.1: a run at one spelling stops while a run at the other holds it', async () => {
    expect(e.emulator.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const other = e.emulator.url.replace('127.0.0.1', 'localhost');
    held = acquireRunLock(locks, [paymentsLock(other)]);
    const r = await cli(['reconcile', '--yes']);
    expect(r.code).toBe(1);
    const port = new URL(e.emulator.url).port;
    expect(r.stderr).toContain(`another dbss-policy run (pid ${process.pid}, started `);
    expect(r.stderr).toContain(`is applying to ${REGION}/${PAYMENTS} at http://localhost:${port} on this machine; nothing was changed.`);
    expect(writes(e.emulator)).toBe(0);
  });

  it("a lock file naming this run's own pid, left by an earlier run, is taken over with a note", async () => {
    await mkdir(locks, { recursive: true });
    const file = lockFile(locks, paymentsLock());
    await writeFile(file, JSON.stringify({ pid: process.pid, startedAt: '2026-01-01T00:00:00.000Z', target: paymentsLock() }));
    const r = await cli(['reconcile', '--yes']);
    expect(r.stderr).toBe(
      `the lock file ${file} named pid ${process.pid} (started 2026-01-01T00:00:00.000Z), which is this run's own pid: ` +
        'a run before it had the same pid (containers reuse low pids) and left the file; taken over.\n',
    );
    expect(r.code).toBe(0);
    expect(await readdir(locks)).toEqual([]);
  });

  it('an unusable lock directory is an error naming it, not an internal error, and nothing is written', async () => {
    const notDir = join(e.dir, 'a-file');
    await writeFile(notDir, '');
    const r = await cli(['reconcile', '--yes'], { ...e.env, DBSS_POLICY_LOCK_DIR: join(notDir, 'locks') });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^dbss-policy reconcile: cannot use the run lock directory \S+a-file\/locks \(ENOTDIR: [^\n]*\); nothing was changed\. Point DBSS_POLICY_LOCK_DIR at a directory this user can create files in\.\n$/);
    expect(r.stderr).not.toContain('internal error');
    expect(writes(e.emulator)).toBe(0);
  });
});

describe('--lock-timeout', () => {
  it('is listed by --help of plan, apply and reconcile', async () => {
    for (const verb of ['plan', 'apply', 'reconcile']) {
      const r = await cli([verb, '--help']);
      expect(r.stdout).toMatch(/--lock-timeout D +while another run on this machine holds the lock of a project, wait up to D\n +\(30s, 5m\) before reading and again before applying; without it plan does\n +not wait and apply stops at once\n/);
    }
  });

  it('is a duration', async () => {
    const r = await cli(['plan', '--lock-timeout', 'soon']);
    expect(r).toMatchObject({ code: 1, stderr: 'dbss-policy plan: --lock-timeout must be a duration like 90s, 10m or 1h, got "soon"\n' });
  });

  it('absent: a held lock stops apply at once, without waiting', async () => {
    held = acquireRunLock(locks, [paymentsLock()]);
    const clock = fakeClock();
    const r = await cli(['reconcile', '--yes'], e.env, clock);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`another dbss-policy run (pid ${process.pid}, started `);
    expect(clock.sleeps).toEqual([]);
    expect(writes(e.emulator)).toBe(0);
  });

  it('waits for the lock to be released, looking again every second, then plans and applies', async () => {
    held = acquireRunLock(locks, [paymentsLock()], new Date('2026-02-03T04:05:06.000Z'));
    const clock = fakeClock((n) => {
      if (n === 3) {
        expect(ruleReads()).toBe(0); // nothing is read while another run applies
        held!.release();
      }
    });
    const r = await cli(['reconcile', '--yes', '--lock-timeout', '30s'], e.env, clock);
    expect(r.stderr).toBe(`waiting up to 30s for another dbss-policy run (pid ${process.pid}, started 2026-02-03T04:05:06.000Z) to release the lock of ${paymentsLock()}...\n`);
    expect(r.code).toBe(0);
    expect(clock.sleeps).toEqual([1000, 1000, 1000]);
    expect(writes(e.emulator)).toBeGreaterThan(0);
    expect(await readdir(locks)).toEqual([]);
  });

  it('stops after the timeout naming the holder and the lock file, having read and changed nothing', async () => {
    held = acquireRunLock(locks, [paymentsLock()], new Date('2026-02-03T04:05:06.000Z'));
    const clock = fakeClock();
    const r = await cli(['reconcile', '--yes', '--lock-timeout', '2500ms'], e.env, clock);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `waiting up to 2500ms for another dbss-policy run (pid ${process.pid}, started 2026-02-03T04:05:06.000Z) to release the lock of ${paymentsLock()}...\n` +
        `dbss-policy reconcile: another dbss-policy run (pid ${process.pid}, started 2026-02-03T04:05:06.000Z) still held the lock of ${paymentsLock()} ` +
        `on this machine after waiting 2500ms (--lock-timeout); nothing was changed. Lock file ${lockFile(locks, paymentsLock())}; remove it only if that process is not dbss-policy.\n`,
    );
    expect(clock.sleeps).toEqual([1000, 1000, 500]);
    expect(ruleReads()).toBe(0);
    expect(writes(e.emulator)).toBe(0);
  });

  it('plan waits for a held lock too (and without the flag plans regardless, as before)', async () => {
    held = acquireRunLock(locks, [paymentsLock()]);
    const without = await cli(['plan'], e.env, fakeClock());
    expect(without.code).toBe(0);
    const clock = fakeClock();
    const waited = await cli(['plan', '--lock-timeout', '1s'], e.env, clock);
    expect(waited.code).toBe(1);
    expect(waited.stderr).toContain(`still held the lock of ${paymentsLock()} on this machine after waiting 1s (--lock-timeout)`);
    expect(clock.sleeps).toEqual([1000]);
  });

  it('SIGINT while waiting says what it interrupted and that nothing was sent (the binary, on the real clock)', async () => {
    held = acquireRunLock(locks, [paymentsLock()]);
    const cli = startCli(['reconcile', '--yes', '--lock-timeout', '1h', '--policies', POLICIES], { env: e.env, cwd: REPO });
    let stderr = '';
    await new Promise<void>((resolve) => {
      cli.child.stderr!.on('data', (chunk: string) => {
        stderr += chunk;
        if (stderr.includes('waiting up to 1h for another dbss-policy run')) resolve();
      });
    });
    cli.child.kill('SIGINT');
    const r = await cli.done;
    expect(r.code).toBe(130);
    expect(r.stderr).toContain(`interrupted (SIGINT) while waiting for another dbss-policy run's lock of ${paymentsLock()}; no change was sent to DBSS.`);
    expect(ruleReads()).toBe(0);
  });
});
