import type { OutputStream } from './io.js';
import { EXIT } from './io.js';
import { runPhase } from '../run/run-phase.js';

/**
 * Process-level behaviour of the binary: a closed stdout (`dbss-policy validate | head -1`)
 * ends the output quietly instead of crashing with an EPIPE stack trace, and SIGINT/SIGTERM in
 * any phase says what was interrupted. (The apply phase installs its own handler, which stops
 * dispatching and reports every change; this one then stays out of the way.)
 */

/** stdout that turns into a sink once the reader has gone (EPIPE); other errors still surface. */
export function guardedStdout(stream: NodeJS.WriteStream): OutputStream {
  let closed = false;
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
    closed = true;
  });
  return {
    write: (chunk: string) => (closed ? true : stream.write(chunk)),
    get isTTY() {
      return stream.isTTY;
    },
  };
}

/**
 * Installs the interruption handler for the run of `verb`. When it is the only listener (no
 * apply in progress), it prints what was interrupted and exits 130.
 */
export function onInterrupt(verb: string, stderr: OutputStream, exit: (code: number) => void = (c) => process.exit(c)): () => void {
  const handler = (signal: NodeJS.Signals): void => {
    if (process.listenerCount(signal) > 1) return;
    const { phase, afterWrites } = runPhase();
    const sent = afterWrites ? 'the apply had finished; run plan to see what is left' : 'no change was sent to DBSS';
    stderr.write(`\ndbss-policy ${verb}: interrupted (${signal}) while ${phase}; ${sent}.\n`);
    exit(EXIT.interrupted);
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return () => {
    process.removeListener('SIGINT', handler);
    process.removeListener('SIGTERM', handler);
  };
}
