/** The clock and timer of a progress display; tests pass a fake one so they never wait. */
export interface ProgressClock {
  /** Milliseconds since some fixed point. */
  now(): number;
  /** Calls `fn` every `ms` until the returned stop function is called. */
  every(ms: number, fn: () => void): () => void;
}

/** The real clock: `Date.now` and an unref'd interval (a progress line never keeps the process alive). */
export const SYSTEM_CLOCK: ProgressClock = {
  now: () => Date.now(),
  every(ms, fn) {
    const timer = setInterval(fn, ms);
    timer.unref();
    return () => clearInterval(timer);
  },
};
