import { UsageError } from '../errors.js';

/**
 * `--max-duration` for CI: a run-level deadline. When it passes, apply stops dispatching
 * (calls in flight finish) and reports every change not yet sent as not-attempted; the next run
 * picks them up. A live read (planning, or verifying after an apply) sends nothing after it and
 * begins no wait (rate budget, Retry-After, backoff) that would end after it: what was not read
 * by then is reported unread (`not sent: --max-duration X reached`), so a run ends within the
 * duration plus one request timeout.
 */

const UNITS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** `500ms`, `90s`, `10m`, `1h` (a bare number is seconds) in milliseconds. */
export function parseDuration(flag: string, value: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(value.trim());
  const ms = m ? Number(m[1]) * UNITS[m[2] ?? 's']! : NaN;
  if (!(ms >= 1 && Number.isFinite(ms))) throw new UsageError(`--${flag} must be a duration like 90s, 10m or 1h, got "${value}"`);
  return Math.round(ms);
}

/** A run's deadline: epoch ms and the flag as given (for messages). */
export interface RunDeadline {
  /** Epoch ms after which nothing new is sent. */
  readonly at: number;
  /** The flag value as given, e.g. `10m`. */
  readonly text: string;
}

/** The deadline of a run that started at `startedAt`, from the --max-duration flag value. */
export function runDeadline(value: unknown, startedAt: number): RunDeadline | undefined {
  if (typeof value !== 'string') return undefined;
  return { at: startedAt + parseDuration('max-duration', value), text: value };
}

/**
 * Aborts `controller` with the reason `--max-duration X reached` when the deadline passes
 * (at once when it already has). Returns a function that cancels the timer.
 */
export function abortAtDeadline(controller: AbortController, deadline: RunDeadline | undefined, now: number = Date.now()): () => void {
  if (!deadline) return () => undefined;
  const reason = `--max-duration ${deadline.text} reached`;
  const left = deadline.at - now;
  if (left <= 0) {
    controller.abort(reason);
    return () => undefined;
  }
  const timer = setTimeout(() => controller.abort(reason), left);
  timer.unref();
  return () => clearTimeout(timer);
}
