import type { Clock } from '../api/clock.js';
import { DbssPolicyError } from '../errors.js';
import { enterPhase } from '../run/run-phase.js';
import { acquireRunLock, lockFile, runLockHolder, RunLockHeldError } from './run-lock.js';
import type { LockHolderInfo, RunLock } from './run-lock.js';

/**
 * `--lock-timeout`: instead of stopping at a lock another run holds, look again every second
 * until it is free or the timeout has passed; then stop naming the holder and the lock file.
 * Without it a held lock stops the run at once.
 */

/** How long to wait for a held lock. */
export interface LockWait {
  /** The longest wait, in ms. */
  readonly timeoutMs: number;
  /** The flag value as given, e.g. `5m` (for messages). */
  readonly text: string;
  /** Time and sleep (tests pass a fake clock, so they never wait). */
  readonly clock: Clock;
  /** How often to look again, in ms (default 1000). */
  readonly pollMs?: number;
  /** Told once per wait, when it starts, who holds the lock (the CLI prints it on stderr). */
  readonly onWait?: (message: string) => void;
}

const POLL_MS = 1000;

function timedOut(wait: LockWait, holder: LockHolderInfo, target: string, file: string): DbssPolicyError {
  return new DbssPolicyError(
    'LOCKED',
    `another dbss-policy run (pid ${holder.pid}, started ${holder.startedAt}) still held the lock of ${target} on this machine after waiting ${wait.text} (--lock-timeout); ` +
      `nothing was changed. Lock file ${file}; remove it only if that process is not dbss-policy.`,
  );
}

/**
 * The looks of one wait: `next` sleeps until the next look, or returns false when the wait is
 * over; the first time, it says who holds the lock.
 */
function looks(wait: LockWait): (holder: LockHolderInfo, target: string) => Promise<boolean> {
  const started = wait.clock.now();
  let told = false;
  return async (holder, target) => {
    const left = wait.timeoutMs - (wait.clock.now() - started);
    if (left <= 0) return false;
    if (!told) {
      enterPhase(`waiting for another dbss-policy run's lock of ${target}`);
      wait.onWait?.(`waiting up to ${wait.text} for another dbss-policy run (pid ${holder.pid}, started ${holder.startedAt}) to release the lock of ${target}...`);
    }
    told = true;
    await wait.clock.sleep(Math.min(wait.pollMs ?? POLL_MS, left));
    return true;
  };
}

/** acquireRunLock, waiting up to `wait` (when given) while another run holds one of the locks. */
export async function acquireRunLockWaiting(dir: string, targets: readonly string[], wait: LockWait | undefined): Promise<RunLock> {
  const next = wait && looks(wait);
  for (;;) {
    try {
      return acquireRunLock(dir, targets, new Date(wait?.clock.now() ?? Date.now()));
    } catch (err) {
      if (!(err instanceof RunLockHeldError) || !wait || !next) throw err;
      if (!(await next(err.holder, err.target))) throw timedOut(wait, err.holder, err.target, err.file);
    }
  }
}

/**
 * Waits, without taking them, until no other run holds the locks of `targets` (a plan waits for
 * an apply in progress to finish before it reads); stops with the holder after `wait`.
 */
export async function awaitRunLocksFree(dir: string, targets: readonly string[], wait: LockWait): Promise<void> {
  const next = looks(wait);
  for (;;) {
    const held = [...new Set(targets)].sort().flatMap((target) => {
      const holder = runLockHolder(dir, target);
      return holder ? [{ target, holder }] : [];
    });
    const first = held[0];
    if (!first) return;
    if (!(await next(first.holder, first.target))) throw timedOut(wait, first.holder, first.target, lockFile(dir, first.target));
  }
}
