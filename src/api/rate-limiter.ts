import { systemClock, type Clock } from './clock.js';
import type { RateLimit } from './rate-limit.js';

/** What a 429 answer told the limiter. */
export interface ThrottleHint {
  /** The limit stated in the APIG.0308 message (`limit:N,time:1 minute`), when present. */
  readonly serverLimit?: RateLimit;
  /** Retry-After of the answer in milliseconds, when present. */
  readonly retryAfterMs?: number;
}

/** Never slower than one request a minute, so a run always makes progress. */
const MIN_RATE_PER_MS = 1 / 60_000;
/** Each success gives back this share of the ceiling rate (20 successes from near zero to full). */
const RECOVERY_SHARE = 1 / 20;

/**
 * The request-rate budget of one endpoint: an adaptive token bucket, shared by every call of a
 * client. Bursts are capped at one second's worth of requests (at least one). A 429 halves the
 * rate, caps it at any limit the server stated (kept for the client's life), empties the bucket
 * and, given Retry-After, pauses every caller until then; each success raises the rate by a
 * twentieth of the ceiling until it is back at the configured rate.
 *
 * Takers are served in arrival order. The bucket depends on time only, never on another limit,
 * so waiting for a token while holding a concurrency slot cannot deadlock.
 */
export class RequestRateLimiter {
  readonly #clock: Clock;
  readonly #maxBurst: number;
  #ceiling: number;
  #rate: number;
  #tokens: number;
  #last: number;
  #pausedUntil = 0;
  #queue: Promise<void> = Promise.resolve();

  constructor(limit: RateLimit, clock: Clock = systemClock) {
    if (!(limit.requests > 0 && limit.perMs > 0)) throw new RangeError('rate limit must be positive');
    this.#clock = clock;
    this.#maxBurst = limit.requests;
    this.#ceiling = limit.requests / limit.perMs;
    this.#rate = this.#ceiling;
    this.#tokens = this.#capacity();
    this.#last = clock.now();
  }

  /** The rate currently allowed, in requests per second. */
  get requestsPerSecond(): number {
    return this.#rate * 1000;
  }

  /**
   * Resolves when a request may be sent. `onWait` is told the expected wait once, when the
   * caller has to wait at all.
   */
  acquire(onWait?: (ms: number) => void): Promise<void> {
    const turn = this.#queue.then(() => this.#take(onWait));
    this.#queue = turn.catch(() => undefined);
    return turn;
  }

  /** A 429 arrived: slow down, and pause everyone if the server said how long. */
  throttled(hint: ThrottleHint = {}): void {
    const now = this.#clock.now();
    this.#refill(now);
    let rate = this.#rate / 2;
    if (hint.serverLimit) {
      const stated = hint.serverLimit.requests / hint.serverLimit.perMs;
      this.#ceiling = Math.max(MIN_RATE_PER_MS, Math.min(this.#ceiling, stated));
      rate = Math.min(rate, stated);
    }
    this.#rate = Math.max(MIN_RATE_PER_MS, rate);
    this.#tokens = 0;
    if (hint.retryAfterMs !== undefined && hint.retryAfterMs > 0) {
      this.#pausedUntil = Math.max(this.#pausedUntil, now + hint.retryAfterMs);
      this.#last = this.#pausedUntil;
    }
  }

  /** A request got through: speed back up gradually toward the ceiling. */
  succeeded(): void {
    this.#refill(this.#clock.now());
    this.#rate = Math.min(this.#ceiling, this.#rate + this.#ceiling * RECOVERY_SHARE);
  }

  async #take(onWait?: (ms: number) => void): Promise<void> {
    let told = false;
    for (;;) {
      const now = this.#clock.now();
      this.#refill(now);
      let wait: number;
      if (now < this.#pausedUntil) wait = this.#pausedUntil - now;
      else if (this.#tokens >= 1 - 1e-9) {
        this.#tokens = Math.max(0, this.#tokens - 1);
        return;
      } else wait = Math.ceil((1 - this.#tokens) / this.#rate);
      if (!told) onWait?.(wait);
      told = true;
      await this.#clock.sleep(wait);
    }
  }

  #capacity(): number {
    return Math.max(1, Math.min(this.#maxBurst, this.#rate * 1000));
  }

  #refill(now: number): void {
    if (now <= this.#last) return;
    this.#tokens = Math.min(this.#capacity(), this.#tokens + (now - this.#last) * this.#rate);
    this.#last = now;
  }
}
