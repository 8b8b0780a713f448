import { UsageError } from '../errors.js';

/** A request rate: `requests` per `perMs` milliseconds. */
export interface RateLimit {
  /** Requests allowed per window (positive). */
  readonly requests: number;
  /** Window length in milliseconds (positive). */
  readonly perMs: number;
}

/** A conservative default: 10 requests per second per endpoint (DBSS publishes no limit). */
export const DEFAULT_RATE_LIMIT: RateLimit = { requests: 10, perMs: 1000 };

const UNITS: Readonly<Record<string, number>> = {
  s: 1000,
  sec: 1000,
  second: 1000,
  m: 60_000,
  min: 60_000,
  minute: 60_000,
  h: 3_600_000,
  hour: 3_600_000,
};

/**
 * Parses the `--rate-limit` value: `50` (per second), `50/s`, `600/min`, `1000/h`.
 * Throws a UsageError quoting the value on anything else.
 */
export function parseRateLimit(text: string): RateLimit {
  const m = /^\s*(\d+)\s*(?:\/\s*([a-z]+))?\s*$/i.exec(text);
  const requests = m ? Number(m[1]) : NaN;
  const perMs = m ? (m[2] === undefined ? 1000 : UNITS[m[2].toLowerCase()]) : undefined;
  if (!Number.isSafeInteger(requests) || requests < 1 || perMs === undefined) {
    throw new UsageError(`rate limit "${text}": expected a positive whole number of requests, optionally per s, min or h (e.g. 10/s, 600/min)`);
  }
  return { requests, perMs };
}

/** `10/s`, `600/min` or `2.5/s` style text for messages. */
export function formatRateLimit(limit: RateLimit): string {
  if (limit.perMs === 60_000) return `${round(limit.requests)}/min`;
  if (limit.perMs === 3_600_000) return `${round(limit.requests)}/h`;
  return `${round((limit.requests * 1000) / limit.perMs)}/s`;
}

const round = (n: number): string => String(Math.round(n * 100) / 100);
