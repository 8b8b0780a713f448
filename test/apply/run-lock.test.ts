import { createHash } from 'node:crypto';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireRunLock } from '../../src/apply/run-lock.js';
import { ConfigError, DbssPolicyError } from '../../src/errors.js';

/**
 * The local run lock in process: one lock file per region/project target, refused with the
 * holder's pid and start time while a live process holds it, taken over when the holder is
 * gone, is another process now (this run's own pid, or a process started after the lock) or the
 * file is junk, and released only when it still records this process.
 */

/** Above PID_MAX_LIMIT (2^22): no process can have this pid, on any Linux. */
const GONE = 2 ** 22 + 1;
const NOW = new Date('2026-03-04T05:06:07.000Z');
const EARLIER = '2026-01-02T03:04:05.000Z';

let dir: string;
beforeEach(() => {
  dir = join(mkdtempSync(join(tmpdir(), 'run-lock-')), 'nested', 'locks');
});
afterEach(() => rmSync(join(dir, '..', '..'), { recursive: true, force: true }));

/** The file name is part of the contract: the refusal names it (docs/plan-and-apply.md, Applying, says where lock files live). */
const fileOf = (target: string): string => join(dir, `dbss-policy-${createHash('sha256').update(target).digest('hex').slice(0, 24)}.lock`);
const holderJson = (pid: number, target: string, at = EARLIER, processStart?: string): string =>
  `${JSON.stringify({ pid, startedAt: at, target, ...(processStart !== undefined ? { processStart } : {}) })}\n`;
/** When a process started (field 22 of /proc/PID/stat), as the lock file records it. */
const startOf = (pid: number): string => {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]!;
};
/** The lock file this process writes. */
const mine = (target: string, at = NOW.toISOString()): string => holderJson(process.pid, target, at, startOf(process.pid));
const lockedMessage = (pid: number | string, at: string, target: string): string =>
  `another dbss-policy run (pid ${pid}, started ${at}) is applying to ${target} on this machine; nothing was changed. ` +
  `Wait for it to finish (lock file ${fileOf(target)}; remove it only if that process is not dbss-policy).`;

/** The error acquireRunLock throws, or a failure when it does not throw. */
function refusal(targets: readonly string[]): DbssPolicyError {
  try {
    acquireRunLock(dir, targets, NOW).release();
  } catch (err) {
    return err as DbssPolicyError;
  }
  throw new Error('the lock was taken');
}

const exitListeners = (): number => process.listenerCount('exit');

describe('acquireRunLock', () => {
  it('creates the directory and one owner-only file per distinct target recording pid, start time and target; release removes them', () => {
    const before = exitListeners();
    const lock = acquireRunLock(dir, ['cn-north-4/p2', 'cn-north-4/p1', 'cn-north-4/p2'], NOW);
    expect(readdirSync(dir).sort()).toEqual([fileOf('cn-north-4/p1'), fileOf('cn-north-4/p2')].map((f) => f.slice(dir.length + 1)).sort());
    expect(readFileSync(fileOf('cn-north-4/p1'), 'utf8')).toBe(mine('cn-north-4/p1'));
    expect(readFileSync(fileOf('cn-north-4/p2'), 'utf8')).toBe(mine('cn-north-4/p2'));
    expect(statSync(fileOf('cn-north-4/p1')).mode & 0o777).toBe(0o600);
    expect(exitListeners()).toBe(before + 1); // released on exit too
    lock.release();
    expect(readdirSync(dir)).toEqual([]);
    expect(exitListeners()).toBe(before);
    lock.release(); // twice is harmless
    const again = acquireRunLock(dir, ['cn-north-4/p1'], NOW);
    expect(readdirSync(dir)).toHaveLength(1);
    again.release();
  });

  it('refuses a target a live process holds, naming it, and lets go of the targets it took first', () => {
    const first = acquireRunLock(dir, ['t/z'], new Date(EARLIER));
    const before = exitListeners();
    const err = refusal(['t/z', 't/a']); // sorted: t/a is taken, then t/z is refused
    expect(err).toBeInstanceOf(DbssPolicyError);
    expect(err.code).toBe('LOCKED');
    expect(err.message).toBe(lockedMessage(process.pid, EARLIER, 't/z'));
    expect(readdirSync(dir)).toEqual([fileOf('t/z').slice(dir.length + 1)]);
    expect(readFileSync(fileOf('t/z'), 'utf8')).toBe(mine('t/z', EARLIER));
    expect(exitListeners()).toBe(before);
    first.release();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('takes the targets in sorted order, so of two held targets the first in that order is named', () => {
    mkdirSync(dir, { recursive: true });
    writeFileSync(fileOf('t/b'), holderJson(process.ppid, 't/b'));
    writeFileSync(fileOf('t/a'), holderJson(process.ppid, 't/a', '2026-01-01T00:00:00.000Z'));
    expect(refusal(['t/b', 't/a']).message).toBe(lockedMessage(process.ppid, '2026-01-01T00:00:00.000Z', 't/a'));
  });

  it.each([
    ['a process that is gone', holderJson(GONE, 't')],
    ['pid 0', holderJson(0, 't')],
    ['a negative pid', holderJson(-1, 't')],
    ['a fractional pid', holderJson(1.5, 't')],
    ['a pid above any process id (2^31)', holderJson(2 ** 31, 't')],
    ['the largest pid, not running', holderJson(2 ** 31 - 1, 't')],
    ['a pid that is a string', JSON.stringify({ pid: String(process.pid), startedAt: EARLIER })],
    ['no pid', '{}'],
    ['null', 'null'],
    ['a truncated file', '{"pid":'],
    ['an empty file', ''],
  ])('takes over a lock file naming %s', (_what, content) => {
    mkdirSync(dir, { recursive: true });
    writeFileSync(fileOf('t'), content);
    const lock = acquireRunLock(dir, ['t'], NOW);
    expect(readFileSync(fileOf('t'), 'utf8')).toBe(mine('t'));
    expect(lock.notes).toEqual([]);
    lock.release();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a lock of a process that exists, even one this user may not signal (pid 1), is held', () => {
    mkdirSync(dir, { recursive: true });
    writeFileSync(fileOf('t'), holderJson(1, 't'));
    expect(refusal(['t']).message).toBe(lockedMessage(1, EARLIER, 't'));
  });

  it('release leaves a lock file that records another process now, and a file already gone', () => {
    const lock = acquireRunLock(dir, ['t/a', 't/b'], NOW);
    writeFileSync(fileOf('t/a'), holderJson(process.ppid, 't/a'));
    rmSync(fileOf('t/b'));
    lock.release();
    expect(readFileSync(fileOf('t/a'), 'utf8')).toBe(holderJson(process.ppid, 't/a'));
  });

  it("takes over, with a note, a lock file naming this run's own pid that this run does not hold (a container reused the pid)", () => {
    mkdirSync(dir, { recursive: true });
    writeFileSync(fileOf('t'), holderJson(process.pid, 't'));
    const lock = acquireRunLock(dir, ['t'], NOW);
    expect(lock.notes).toEqual([
      `the lock file ${fileOf('t')} named pid ${process.pid} (started ${EARLIER}), which is this run's own pid: a run before it had the same pid (containers reuse low pids) and left the file; taken over.`,
    ]);
    expect(readFileSync(fileOf('t'), 'utf8')).toBe(mine('t'));
    lock.release();
    expect(readdirSync(dir)).toEqual([]);
  });

  describe('a lock file naming a live process', () => {
    let child: ChildProcess;
    beforeEach(async () => {
      child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
      await new Promise((r) => child.once('spawn', r));
    });
    afterEach(() => {
      child.kill();
    });

    it('that started after the lock was taken is another process now: taken over with a note', () => {
      mkdirSync(dir, { recursive: true });
      const before = String(Number(startOf(child.pid!)) - 1);
      writeFileSync(fileOf('t'), holderJson(child.pid!, 't', EARLIER, before));
      const lock = acquireRunLock(dir, ['t'], NOW);
      expect(lock.notes).toEqual([
        `the lock file ${fileOf('t')} named pid ${child.pid} (started ${EARLIER}), which is now another process, not the dbss-policy run that took the lock; taken over.`,
      ]);
      expect(readFileSync(fileOf('t'), 'utf8')).toBe(mine('t'));
      lock.release();
    });

    it('that is the process that took it holds the lock', () => {
      mkdirSync(dir, { recursive: true });
      writeFileSync(fileOf('t'), holderJson(child.pid!, 't', EARLIER, startOf(child.pid!)));
      expect(refusal(['t']).message).toBe(lockedMessage(child.pid!, EARLIER, 't'));
    });
  });

  it('a lock path that is a directory is a configuration error naming it', () => {
    mkdirSync(fileOf('t'), { recursive: true });
    const err = refusal(['t']);
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.message).toBe(`the run lock path ${fileOf('t')} is a directory, not a lock file; nothing was changed. Remove it (no dbss-policy run made it).`);
  });

  it('a lock directory that cannot be created is a configuration error naming it', () => {
    const base = join(dir, '..', '..');
    writeFileSync(join(base, 'a-file'), '');
    const under = join(base, 'a-file', 'locks');
    const before = exitListeners();
    const err = (() => {
      try {
        acquireRunLock(under, ['t'], NOW);
      } catch (e) {
        return e as DbssPolicyError;
      }
      throw new Error('the lock was taken');
    })();
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.message).toMatch(new RegExp(`^cannot use the run lock directory ${under.replace(/[.\\/]/g, '\\$&')} \\(ENOTDIR: .*\\); nothing was changed\\. Point DBSS_POLICY_LOCK_DIR at a directory this user can create files in\\.$`));
    expect(exitListeners()).toBe(before);
  });

  it('a lock file that cannot be created is a configuration error naming the directory, and the locks taken are let go', () => {
    // A lock directory whose path is just short enough to create, too long with the file name.
    const base = join(dir, '..', '..');
    const parts: string[] = [];
    while (join(base, ...parts).length < 3850) parts.push('d'.repeat(200));
    const long = join(base, ...parts, 'e'.repeat(4070 - join(base, ...parts).length - 1));
    expect(long).toHaveLength(4070);
    const before = exitListeners();
    expect(() => acquireRunLock(long, ['t'], NOW)).toThrow(expect.objectContaining({ code: 'CONFIG', message: expect.stringContaining(`cannot use the run lock directory ${long} (ENAMETOOLONG: `) }));
    expect(exitListeners()).toBe(before);
  });
});
