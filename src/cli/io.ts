import type { Clock } from '../api/clock.js';
import type { ProgressClock } from './progress-clock.js';
import type { RepositoryConfig } from './config-file.js';

/** Where a command writes and what it reads from its surroundings; tests pass their own. */
export interface CliIO {
  /** Standard output (results: plans, reports, validation errors). */
  readonly stdout: OutputStream;
  /** Standard error (progress, diagnostics). */
  readonly stderr: OutputStream;
  /** Environment variables (credentials, NO_COLOR, DBSS_ENDPOINT, GITHUB_STEP_SUMMARY). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Working directory that relative paths resolve against. */
  readonly cwd: string;
  /** Standard input: read for the apply confirmation, only when it is a terminal. */
  readonly stdin?: InputStream;
  /** Opens the controlling terminal (`/dev/tty`) to ask when stdin is not one; absent when there is none. */
  readonly terminal?: () => TerminalInput | undefined;
  /** Clock of progress lines (tests pass a fake one; default: the system's). */
  readonly clock?: ProgressClock;
  /** Clock of waits for a run lock (--lock-timeout; tests pass a fake one; default: the system's). */
  readonly waitClock?: Clock;
  /** The repository config file read for this command (its credentials map reaches the session here). */
  readonly config?: RepositoryConfig;
}

/** The part of standard input a command uses (the apply confirmation). */
export interface InputStream extends NodeJS.ReadableStream {
  /** True when attached to a terminal: only then is a person asked. */
  readonly isTTY?: boolean;
}

/** The controlling terminal opened for one question; closed after the answer. */
export interface TerminalInput extends InputStream {
  /** Releases the terminal so the process can exit. */
  close(): void;
}

/** The part of a stream a command uses. */
export interface OutputStream {
  write(chunk: string): unknown;
  /** True when attached to a terminal (enables progress and colour). */
  readonly isTTY?: boolean;
}

/** One flag of a command, as parseArgs declares it. */
export interface CommandOption {
  /** Takes a value (`string`) or not (`boolean`). */
  readonly type: 'string' | 'boolean';
  /** May be given more than once. */
  readonly multiple?: boolean;
  /** One-letter alias. */
  readonly short?: string;
  /** Value when not given. */
  readonly default?: unknown;
}

/** One CLI verb. */
export interface Command {
  /** The verb, e.g. `validate`. */
  readonly name: string;
  /** One line for `dbss-policy --help`. */
  readonly summary: string;
  /** Full usage text for `dbss-policy <verb> --help`. */
  readonly usage: string;
  /** Its flags as parseArgs declares them: the table completion scripts and the config file read. */
  readonly options: Readonly<Record<string, CommandOption>>;
  /** Runs the verb; returns the exit code. Throws DbssPolicyError for user-facing failures. */
  run(argv: readonly string[], io: CliIO): Promise<number>;
}

/** Exit codes of every command. */
export const EXIT = {
  /** Success, nothing to change. */
  ok: 0,
  /** Error: invalid policy, API error, not converged, refused plan, bad usage. */
  error: 1,
  /** Changes present (plan / dry-run with --detailed-exitcode). */
  changes: 2,
  /** Interrupted by SIGINT/SIGTERM. */
  interrupted: 130,
} as const;
