import { createHash } from 'node:crypto';
import { mkdirSync, openSync, readFileSync, unlinkSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { DbssPolicyError } from '../errors.js';

/**
 * One writer per project on this machine. Two runs applying to the same region/project at
 * once fight (each sees the other's writes as drift, both fail with many FAILED lines); a
 * lock file per region/project target stops the second with the holder's pid and start time.
 * A lock whose process is gone (killed, crashed) is taken over. Runs on other machines are
 * caught by the listing check before each instance's first write (concurrent-writer.ts).
 */

/** What a lock file records about its holder. */
interface LockHolder {
  /** Process id of the holder. */
  readonly pid: number;
  /** When it took the lock (ISO 8601). */
  readonly startedAt: string;
  /** The region/project the lock is for. */
  readonly target: string;
}

/** Locks held by this run; released by `release` (and on process exit). */
export interface RunLock {
  /** Removes the lock files (only those still recording this process). */
  release(): void;
}

const lockFile = (dir: string, target: string): string =>
  join(dir, `dbss-policy-${createHash('sha256').update(target).digest('hex').slice(0, 24)}.lock`);

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // ESRCH: no such process. Any other answer (EPERM: it runs as another user) means it exists.
    return (err as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/** Largest pid process.kill accepts (a 32-bit signed int); a larger one is not a process id. */
const MAX_PID = 2 ** 31 - 1;

/** The holder a lock file names, or undefined when it is not a lock file (junk from a crash). */
function readHolder(file: string): Omit<LockHolder, 'target'> | undefined {
  try {
    const h = JSON.parse(readFileSync(file, 'utf8')) as Partial<LockHolder>;
    return Number.isInteger(h.pid) && h.pid! > 0 && h.pid! <= MAX_PID ? { pid: h.pid!, startedAt: String(h.startedAt) } : undefined;
  } catch {
    return undefined;
  }
}

/** Creates the lock file recording `me`; false when a file of that name exists. */
function create(file: string, me: LockHolder): boolean {
  let fd: number;
  try {
    fd = openSync(file, 'wx', 0o600);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
  writeSync(fd, `${JSON.stringify(me)}\n`);
  closeSync(fd);
  return true;
}

/** Creates the lock file, or returns its holder when a live process holds it. */
function tryLock(file: string, me: LockHolder): Omit<LockHolder, 'target'> | undefined {
  // Exclusive create first: reading and removing first would let two runs starting together
  // both remove a fresh lock.
  // Stryker disable next-line ConditionalExpression: only that race (not stageable in process) tells it apart
  if (create(file, me)) return undefined;
  const holder = readHolder(file);
  if (holder && alive(holder.pid)) return holder;
  // The holder is gone (or the file is unreadable junk from a crash): take it over, once.
  try {
    unlinkSync(file);
  } catch {
    // another run removed it first; the create decides
  }
  if (create(file, me)) return undefined;
  // Another run took it in between, or the path cannot be replaced (a directory).
  return readHolder(file) ?? { pid: 0, startedAt: 'unknown' };
}

/**
 * Takes the lock of every region/project target (sorted, so two runs cannot deadlock), or
 * throws naming the holder. `dir` is created when missing.
 */
export function acquireRunLock(dir: string, targets: readonly string[], now: Date = new Date()): RunLock {
  mkdirSync(dir, { recursive: true });
  const held: string[] = [];
  const release = (): void => {
    for (const file of held.splice(0)) {
      if (readHolder(file)?.pid === process.pid) {
        try {
          unlinkSync(file);
        } catch {
          // already gone
        }
      }
    }
    process.removeListener('exit', release);
  };
  process.on('exit', release);
  try {
    for (const target of [...new Set(targets)].sort()) {
      const file = lockFile(dir, target);
      const holder = tryLock(file, { pid: process.pid, startedAt: now.toISOString(), target });
      if (holder) {
        throw new DbssPolicyError(
          'LOCKED',
          `another dbss-policy run (pid ${holder.pid}, started ${holder.startedAt}) is applying to ${target} on this machine; nothing was changed. ` +
            `Wait for it to finish (lock file ${file}; remove it only if that process is not dbss-policy).`,
        );
      }
      held.push(file);
    }
  } catch (err) {
    release(); // the locks taken so far, whatever stopped the run
    throw err;
  }
  return { release };
}
