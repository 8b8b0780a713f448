#!/usr/bin/env node
import { isatty } from 'node:tty';
import { guardedStdout, onInterrupt } from './process-guards.js';
import { run } from './run.js';

const argv = process.argv.slice(2);
const stop = onInterrupt(argv[0] ?? 'dbss-policy', process.stderr);
const code = await run(argv, {
  stdout: guardedStdout(process.stdout),
  stderr: process.stderr,
  // Standard input is opened only on a terminal, where apply may ask a question.
  ...(isatty(0) ? { stdin: process.stdin } : {}),
  env: process.env,
  cwd: process.cwd(),
});
stop();
process.exitCode = code;
