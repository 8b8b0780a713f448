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
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readHolder(file: string): LockHolder | undefined {
  try {
    const h = JSON.parse(readFileSync(file, 'utf8')) as Partial<LockHolder>;
    return typeof h.pid === 'number' && Number.isSafeInteger(h.pid) && h.pid > 0 ? { pid: h.pid, startedAt: String(h.startedAt), target: String(h.target) } : undefined;
  } catch {
    return undefined;
  }
}

/** Creates the lock file, or returns its holder when a live process holds it. */
function tryLock(file: string, me: LockHolder): LockHolder | undefined {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      writeSync(fd, `${JSON.stringify(me)}\n`);
      closeSync(fd);
      return undefined;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const holder = readHolder(file);
    if (holder && alive(holder.pid)) return holder;
    // The holder is gone (or the file is unreadable junk from a crash): take it over once.
    try {
      unlinkSync(file);
    } catch {
      // another run removed it first; the retry decides
    }
  }
  return readHolder(file) ?? { pid: 0, startedAt: 'unknown', target: me.target };
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
  for (const target of [...new Set(targets)].sort()) {
    const file = lockFile(dir, target);
    const holder = tryLock(file, { pid: process.pid, startedAt: now.toISOString(), target });
    if (holder) {
      release();
      throw new DbssPolicyError(
        'LOCKED',
        `another dbss-policy run (pid ${holder.pid}, started ${holder.startedAt}) is applying to ${target} on this machine; nothing was changed. ` +
          `Wait for it to finish (lock file ${file}; remove it only if that process is not dbss-policy).`,
      );
    }
    held.push(file);
  }
  return { release };
}
