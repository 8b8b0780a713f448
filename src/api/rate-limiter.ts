import { systemClock, type Clock } from './clock.js';
import type { LearnedLimitStore } from './learned-limit.js';
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
 * The share of a stated limit the client paces at. The gateway counts arrivals and the client
 * counts departures; transit times differ per request (the first ones pay for connecting), so
 * pacing at exactly N lets an early arrival find the gateway a token short and start a new
 * throttling episode. At 90% the gateway's budget refills faster than the client spends it,
 * which absorbs that jitter, for a tenth of the stated throughput.
 */
export const STATED_LIMIT_SHARE = 0.9;

/**
 * `--rate-limit auto` paces at this share of a limit the gateway stated: the limit is the
 * gateway's own word rather than a configured guess, so the margin for transit jitter is
 * halved (the gateway's budget still refills 5% faster than the client spends it).
 */
export const LEARNED_LIMIT_SHARE = 0.95;

/** `--rate-limit auto` raises its rate at most this often, and only after takers had to wait for tokens. */
export const PROBE_INTERVAL_MS = 500;

/**
 * The request-rate budget of one endpoint: an adaptive token bucket, shared by every call of a
 * client. Bursts are capped at one second's worth of requests (at least one).
 *
 * A throttling episode (the gateway running dry) answers 429 to every request in flight, within
 * a few ms of each other, so the limiter slows down once per episode: each grant carries the
 * limiter's generation, a slow-down starts a new one, and a 429 of a request granted in an older
 * generation was sent before the slow-down took effect and does not slow down again. A slow-down
 * halves the rate and empties the bucket; when the 429 states a limit, the rate and the ceiling
 * become STATED_LIMIT_SHARE of it instead (never above it, never below that: the gateway just
 * said how much it allows). Every 429 honours its Retry-After by pausing every caller until
 * then. Each success raises the rate by a twentieth of the ceiling, back up to the configured
 * rate or the stated limit's share, whichever is lower (a stated limit is kept for the client's
 * life).
 *
 * With a LearnedLimitStore (`--rate-limit auto`) the configured rate is only where it starts:
 * every PROBE_INTERVAL_MS in which takers waited for tokens (the budget, not the work, was the
 * bottleneck) and no 429 came back, the rate rises by the configured rate (additive increase).
 * The first 429 that states a limit ends the probing: rate and ceiling become
 * LEARNED_LIMIT_SHARE of it (above the configured rate if need be), held from then on with the
 * same gentle recovery. A 429 without a stated limit halves the rate, makes that the ceiling and
 * probes on from there. What is learned is written to the store; a remembered stated limit is
 * started from and held, a remembered probed rate is started from and probed beyond.
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
  #generation = 0;
  #queue: Promise<unknown> = Promise.resolve();
  readonly #store: LearnedLimitStore | undefined;
  /** Rate added per probing step (the configured rate), per ms; 0 when not probing. */
  #step = 0;
  #lastRaise: number;
  /** A taker waited for a token since the last probing step. */
  #starved = false;

  /** `store`: learn the real limit (`--rate-limit auto`), starting from `limit` or from what the store remembers. */
  constructor(limit: RateLimit, clock: Clock = systemClock, store?: LearnedLimitStore) {
    if (!(limit.requests > 0 && limit.perMs > 0)) throw new RangeError('rate limit must be positive');
    this.#clock = clock;
    this.#maxBurst = limit.requests;
    this.#ceiling = limit.requests / limit.perMs;
    this.#store = store;
    const remembered = store?.read();
    if (store) {
      if (remembered) this.#ceiling = Math.max(MIN_RATE_PER_MS, remembered.requestsPerSecond / 1000);
      if (!remembered?.stated) this.#step = limit.requests / limit.perMs;
    }
    this.#rate = this.#ceiling;
    this.#tokens = this.#capacity();
    this.#last = clock.now();
    this.#lastRaise = this.#last;
  }

  /** The rate currently allowed, in requests per second. */
  get requestsPerSecond(): number {
    return this.#rate * 1000;
  }

  /**
   * Resolves when a request may be sent, with the limiter's generation at that moment: pass it
   * to `throttled` if the request is answered 429. `onWait` is told the expected wait once, when
   * the caller has to wait at all.
   */
  acquire(onWait?: (ms: number) => void): Promise<number> {
    const turn = this.#queue.then(() => this.#take(onWait));
    this.#queue = turn.catch(() => undefined);
    return turn;
  }

  /**
   * A 429 arrived for a request granted in `generation` (omitted: treated as current). Slows
   * down unless an earlier 429 of the same episode already did; returns whether it slowed down.
   */
  throttled(hint: ThrottleHint = {}, generation: number = this.#generation): boolean {
    const now = this.#clock.now();
    this.#refill(now);
    const share = this.#store ? LEARNED_LIMIT_SHARE : STATED_LIMIT_SHARE;
    const stated = hint.serverLimit ? (hint.serverLimit.requests / hint.serverLimit.perMs) * share : undefined;
    if (stated !== undefined) {
      // Probing learns the limit (above the configured rate if need be); a fixed budget only lowers to it.
      this.#ceiling = Math.max(MIN_RATE_PER_MS, this.#store ? stated : Math.min(this.#ceiling, stated));
      if (this.#store) this.#learn(now, hint.serverLimit);
    }
    const slowDown = generation >= this.#generation;
    if (slowDown) {
      this.#generation++;
      this.#rate = stated === undefined ? this.#rate / 2 : this.#ceiling;
      this.#tokens = 0;
      if (stated === undefined && this.#step > 0) {
        this.#ceiling = Math.max(MIN_RATE_PER_MS, this.#rate); // unstated: probe on from half
        this.#lastRaise = now;
        this.#starved = false;
      }
    }
    this.#rate = Math.max(MIN_RATE_PER_MS, Math.min(this.#ceiling, this.#rate));
    if (hint.retryAfterMs !== undefined && hint.retryAfterMs > 0) {
      this.#pausedUntil = Math.max(this.#pausedUntil, now + hint.retryAfterMs);
      this.#last = this.#pausedUntil;
    }
    return slowDown;
  }

  /** A request got through: speed back up gradually toward the ceiling. */
  succeeded(): void {
    const now = this.#clock.now();
    this.#refill(now);
    this.#rate = Math.min(this.#ceiling, this.#rate + this.#ceiling * RECOVERY_SHARE);
    this.#probe(now);
  }

  /** Probing: raise the ceiling by one step when the last interval was starved for tokens at full rate. */
  #probe(now: number): void {
    if (this.#step === 0 || now - this.#lastRaise < PROBE_INTERVAL_MS) return;
    const atCeiling = this.#rate >= this.#ceiling * (1 - 1e-9);
    if (this.#starved && atCeiling) {
      this.#store?.write({ requestsPerSecond: this.#ceiling * 1000, learnedAt: now }); // this rate went through
      this.#ceiling += this.#step;
      this.#rate = this.#ceiling;
    }
    this.#starved = false;
    this.#lastRaise = now;
  }

  /** A stated limit ends the probing and is remembered. */
  #learn(now: number, stated: RateLimit | undefined): void {
    this.#step = 0;
    const before = this.#store?.read();
    const requestsPerSecond = this.#ceiling * 1000;
    if (before?.stated && before.requestsPerSecond === requestsPerSecond) return;
    this.#store?.write({ requestsPerSecond, learnedAt: now, ...(stated ? { stated } : {}) });
  }

  async #take(onWait?: (ms: number) => void): Promise<number> {
    let told = false;
    for (;;) {
      const now = this.#clock.now();
      this.#refill(now);
      this.#probe(now);
      let wait: number;
      if (now < this.#pausedUntil) wait = this.#pausedUntil - now;
      else if (this.#tokens >= 1 - 1e-9) {
        this.#tokens = Math.max(0, this.#tokens - 1);
        return this.#generation;
      } else {
        wait = Math.ceil((1 - this.#tokens) / this.#rate);
        this.#starved = true;
      }
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
