import { execFile } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tempDir } from './io.js';

/** What a step's script did. */
export interface StepRun {
  /** Exit code of the script. */
  readonly code: number;
  /** Standard output (where workflow commands such as ::warning:: go). */
  readonly stdout: string;
  /** Standard error. */
  readonly stderr: string;
  /** name=value pairs the step wrote to $GITHUB_OUTPUT. */
  readonly outputs: Record<string, string>;
  /** What the step appended to $GITHUB_STEP_SUMMARY. */
  readonly summary: string;
}

/** The fake tool tree. */
export interface FakeTool {
  /** Its root (holds dist/). */
  readonly dir: string;
  /** Environment the fake needs (where to record calls). */
  readonly env: Record<string, string>;
  /** The recorded calls: [script path under dist/, ...arguments]. */
  calls(): Promise<string[][]>;
}

/**
 * A stand-in for the built tool: dist/src/cli/main.js and dist/src/gitops/plan-flags.js that
 * record their arguments (one JSON line each in $FAKE_CALLS), write the files named by --out and
 * --report, print a line on each stream and exit with $FAKE_EXIT. Used to run the workflows'
 * shell glue for real without DBSS.
 */
export async function fakeToolTree(): Promise<FakeTool> {
  const dir = await tempDir();
  const record = `require('node:fs').appendFileSync(process.env.FAKE_CALLS, JSON.stringify([__filename.split('/dist/')[1], ...process.argv.slice(2)]) + '\\n');`;
  await mkdir(join(dir, 'dist/src/cli'), { recursive: true });
  await mkdir(join(dir, 'dist/src/gitops'), { recursive: true });
  await writeFile(
    join(dir, 'dist/src/cli/main.js'),
    `${record}
const fs = require('node:fs');
const args = process.argv.slice(2);
const value = (flag) => (args.includes(flag) ? args[args.indexOf(flag) + 1] : undefined);
if (value('--out')) fs.writeFileSync(value('--out'), '{"formatVersion":1}');
if (value('--report')) fs.writeFileSync(value('--report'), '{"report":true}');
process.stdout.write('fake ' + args[0] + ' output\\n');
process.stderr.write('fake ' + args[0] + ' diagnostics\\n');
process.exit(Number(process.env.FAKE_EXIT ?? 0));
`,
  );
  await writeFile(
    join(dir, 'dist/src/gitops/plan-flags.js'),
    `${record}\nprocess.stdout.write('destructive=true\\nchanges=3\\nsummary=3 changes (2 create, 1 delete); 1 weakens auditing\\n');\n`,
  );
  const callsFile = join(dir, 'calls.jsonl');
  await writeFile(callsFile, '');
  return {
    dir,
    env: { FAKE_CALLS: callsFile },
    calls: async () =>
      (await readFile(callsFile, 'utf8'))
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as string[]),
  };
}

/** Runs a step's `run:` script the way GitHub runs `shell: bash` (bash -eo pipefail, a script file). */
export async function runStep(script: string, options: { cwd: string; env: Record<string, string> }): Promise<StepRun> {
  const work = await tempDir();
  const files = { script: join(work, 'step.sh'), output: join(work, 'output'), summary: join(work, 'summary.md') };
  await writeFile(files.script, script);
  await writeFile(files.output, '');
  await writeFile(files.summary, '');
  const env = {
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    HOME: work,
    GITHUB_OUTPUT: files.output,
    GITHUB_STEP_SUMMARY: files.summary,
    ...options.env,
  };
  const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile('bash', ['--noprofile', '--norc', '-eo', 'pipefail', files.script], { cwd: options.cwd, env }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
  const outputs = Object.fromEntries(
    (await readFile(files.output, 'utf8'))
      .split('\n')
      .filter((line) => line.includes('='))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
  return { code, stdout, stderr, outputs, summary: await readFile(files.summary, 'utf8') };
}
