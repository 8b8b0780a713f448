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

/**
 * No 429 lowers the budget below this share of the configured (or, with `--rate-limit auto`,
 * the starting) budget: a gateway that states `limit:1,time:1 day`, or throttles episode after
 * episode, cannot stretch a run to hours. A gateway that really allows less than that share
 * needs a lower `--rate-limit`; the 429s past the floor are retried and fail like any other.
 */
export const BUDGET_FLOOR_SHARE = 0.1;

/** `--rate-limit auto` never paces above this multiple of its starting budget, whatever a 429 states or a cache remembers. */
export const BUDGET_CAP_MULTIPLE = 100;

/** The range the budget of one endpoint stays in, in requests per second. */
export interface BudgetBounds {
  /** Lowest rate any 429 can bring the budget to. */
  readonly floorPerSecond: number;
  /** Highest rate `--rate-limit auto` paces at. */
  readonly capPerSecond: number;
}

/** The bounds of a budget configured (or started, with auto) at `limit`. */
export function budgetBounds(limit: RateLimit): BudgetBounds {
  const perSecond = (limit.requests * 1000) / limit.perMs;
  return { floorPerSecond: perSecond * BUDGET_FLOOR_SHARE, capPerSecond: perSecond * BUDGET_CAP_MULTIPLE };
}
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

/** Thrown by `acquire` when the wait for a token would end after the latest time the caller allowed. */
export class BudgetWaitRefused extends Error {
  /** The wait that was refused, in ms. */
  readonly waitMs: number;
  /** The rate at that moment, requests per second. */
  readonly requestsPerSecond: number;
  constructor(waitMs: number, requestsPerSecond: number) {
    super(`waiting ${waitMs} ms for the request rate budget would pass the deadline`);
    this.name = 'BudgetWaitRefused';
    this.waitMs = waitMs;
    this.requestsPerSecond = requestsPerSecond;
  }
}

/**
 * The request-rate budget of one endpoint: an adaptive token bucket, shared by every call of a
 * client. Bursts are capped at one second's worth of requests (at least one).
 *
 * A throttling episode (the gateway running dry) answers 429 to every request in flight, within
 * a few ms of each other, so the limiter slows down once per episode: each grant carries the
 * limiter's generation, a slow-down starts a new one, and a 429 of a request granted in an older
 * generation was sent before the slow-down took effect and does not slow down again. A slow-down
 * halves the rate and empties the bucket; when the 429 states a limit, the rate and the ceiling
 * become STATED_LIMIT_SHARE of it instead (never above it: the gateway just said how much it
 * allows). Nothing lowers the rate below BUDGET_FLOOR_SHARE of the configured budget (see
 * budgetBounds). Every 429 honours its Retry-After by pausing every caller until then. Each
 * success raises the rate by a twentieth of the ceiling, back up to the configured rate or the
 * stated limit's share, whichever is lower (a stated limit is kept for the client's life).
 *
 * With a LearnedLimitStore (`--rate-limit auto`) the configured rate is only where it starts:
 * every PROBE_INTERVAL_MS in which takers waited for tokens (the budget, not the work, was the
 * bottleneck) and no 429 came back, the rate rises by the configured rate (additive increase),
 * up to BUDGET_CAP_MULTIPLE times the start. The first 429 that states a limit ends the probing:
 * rate and ceiling become LEARNED_LIMIT_SHARE of it (above the configured rate if need be,
 * within the bounds), held from then on with the same gentle recovery. A 429 without a stated
 * limit halves the rate, makes that the ceiling and probes on from there. What is learned (and
 * how many 429s came back) is written to the store; a remembered stated limit is started from
 * and held, a remembered probed rate is started from and probed beyond.
 *
 * Takers are served in arrival order. The bucket depends on time only, never on another limit,
 * so waiting for a token while holding a concurrency slot cannot deadlock.
 */
export class RequestRateLimiter {
  readonly #clock: Clock;
  readonly #maxBurst: number;
  /** Lowest and highest rate, per ms. */
  readonly #floor: number;
  readonly #cap: number;
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
  /** 429 answers in this client's life (auto only: reported through the store). */
  #throttledAnswers = 0;

  /** `store`: learn the real limit (`--rate-limit auto`), starting from `limit` or from what the store remembers. */
  constructor(limit: RateLimit, clock: Clock = systemClock, store?: LearnedLimitStore) {
    if (!(limit.requests > 0 && limit.perMs > 0)) throw new RangeError('rate limit must be positive');
    this.#clock = clock;
    this.#maxBurst = limit.requests;
    const bounds = budgetBounds(limit);
    this.#floor = bounds.floorPerSecond / 1000;
    this.#cap = bounds.capPerSecond / 1000;
    this.#ceiling = limit.requests / limit.perMs;
    this.#store = store;
    const remembered = store?.read();
    if (store) {
      if (remembered) this.#ceiling = this.#bounded(remembered.requestsPerSecond / 1000);
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

  /** The lowest rate any 429 can bring this budget to, in requests per second. */
  get floorPerSecond(): number {
    return this.#floor * 1000;
  }

  /**
   * Resolves when a request may be sent, with the limiter's generation at that moment: pass it
   * to `throttled` if the request is answered 429. `onWait` is told the expected wait once, when
   * the caller has to wait at all. With `latest` (epoch ms), a wait that would end after it is
   * not begun: the promise rejects with BudgetWaitRefused and no token is taken.
   */
  acquire(onWait?: (ms: number) => void, latest?: number): Promise<number> {
    const turn = this.#queue.then(() => this.#take(onWait, latest));
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
    this.#throttledAnswers++;
    const share = this.#store ? LEARNED_LIMIT_SHARE : STATED_LIMIT_SHARE;
    const stated = hint.serverLimit ? (hint.serverLimit.requests / hint.serverLimit.perMs) * share : undefined;
    if (stated !== undefined) {
      // Probing learns the limit (above the configured rate if need be); a fixed budget only lowers to it.
      this.#ceiling = this.#bounded(this.#store ? stated : Math.min(this.#ceiling, stated));
      this.#step = 0;
    }
    const slowDown = generation >= this.#generation;
    if (slowDown) {
      this.#generation++;
      this.#rate = stated === undefined ? this.#rate / 2 : this.#ceiling;
      this.#tokens = 0;
      if (stated === undefined && this.#step > 0) {
        this.#ceiling = this.#bounded(this.#rate); // unstated: probe on from half
        this.#lastRaise = now;
        this.#starved = false;
      }
    }
    this.#rate = this.#bounded(Math.min(this.#ceiling, this.#rate));
    if (hint.retryAfterMs !== undefined && hint.retryAfterMs > 0) {
      this.#pausedUntil = Math.max(this.#pausedUntil, now + hint.retryAfterMs);
      this.#last = this.#pausedUntil;
    }
    if (this.#store) this.#record(now, hint.serverLimit, stated !== undefined && stated < this.#floor);
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
    if (this.#starved && atCeiling && this.#ceiling < this.#cap) {
      this.#record(now, undefined, false); // this rate went through
      this.#ceiling = Math.min(this.#cap, this.#ceiling + this.#step);
      this.#rate = this.#ceiling;
    }
    this.#starved = false;
    this.#lastRaise = now;
  }

  /**
   * Tells the store what the client paces at now: with the limit a 429 just stated (kept from an
   * earlier record when this 429 stated none), whether that limit was below the floor (then it
   * is not what the client paces at, and not worth remembering), and how many 429s came back.
   */
  #record(now: number, stated: RateLimit | undefined, belowFloor: boolean): void {
    const before = this.#store?.read();
    const limit = stated ?? before?.stated;
    const keepsDate = stated === undefined && before?.stated !== undefined;
    this.#store?.write({
      requestsPerSecond: this.#ceiling * 1000,
      learnedAt: keepsDate ? before.learnedAt : now,
      ...(limit ? { stated: limit } : {}),
      ...((stated ? belowFloor : before?.belowFloor) ? { belowFloor: true } : {}),
      ...(this.#throttledAnswers > 0 ? { throttledAnswers: this.#throttledAnswers } : {}),
    });
  }

  async #take(onWait?: (ms: number) => void, latest?: number): Promise<number> {
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
      if (latest !== undefined && now + wait > latest) throw new BudgetWaitRefused(wait, this.requestsPerSecond);
      if (!told) onWait?.(wait);
      told = true;
      await this.#clock.sleep(wait);
    }
  }

  /** `perMs` kept within the floor and, for auto, the cap. */
  #bounded(perMs: number): number {
    return Math.max(this.#floor, Math.min(this.#cap, perMs));
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
