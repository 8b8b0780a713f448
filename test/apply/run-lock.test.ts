import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireRunLock } from '../../src/apply/run-lock.js';
import { DbssPolicyError } from '../../src/errors.js';

/**
 * The local run lock in process: one lock file per region/project target, refused with the
 * holder's pid and start time while a live process holds it, taken over when the holder is
 * gone or the file is junk, and released only when it still records this process.
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
const holderJson = (pid: number, target: string, at = EARLIER): string => `${JSON.stringify({ pid, startedAt: at, target })}\n`;
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
    expect(readFileSync(fileOf('cn-north-4/p1'), 'utf8')).toBe(holderJson(process.pid, 'cn-north-4/p1', NOW.toISOString()));
    expect(readFileSync(fileOf('cn-north-4/p2'), 'utf8')).toBe(holderJson(process.pid, 'cn-north-4/p2', NOW.toISOString()));
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
    expect(readFileSync(fileOf('t/z'), 'utf8')).toBe(holderJson(process.pid, 't/z'));
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
    expect(readFileSync(fileOf('t'), 'utf8')).toBe(holderJson(process.pid, 't', NOW.toISOString()));
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

  it('a lock path that cannot be replaced (a directory) is refused with an unknown holder', () => {
    mkdirSync(fileOf('t'), { recursive: true });
    expect(refusal(['t']).message).toBe(lockedMessage(0, 'unknown', 't'));
  });

  it('any other error creating the file is thrown as it is, and the locks taken are let go', () => {
    // A lock directory whose path is just short enough to create, too long with the file name.
    const base = join(dir, '..', '..');
    const parts: string[] = [];
    while (join(base, ...parts).length < 3850) parts.push('d'.repeat(200));
    const long = join(base, ...parts, 'e'.repeat(4070 - join(base, ...parts).length - 1));
    expect(long).toHaveLength(4070);
    const before = exitListeners();
    expect(() => acquireRunLock(long, ['t'], NOW)).toThrow(expect.objectContaining({ code: 'ENAMETOOLONG' }));
    expect(exitListeners()).toBe(before);
  });
});
