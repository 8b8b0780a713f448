/**
 * What the run is doing right now, in words, so an interruption can say what it interrupted
 * ("reading the live state"). Set by the pipeline stages; read only by the CLI's signal handler.
 */

let current = 'starting';
let wrote = false;

/** Records the phase the run enters, e.g. `reading the live state`; `afterWrites` once an apply has sent changes. */
export function enterPhase(phase: string, afterWrites = false): void {
  current = phase;
  wrote ||= afterWrites;
}

/** The phase the run is in, and whether changes may already have been sent to DBSS. */
export function runPhase(): { readonly phase: string; readonly afterWrites: boolean } {
  return { phase: current, afterWrites: wrote };
}
