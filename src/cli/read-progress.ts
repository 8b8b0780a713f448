import type { ReadProgressEvent } from '../live/read-live.js';
import type { OutputStream } from './io.js';
import type { ProgressClock } from './progress-clock.js';
import { SYSTEM_CLOCK } from './progress-clock.js';

/** Options of a read progress display. */
export interface ReadProgressOptions {
  /** What is being read, first word of the line (`reading`, `verifying`). */
  readonly label: string;
  /** The request budget in requests per second (all endpoints in use), for the ETA. */
  readonly budgetPerSecond: number;
  /** The budget right now, when it can change during the read (a 429 lowers it); default `budgetPerSecond`. */
  readonly currentBudget?: () => number;
  /** Clock and timer (default: the system's). */
  readonly clock?: ProgressClock;
  /** Off a terminal: one plain line this often, in ms (default 30 s). */
  readonly logEveryMs?: number;
  /** On a terminal: the line is redrawn at most this often, in ms (default 100). */
  readonly redrawMs?: number;
}

/** A running progress display: feed it the read's events, end it when the read is over. */
export interface ReadProgress {
  /** The read's progress hook. */
  readonly onProgress: (event: ReadProgressEvent) => void;
  /** Stops the timer; on a terminal, leaves the final line in place. */
  end(): void;
}

/** `1 m 05 s`, `42 s`. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.ceil(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m} min ${String(s % 60).padStart(2, '0')} s` : `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}

/**
 * Shows how a live read is going, on stderr: on a terminal one line redrawn in place
 * (`reading: 120 of ~480 requests, 3 of 20 targets read, 9.8 req/s, about 37 s left`); in a log
 * (CI) the same text as a plain line every ~30 s, so a long read is never silent and a log is
 * not flooded. The total is an estimate that grows as rule lists reveal the rules to show; the
 * time left is the remaining requests at the slower of the rate budget as it is now (a 429
 * may have lowered it) and the rate so far.
 */
export function startReadProgress(stream: OutputStream, options: ReadProgressOptions): ReadProgress {
  const clock = options.clock ?? SYSTEM_CLOCK;
  const tty = stream.isTTY === true;
  const started = clock.now();
  const count = { requests: 0, requestsDone: 0, targets: 0, targetsDone: 0 };
  let lastDraw = -Infinity;
  let ended = false;

  const text = (): string => {
    const elapsed = clock.now() - started;
    const rate = elapsed > 0 ? (count.requestsDone * 1000) / elapsed : 0;
    const left = Math.max(0, count.requests - count.requestsDone);
    // Early on the observed rate says little (the first answers are still in flight): trust the budget.
    const budget = options.currentBudget?.() ?? options.budgetPerSecond;
    const pace = elapsed >= 2000 && rate > 0 ? Math.min(rate, budget) : budget;
    const eta = left === 0 ? '' : `, about ${formatDuration((left / pace) * 1000)} left`;
    return (
      `${options.label}: ${count.requestsDone} of ~${count.requests} requests, ` +
      `${count.targetsDone} of ${count.targets} targets read, ${rate.toFixed(1)} req/s${eta}`
    );
  };
  const draw = (): void => {
    lastDraw = clock.now();
    stream.write(`\r\x1b[K${text()}`);
  };

  const stop = clock.every(tty ? 1000 : (options.logEveryMs ?? 30_000), () => {
    if (tty) draw();
    else stream.write(`${text()}\n`);
  });

  return {
    onProgress(event) {
      if (ended) return;
      if (event.type === 'expect') {
        count.requests += event.requests;
        count.targets += event.targets;
      } else {
        count.requestsDone += event.requests;
        count.targetsDone += event.targets;
      }
      if (tty && clock.now() - lastDraw >= (options.redrawMs ?? 100)) draw();
    },
    end() {
      if (ended) return;
      ended = true;
      stop();
      if (tty && lastDraw > -Infinity) {
        draw();
        stream.write('\n');
      }
    },
  };
}
