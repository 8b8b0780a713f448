import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Clock } from '../../src/api/clock.js';
import { acquireRunLockWaiting, awaitRunLocksFree } from '../../src/apply/lock-wait.js';
import type { LockWait } from '../../src/apply/lock-wait.js';
import { acquireRunLock, lockFile, RunLockHeldError } from '../../src/apply/run-lock.js';
import type { RunLock } from '../../src/apply/run-lock.js';
import { ConfigError, DbssPolicyError } from '../../src/errors.js';
import { runPhase } from '../../src/run/run-phase.js';

/** Waiting for a held run lock (--lock-timeout) on a fake clock: nothing here sleeps. */
const AT = new Date('2026-02-03T04:05:06.000Z');
let dir: string;
let held: RunLock | undefined;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'lock-wait-'));
});
afterEach(() => {
  held?.release();
  held = undefined;
  rmSync(dir, { recursive: true, force: true });
});

function wait(timeoutMs: number, onSleep: (n: number) => void = () => {}): LockWait & { sleeps: number[]; told: string[] } {
  // a clock far from 0, as a real one is: the wait counts from its own start
  let t = 1_700_000_000_000;
  const sleeps: number[] = [];
  const told: string[] = [];
  const clock: Clock = {
    now: () => t,
    async sleep(ms) {
      t += ms;
      sleeps.push(ms);
      onSleep(sleeps.length);
    },
  };
  return { timeoutMs, text: `${timeoutMs}ms`, clock, sleeps, told, onWait: (m) => told.push(m) };
}

const waiting = (target: string): string =>
  `waiting up to 3000ms for another dbss-policy run (pid ${process.pid}, started ${AT.toISOString()}) to release the lock of ${target}...`;

describe('acquireRunLockWaiting', () => {
  it('without a wait, a held lock is refused at once', async () => {
    held = acquireRunLock(dir, ['t/b'], AT);
    await expect(acquireRunLockWaiting(dir, ['t/a', 't/b'], undefined)).rejects.toBeInstanceOf(RunLockHeldError);
  });

  it('takes the locks once the holder lets go, saying once that it waits', async () => {
    held = acquireRunLock(dir, ['t/b'], AT);
    const phases: string[] = [];
    const w = wait(3000, (n) => {
      phases.push(runPhase().phase);
      if (n === 2) held!.release();
    });
    const lock = await acquireRunLockWaiting(dir, ['t/a', 't/b'], w);
    expect(w.sleeps).toEqual([1000, 1000]);
    expect(w.told).toEqual([waiting('t/b')]);
    // what an interrupt would say it interrupted
    expect(phases).toEqual(["waiting for another dbss-policy run's lock of t/b", "waiting for another dbss-policy run's lock of t/b"]);
    lock.release();
  });

  it('stops after the timeout naming the holder and the lock file, the last look at the timeout', async () => {
    held = acquireRunLock(dir, ['t'], AT);
    const w = wait(2500);
    const err: unknown = await acquireRunLockWaiting(dir, ['t'], w).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DbssPolicyError);
    expect((err as DbssPolicyError).code).toBe('LOCKED');
    expect((err as DbssPolicyError).message).toBe(
      `another dbss-policy run (pid ${process.pid}, started ${AT.toISOString()}) still held the lock of t on this machine after waiting 2500ms (--lock-timeout); ` +
        `nothing was changed. Lock file ${lockFile(dir, 't')}; remove it only if that process is not dbss-policy.`,
    );
    expect(w.sleeps).toEqual([1000, 1000, 500]);
  });

  it('does not wait on a lock directory that cannot be used', async () => {
    writeFileSync(join(dir, 'file'), '');
    const w = wait(3000);
    await expect(acquireRunLockWaiting(join(dir, 'file', 'locks'), ['t'], w)).rejects.toBeInstanceOf(ConfigError);
    expect(w.sleeps).toEqual([]);
  });
});

describe('awaitRunLocksFree', () => {
  it('returns at once when no live run holds the locks (a stale one is left alone), and waits while one does', async () => {
    writeFileSync(lockFile(dir, 't/stale'), JSON.stringify({ pid: 2 ** 22 + 1, startedAt: 'x', target: 't/stale' }));
    const free = wait(3000);
    await awaitRunLocksFree(dir, ['t/stale', 't/free'], free);
    expect(free.sleeps).toEqual([]);
    held = acquireRunLock(dir, ['t/held'], AT);
    const w = wait(3000, (n) => n === 3 && held!.release());
    await awaitRunLocksFree(dir, ['t/free', 't/held'], w);
    expect(w.sleeps).toEqual([1000, 1000, 1000]);
    expect(w.told).toEqual([waiting('t/held')]);
  });

  it('looks at the locks in target order, and waits quietly when nobody listens', async () => {
    held = acquireRunLock(dir, ['t/a', 't/b'], AT);
    const w = wait(3000, (n) => n === 1 && held!.release());
    await awaitRunLocksFree(dir, ['t/b', 't/a'], w);
    expect(w.told).toEqual([waiting('t/a')]);
    const { onWait: _quiet, ...quiet } = wait(3000);
    held = acquireRunLock(dir, ['t/c'], AT);
    await expect(awaitRunLocksFree(dir, ['t/c'], quiet)).rejects.toThrow('still held the lock of t/c');
  });
});
