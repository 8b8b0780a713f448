import { execFile, execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tempDir } from './io.js';
import type { RunScript } from './workflow-sources.js';

/**
 * shellcheck (the Debian package `shellcheck`; .ci/run installs it, GitHub's Ubuntu images ship
 * it) over `run:` scripts, each checked as the bash script GitHub runs for `shell: bash`.
 */

/** The shellcheck version line, or a clear error saying how to install it. */
export function shellcheckVersion(): string {
  try {
    return execFileSync('shellcheck', ['--version'], { encoding: 'utf8' }).split('\n').find((l) => l.startsWith('version:')) ?? 'unknown';
  } catch {
    throw new Error('shellcheck is not installed: apt-get install -y shellcheck (bash .ci/run does this when it is missing)');
  }
}

/** shellcheck's findings, one `<where>:<line>: <message> [SCnnnn]` per problem; [] when clean. */
export async function shellcheckScripts(scripts: readonly RunScript[]): Promise<string[]> {
  const dir = await tempDir();
  const files = await Promise.all(
    scripts.map(async (s, i) => {
      const file = join(dir, `step-${i}.sh`);
      // Line 1 is the shebang, so a finding on line N is on line N - 1 of the run: script.
      await writeFile(file, `#!/usr/bin/env bash\n${s.run}`);
      return file;
    }),
  );
  const output = await new Promise<string>((resolve, reject) => {
    execFile('shellcheck', ['--format=gcc', '--shell=bash', ...files], { maxBuffer: 8 * 1024 * 1024 }, (err, stdout) => {
      if (err && typeof err.code !== 'number') reject(err);
      else resolve(stdout);
    });
  });
  return output
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const m = /step-(\d+)\.sh:(\d+):\d+: (.*)$/.exec(line);
      if (!m) return line;
      return `${scripts[Number(m[1])]!.where}: run line ${Number(m[2]) - 1}: ${m[3]}`;
    });
}
