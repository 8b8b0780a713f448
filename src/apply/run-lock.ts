import { createHash } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, DbssPolicyError } from '../errors.js';

/**
 * One writer per project on this machine. Two runs applying to the same region/project at
 * once fight (each sees the other's writes as drift, both fail with many FAILED lines); a
 * lock file per region/project target stops the second with the holder's pid and start time.
 * A lock whose process is gone (killed, crashed) is taken over, and so is one whose pid now
 * belongs to another process: this run's own (containers reuse low pids) or one that started
 * after the lock was taken. Runs on other machines are caught by the listing check before each
 * instance's first write (concurrent-writer.ts).
 */

/** What a lock file records about its holder. */
interface LockHolder {
  /** Process id of the holder. */
  readonly pid: number;
  /** When it took the lock (ISO 8601). */
  readonly startedAt: string;
  /** The region/project the lock is for. */
  readonly target: string;
  /**
   * When the holder process started, as the kernel counts it (field 22 of /proc/PID/stat, clock
   * ticks since boot); absent where /proc cannot be read. A live process with that pid and
   * another start is not the holder.
   */
  readonly processStart?: string;
}

/** Locks held by this run; released by `release` (and on process exit). */
export interface RunLock {
  /** Removes the lock files (only those still recording this process). */
  release(): void;
  /** One sentence per lock file taken over from a process that is not its holder (for stderr). */
  readonly notes: readonly string[];
}

/** The holder a lock file names, as the refusal reports it. */
export interface LockHolderInfo {
  /** Process id of the holder. */
  readonly pid: number;
  /** When it took the lock (ISO 8601), or `unknown`. */
  readonly startedAt: string;
}

/** A target's lock is held by another live dbss-policy run. */
export class RunLockHeldError extends DbssPolicyError {
  constructor(
    /** The holder. */
    readonly holder: LockHolderInfo,
    /** The region/project target that is locked. */
    readonly target: string,
    /** The lock file. */
    readonly file: string,
  ) {
    super(
      'LOCKED',
      `another dbss-policy run (pid ${holder.pid}, started ${holder.startedAt}) is applying to ${target} on this machine; nothing was changed. ` +
        `Wait for it to finish (lock file ${file}; remove it only if that process is not dbss-policy).`,
    );
    this.name = 'RunLockHeldError';
  }
}

/** Lock files this process holds: a file naming this pid that is not here was left by an earlier process. */
const heldHere = new Set<string>();

/** The lock file of a target in `dir`. */
export const lockFile = (dir: string, target: string): string =>
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

/** When process `pid` started (field 22 of /proc/PID/stat), or undefined where that cannot be read. */
function processStartOf(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces or parentheses itself.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

/** Largest pid process.kill accepts (a 32-bit signed int); a larger one is not a process id. */
const MAX_PID = 2 ** 31 - 1;

/** The holder a lock file names, or undefined when it is not a lock file (junk from a crash). */
function readHolder(file: string): Omit<LockHolder, 'target'> | undefined {
  try {
    const h = JSON.parse(readFileSync(file, 'utf8')) as Partial<LockHolder>;
    if (!(Number.isInteger(h.pid) && h.pid! > 0 && h.pid! <= MAX_PID)) return undefined;
    return { pid: h.pid!, startedAt: String(h.startedAt), ...(typeof h.processStart === 'string' ? { processStart: h.processStart } : {}) };
  } catch {
    return undefined;
  }
}

/** The directory cannot hold lock files: a configuration problem, not a bug. */
function unusable(dir: string, err: unknown): ConfigError {
  const e = err as NodeJS.ErrnoException;
  return new ConfigError(
    `cannot use the run lock directory ${dir} (${e.code ?? 'error'}: ${e.message}); nothing was changed. ` +
      'Point DBSS_POLICY_LOCK_DIR at a directory this user can create files in.',
    { cause: err },
  );
}

/** Creates the lock file recording `me`; false when a file of that name exists. */
function create(dir: string, file: string, me: LockHolder): boolean {
  let fd: number;
  try {
    fd = openSync(file, 'wx', 0o600);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw unusable(dir, err);
  }
  try {
    writeSync(fd, `${JSON.stringify(me)}\n`);
  } catch (err) {
    closeSync(fd);
    unlinkSync(file);
    throw unusable(dir, err);
  }
  closeSync(fd);
  heldHere.add(file);
  return true;
}

/**
 * Whether the holder a lock file names still holds it: undefined when it does, else why the
 * file may be taken over (empty when the holder is simply gone).
 */
function staleReason(file: string, holder: Omit<LockHolder, 'target'> | undefined): string | undefined {
  if (!holder) return '';
  const named = `the lock file ${file} named pid ${holder.pid} (started ${holder.startedAt})`;
  if (holder.pid === process.pid) {
    if (heldHere.has(file)) return undefined;
    return `${named}, which is this run's own pid: a run before it had the same pid (containers reuse low pids) and left the file; taken over.`;
  }
  if (!alive(holder.pid)) return '';
  const now = holder.processStart === undefined ? undefined : processStartOf(holder.pid);
  if (now !== undefined && now !== holder.processStart) {
    return `${named}, which is now another process, not the dbss-policy run that took the lock; taken over.`;
  }
  return undefined;
}

/** The holder of a target's lock when a live run holds it; undefined when the lock is free or stale. */
export function runLockHolder(dir: string, target: string): LockHolderInfo | undefined {
  const file = lockFile(dir, target);
  const holder = readHolder(file);
  return holder && staleReason(file, holder) === undefined ? { pid: holder.pid, startedAt: holder.startedAt } : undefined;
}

/** Creates the lock file, or returns its holder when a live process holds it. */
function tryLock(dir: string, file: string, me: LockHolder, notes: string[]): LockHolderInfo | undefined {
  // Exclusive create first: reading and removing first would let two runs starting together
  // both remove a fresh lock.
  // Stryker disable next-line ConditionalExpression: only that race (not stageable in process) tells it apart
  if (create(dir, file, me)) return undefined;
  const holder = readHolder(file);
  const stale = staleReason(file, holder);
  if (stale === undefined) return holder;
  // The holder is gone or is another process now (or the file is junk from a crash): take it over, once.
  try {
    unlinkSync(file);
  } catch {
    // another run removed it first (or the path is a directory); the create decides
  }
  if (create(dir, file, me)) {
    if (stale) notes.push(stale);
    return undefined;
  }
  const now = readHolder(file);
  if (now) return now;
  if (isDirectory(file)) {
    throw new ConfigError(`the run lock path ${file} is a directory, not a lock file; nothing was changed. Remove it (no dbss-policy run made it).`);
  }
  // Another run is writing the file it just created.
  return { pid: 0, startedAt: 'unknown' };
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Takes the lock of every region/project target (sorted, so two runs cannot deadlock), or
 * throws RunLockHeldError naming the holder. `dir` is created when missing; a directory that
 * cannot hold lock files is a ConfigError naming it.
 */
export function acquireRunLock(dir: string, targets: readonly string[], now: Date = new Date()): RunLock {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (err) {
    throw unusable(dir, err);
  }
  const held: string[] = [];
  const notes: string[] = [];
  const release = (): void => {
    for (const file of held.splice(0)) {
      heldHere.delete(file);
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
  const processStart = processStartOf(process.pid);
  try {
    for (const target of [...new Set(targets)].sort()) {
      const file = lockFile(dir, target);
      const me = { pid: process.pid, startedAt: now.toISOString(), target, ...(processStart !== undefined ? { processStart } : {}) };
      const holder = tryLock(dir, file, me, notes);
      if (holder) throw new RunLockHeldError(holder, target, file);
      held.push(file);
    }
  } catch (err) {
    release(); // the locks taken so far, whatever stopped the run
    throw err;
  }
  return { release, notes };
}
