import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CliIO } from '../../../src/cli/io.js';

/** A CliIO whose stdout and stderr are captured. */
export interface CapturedIO extends CliIO {
  /** Everything written to stdout. */
  out(): string;
  /** Everything written to stderr. */
  err(): string;
}

/** Captured output with the given environment and working directory. */
export function captureIO(env: Record<string, string | undefined>, cwd: string): CapturedIO {
  let out = '';
  let err = '';
  return {
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: (s: string) => (err += s) },
    env,
    cwd,
    out: () => out,
    err: () => err,
  };
}

/** A fresh temporary directory. */
export function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'dbss-gitops-'));
}

/** Writes a pull_request event payload for PR `number` into `dir`; returns its path. */
export async function writePullRequestEvent(dir: string, number: number, headSha = '0123456789abcdef0123456789abcdef01234567'): Promise<string> {
  const path = join(dir, 'event.json');
  await writeFile(path, JSON.stringify({ action: 'synchronize', number, pull_request: { number, head: { sha: headSha } } }));
  return path;
}
