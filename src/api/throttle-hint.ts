import type { RateLimit } from './rate-limit.js';

/** Longest Retry-After honoured; a longer one is clamped so a run cannot stall for hours. */
export const MAX_RETRY_AFTER_MS = 5 * 60_000;

const WINDOWS: Readonly<Record<string, number>> = { second: 1000, minute: 60_000, hour: 3_600_000, day: 86_400_000 };

/**
 * The limit an APIG.0308 message states, e.g. "...policy user over ratelimit,limit:30,time:1
 * minute" → 30 per 60 000 ms. Undefined when the message states none.
 */
export function parseThrottleLimit(message: string | undefined): RateLimit | undefined {
  if (message === undefined) return undefined;
  const m = /limit\s*:\s*(\d+)\s*,\s*time\s*:\s*(\d+)?\s*(second|minute|hour|day)s?/i.exec(message);
  if (!m) return undefined;
  const requests = Number(m[1]);
  const windowMs = (m[2] === undefined ? 1 : Number(m[2])) * (WINDOWS[m[3]!.toLowerCase()] ?? 0);
  return requests > 0 && windowMs > 0 ? { requests, perMs: windowMs } : undefined;
}

/**
 * A Retry-After header value (delta seconds or an HTTP date) in milliseconds from `nowMs`,
 * clamped to [0, MAX_RETRY_AFTER_MS]; undefined when absent or unreadable.
 */
export function parseRetryAfter(value: string | undefined, nowMs: number, maxMs: number = MAX_RETRY_AFTER_MS): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const text = value.trim();
  let ms: number;
  if (/^\d+(\.\d+)?$/.test(text)) ms = Number(text) * 1000;
  else {
    const at = Date.parse(text);
    if (Number.isNaN(at)) return undefined;
    ms = at - nowMs;
  }
  return Math.min(maxMs, Math.max(0, Math.ceil(ms)));
}
