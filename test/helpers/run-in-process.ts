import { run } from '../../src/cli/run.js';
import type { CliRun } from './run-cli.js';

/**
 * Runs a CLI command in this process (the same `run` the binary calls), capturing stdout and
 * stderr: for tests where a subprocess adds nothing, and so mutation testing sees the code.
 */
export async function runInProcess(args: readonly string[], opts: { cwd: string; env: Readonly<Record<string, string | undefined>> }): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await run(args, {
    stdout: { write: (chunk: string) => (stdout += chunk) },
    stderr: { write: (chunk: string) => (stderr += chunk) },
    env: { NO_COLOR: '1', ...opts.env },
    cwd: opts.cwd,
  });
  return { code, stdout, stderr };
}
