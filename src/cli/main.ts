#!/usr/bin/env node
import { isatty } from 'node:tty';
import { controllingTerminal } from './controlling-terminal.js';
import { guardedStdout, onInterrupt } from './process-guards.js';
import { run } from './run.js';

const argv = process.argv.slice(2);
const stop = onInterrupt(argv[0] ?? 'dbss-policy', process.stderr);
// Without a terminal on stdin, a person at one (stderr) is asked on the controlling terminal.
const terminal = !isatty(0) && isatty(2) ? controllingTerminal() : undefined;
const code = await run(argv, {
  stdout: guardedStdout(process.stdout),
  stderr: process.stderr,
  // Standard input is opened only on a terminal, where apply may ask a question.
  ...(isatty(0) ? { stdin: process.stdin } : {}),
  ...(terminal ? { terminal } : {}),
  env: process.env,
  cwd: process.cwd(),
});
stop();
process.exitCode = code;
