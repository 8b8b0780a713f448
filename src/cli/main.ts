#!/usr/bin/env node
import { guardedStdout, onInterrupt } from './process-guards.js';
import { run } from './run.js';

const argv = process.argv.slice(2);
const stop = onInterrupt(argv[0] ?? 'dbss-policy', process.stderr);
const code = await run(argv, {
  stdout: guardedStdout(process.stdout),
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
});
stop();
process.exitCode = code;
