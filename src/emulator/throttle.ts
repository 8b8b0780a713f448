import { APIG, gatewayFailure } from './wire-errors.js';
import type { ApiFailure } from './wire-errors.js';

/** A request budget per credential: `limit` requests per `per` window. */
export interface RateLimit {
  /** Requests allowed per window (also the burst size). */
  readonly limit: number;
  /** The window: one second or one minute. */
  readonly per: 'second' | 'minute';
}

/** A limit a 429 answer states: any window, not only the ones a budget can have. */
export interface StatedLimit {
  /** Requests the message says are allowed per window. */
  readonly limit: number;
  /** The window the message names. */
  readonly per: 'second' | 'minute' | 'hour' | 'day';
}

/**
 * Gateway throttling: one token bucket per principal (AK, token or anonymous caller). A
 * bucket holds up to `limit` tokens and refills continuously at `limit` per window, so after a
 * burst the caller gets a request back every window/limit and the whole budget after one
 * window. An empty bucket answers 429 APIG.0308 with APIG's message.
 */
export class Throttle {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private rate: RateLimit | undefined;
  private stated: StatedLimit | undefined;

  constructor(
    rate: RateLimit | undefined,
    private readonly now: () => number,
    stated?: StatedLimit,
  ) {
    this.rate = rate;
    this.stated = stated;
  }

  /** Makes every 429 state `stated` instead of the real budget (a hostile gateway); undefined: the real budget. */
  configureStated(stated: StatedLimit | undefined): void {
    this.stated = stated;
  }

  /** The 429 answer: it states the configured statement, else the budget, else 100 per minute. */
  failure(): ApiFailure {
    return throttledFailure(this.stated ?? this.rate ?? { limit: 100, per: 'minute' });
  }

  /** Changes the budget at runtime (undefined: unlimited); existing buckets start full. */
  configure(rate: RateLimit | undefined): void {
    this.rate = rate;
    this.buckets.clear();
  }

  /** The current budget. */
  get current(): RateLimit | undefined {
    return this.rate;
  }

  /** Takes one token for `principal`; returns the 429 failure when none is left. */
  take(principal: string): ApiFailure | undefined {
    const rate = this.rate;
    if (!rate) return undefined;
    const windowMs = rate.per === 'second' ? 1000 : 60_000;
    const now = this.now();
    const bucket = this.buckets.get(principal) ?? { tokens: rate.limit, at: now };
    bucket.tokens = Math.min(rate.limit, bucket.tokens + ((now - bucket.at) * rate.limit) / windowMs);
    bucket.at = now;
    this.buckets.set(principal, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return undefined;
    }
    return this.failure();
  }
}

/** The 429 APIG.0308 answer for a budget. */
export function throttledFailure(rate: RateLimit | StatedLimit): ApiFailure {
  return gatewayFailure(
    429,
    APIG.throttled,
    `The throttling threshold has been reached: policy user over ratelimit,limit:${rate.limit},time:1 ${rate.per}`,
  );
}

/** Parses `N/min`, `N/minute`, `N/s`, `N/sec`, `N/second` or a bare `N` (per minute); undefined when malformed. */
export function parseRateLimit(text: string): RateLimit | undefined {
  const m = /^\s*(\d+)\s*(?:\/\s*(s|sec|second|m|min|minute))?\s*$/i.exec(text);
  if (!m || Number(m[1]) < 1) return undefined;
  const unit = (m[2] ?? 'min').toLowerCase();
  return { limit: Number(m[1]), per: unit.startsWith('s') ? 'second' : 'minute' };
}
