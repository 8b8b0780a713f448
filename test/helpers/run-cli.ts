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
  /** Kill the process after this long (default 20 s); the result then has code null. */
  readonly timeoutMs?: number;
}

/** Runs `node dist/src/cli/main.js ...args` as a real subprocess. */
export function runCli(args: readonly string[], opts: RunCliOptions = {}): Promise<CliRun> {
  if (!existsSync(CLI_MAIN)) {
    return Promise.reject(new Error(`${CLI_MAIN} is missing: run \`npm run build\` first`));
  }
  return new Promise((resolve, reject) => {
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
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 20_000);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
