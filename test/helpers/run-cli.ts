import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The built CLI entry point (`npm test` builds it in `pretest`; else run `npm run build`). */
export const CLI_MAIN = fileURLToPath(new URL('../../dist/src/cli/main.js', import.meta.url));

/** What a CLI run printed and how it ended. */
export interface CliRun {
  /** Exit code (null when killed by a signal). */
  readonly code: number | null;
  /** Everything written to stdout. */
  readonly stdout: string;
  /** Everything written to stderr. */
  readonly stderr: string;
}

/** Options of runCli. */
export interface RunCliOptions {
  /** Working directory (default: the test process's). */
  readonly cwd?: string;
  /** Extra environment variables, merged over the test process's environment. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/**
 * CLI subprocesses one test file runs at a time. A test may ask for many runs at once
 * (Promise.all); they queue here instead of starting together, so a busy 2-core machine never
 * has more node processes than it can serve, and no run waits on a wall-clock deadline.
 */
export const CLI_SLOTS = 2;

let running = 0;
const waiting: (() => void)[] = [];

/** Runs `task` when one of the CLI_SLOTS is free. */
export async function withCliSlot<T>(task: () => Promise<T>): Promise<T> {
  if (running >= CLI_SLOTS) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  try {
    return await task();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

/**
 * Runs `node dist/src/cli/main.js ...args` as a real subprocess (stdin not a terminal: the
 * non-interactive contract), at most CLI_SLOTS at a time. It is never killed on a timer: a
 * slow machine makes it slower, not failed.
 */
export function runCli(args: readonly string[], opts: RunCliOptions = {}): Promise<CliRun> {
  if (!existsSync(CLI_MAIN)) {
    return Promise.reject(new Error(`${CLI_MAIN} is missing: run \`npm run build\` first`));
  }
  return withCliSlot(
    () =>
      new Promise<CliRun>((resolve, reject) => {
        const child = spawn(process.execPath, [CLI_MAIN, ...args], {
          cwd: opts.cwd ?? process.cwd(),
          // A FORCE_COLOR of the shell running the tests must not colour the output tests read.
          env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined, ...opts.env },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let stdout = '';
        let stderr = '';
        child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
        child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
        child.on('error', reject);
        child.on('close', (code) => resolve({ code, stdout, stderr }));
      }),
  );
}
