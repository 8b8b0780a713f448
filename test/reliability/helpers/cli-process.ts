import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { CLI_MAIN } from '../../helpers/run-cli.js';
import type { CliRun } from '../../helpers/run-cli.js';

/** A CLI subprocess that a test may kill before it ends. */
export interface CliProcess {
  /** The child (kill it with `child.kill('SIGKILL')`). */
  readonly child: ChildProcess;
  /** How it ended: exit code (null when killed), stdout and stderr. */
  readonly done: Promise<CliRun>;
}

/**
 * Starts `node dist/src/cli/main.js ...args` for a test that stops it itself (a signal at a
 * chosen moment). Never killed on a timer: the test decides, by events, not by the clock.
 */
export function startCli(args: readonly string[], opts: { env: Readonly<Record<string, string>>; cwd: string }): CliProcess {
  const child = spawn(process.execPath, [CLI_MAIN, ...args], {
    cwd: opts.cwd,
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const done = new Promise<CliRun>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
  return { child, done };
}

/** A stack trace line as node prints one (`    at fn (file:1:2)`). */
export const STACK_LINE = /^\s+at .+\(?.+:\d+:\d+\)?$/m;
