#!/usr/bin/env node
import { isatty } from 'node:tty';
import { run } from './run.js';

const code = await run(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  // Standard input is opened only on a terminal, where apply may ask a question.
  ...(isatty(0) ? { stdin: process.stdin } : {}),
  env: process.env,
  cwd: process.cwd(),
});
process.exitCode = code;
