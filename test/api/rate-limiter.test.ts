import { describe, expect, it } from 'vitest';
import { FakeClock } from '../helpers/fake-clock.js';
import { BUDGET_FLOOR_SHARE, BudgetWaitRefused, RequestRateLimiter } from '../../src/api/rate-limiter.js';


/** Acquires `n` tokens in a row; returns each grant time relative to the start. */
async function grants(limiter: RequestRateLimiter, clock: FakeClock, n: number): Promise<number[]> {
  const start = clock.t;
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    await limiter.acquire();
    times.push(clock.t - start);
  }
  return times;
}

describe('RequestRateLimiter', () => {
  it('allows a burst of one second worth, then spaces requests at the rate', async () => {
    const clock = new FakeClock();
    const times = await grants(new RequestRateLimiter({ requests: 10, perMs: 1000 }, clock), clock, 30);
    expect(times.slice(0, 10)).toEqual(Array(10).fill(0));
    expect(times[10]).toBeCloseTo(100, -1);
    expect(times[29]).toBeGreaterThanOrEqual(1990);
    expect(times[29]).toBeLessThanOrEqual(2010);
  });

  it('caps the burst at one request for slow per-minute rates', async () => {
    const clock = new FakeClock();
    const times = await grants(new RequestRateLimiter({ requests: 10, perMs: 60_000 }, clock), clock, 3);
    expect(times[0]).toBe(0);
    expect(times[1]).toBeGreaterThanOrEqual(6000);
    expect(times[2]).toBeGreaterThanOrEqual(12_000);
  });

  it('serves concurrent takers in arrival order', async () => {
    const clock = new FakeClock();
    const limiter = new RequestRateLimiter({ requests: 1, perMs: 1000 }, clock);
    const order: number[] = [];
    await Promise.all([0, 1, 2, 3].map((i) => limiter.acquire().then(() => order.push(i))));
    expect(order).toEqual([0, 1, 2, 3]);
    expect(clock.t - 1_000_000).toBeGreaterThanOrEqual(3000);
  });

  it('on a 429 halves the rate and empties the bucket', async () => {
    const clock = new FakeClock();
    const limiter = new RequestRateLimiter({ requests: 10, perMs: 1000 }, clock);
    limiter.throttled();
    expect(limiter.requestsPerSecond).toBeCloseTo(5);
    const times = await grants(limiter, clock, 2);
    expect(times[0]).toBeGreaterThanOrEqual(199);
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(199);
  });

  it('adopts 90% of a limit stated by the server and never recovers above it', async () => {
    const clock = new FakeClock();
    const limiter = new RequestRateLimiter({ requests: 10, perMs: 1000 }, clock);
    limiter.throttled({ serverLimit: { requests: 300, perMs: 60_000 } });
    expect(limiter.requestsPerSecond).toBeCloseTo(4.5);
    for (let i = 0; i < 100; i++) limiter.succeeded();
    expect(limiter.requestsPerSecond).toBeCloseTo(4.5);
    const times = await grants(limiter, clock, 3);
    expect(times[2]! - times[1]!).toBeGreaterThanOrEqual(222);
  });

  it('honours Retry-After by pausing every taker until then', async () => {
    const clock = new FakeClock();
    const limiter = new RequestRateLimiter({ requests: 100, perMs: 1000 }, clock);
    limiter.throttled({ retryAfterMs: 3000 });
    const waits: number[] = [];
    await limiter.acquire((ms) => waits.push(ms));
    expect(clock.t - 1_000_000).toBeGreaterThanOrEqual(3000);
    expect(waits).toEqual([3000]);
  });

  it('speeds back up gradually toward the configured rate on successes', () => {
    const clock = new FakeClock();
    const limiter = new RequestRateLimiter({ requests: 10, perMs: 1000 }, clock);
    limiter.throttled();
    const rates = [limiter.requestsPerSecond];
    for (let i = 0; i < 12; i++) {
      limiter.succeeded();
      rates.push(limiter.requestsPerSecond);
    }
    expect(rates[0]).toBeCloseTo(5);
    expect(rates[1]).toBeCloseTo(5.5);
    for (let i = 1; i < rates.length; i++) expect(rates[i]!).toBeGreaterThanOrEqual(rates[i - 1]!);
    expect(rates.at(-1)).toBeCloseTo(10);
  });

  it('never slows below a tenth of the configured budget, whatever a 429 states (limit:1,time:1 day)', async () => {
    const clock = new FakeClock();
    const limiter = new RequestRateLimiter({ requests: 10, perMs: 1000 }, clock);
    expect(limiter.floorPerSecond).toBeCloseTo(10 * BUDGET_FLOOR_SHARE);
    for (let i = 0; i < 50; i++) limiter.throttled({ serverLimit: { requests: 1, perMs: 86_400_000 } });
    expect(limiter.requestsPerSecond).toBeCloseTo(1);
    // five requests after it take seconds, not days
    const times = await grants(limiter, clock, 5);
    expect(times[4]).toBeLessThanOrEqual(5000);
  });

  it('never halves below the floor either, episode after episode of 429s without a stated limit', async () => {
    const clock = new FakeClock();
    const limiter = new RequestRateLimiter({ requests: 10, perMs: 1000 }, clock);
    for (let i = 0; i < 50; i++) limiter.throttled({}, await limiter.acquire());
    expect(limiter.requestsPerSecond).toBeCloseTo(1);
  });

  it('does not begin a wait for a token that would end after the latest time allowed, and takes no token', async () => {
    const clock = new FakeClock();
    const limiter = new RequestRateLimiter({ requests: 1, perMs: 1000 }, clock);
    await limiter.acquire();
    const refused = await limiter.acquire(undefined, clock.t + 999).catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(BudgetWaitRefused);
    expect(refused).toMatchObject({ waitMs: 1000, requestsPerSecond: 1 });
    expect(clock.t).toBe(1_000_000); // nothing was slept
    // the next taker is not held up by the refused one
    await limiter.acquire(undefined, clock.t + 1000);
    expect(clock.t).toBe(1_001_000);
  });

  it('reports a wait only when the caller has to wait', async () => {
    const clock = new FakeClock();
    const limiter = new RequestRateLimiter({ requests: 1, perMs: 2000 }, clock);
    const waits: number[] = [];
    await limiter.acquire((ms) => waits.push(ms));
    await limiter.acquire((ms) => waits.push(ms));
    expect(waits).toEqual([2000]);
  });
});

describe('RequestRateLimiter: one slow-down per throttling episode', () => {
  /** Grants `n` requests at once, as a burst in flight together. */
  const burst = (limiter: RequestRateLimiter, n: number): Promise<number[]> => Promise.all(Array.from({ length: n }, () => limiter.acquire()));

  it('ignores the 429s of requests sent before the slow-down; a request sent after it starts a new episode', async () => {
    const clock = new FakeClock();
    const limiter = new RequestRateLimiter({ requests: 16, perMs: 1000 }, clock);
    const generations = await burst(limiter, 16);
    const slowed = generations.map((g) => limiter.throttled({}, g));
    expect(slowed).toEqual([true, ...Array<boolean>(15).fill(false)]);
    expect(limiter.requestsPerSecond).toBeCloseTo(8);
    expect(limiter.throttled({}, await limiter.acquire())).toBe(true);
    expect(limiter.requestsPerSecond).toBeCloseTo(4);
  });

  it('with a stated limit, slows to 90% of it and never below, however many 429s and episodes', async () => {
    const clock = new FakeClock();
    const limiter = new RequestRateLimiter({ requests: 30, perMs: 1000 }, clock);
    const stated = { serverLimit: { requests: 600, perMs: 60_000 } };
    for (const g of await burst(limiter, 16)) limiter.throttled(stated, g);
    expect(limiter.requestsPerSecond).toBeCloseTo(9);
    for (let episode = 0; episode < 5; episode++) expect(limiter.throttled(stated, await limiter.acquire())).toBe(true);
    expect(limiter.requestsPerSecond).toBeCloseTo(9);
    // from an empty bucket, 10 grants at 9/s: never faster than the stated 10/s, and not collapsed
    const times = await grants(limiter, clock, 10);
    expect(times[9]).toBeGreaterThanOrEqual(1000);
    expect(times[9]).toBeLessThanOrEqual(1130);
  });

  it('a late 429 from an older episode keeps the refilled bucket but still honours its Retry-After', async () => {
    const clock = new FakeClock();
    const limiter = new RequestRateLimiter({ requests: 10, perMs: 1000 }, clock);
    const [early, late] = await burst(limiter, 2);
    limiter.throttled({}, early);
    clock.t += 1000;
    expect(limiter.throttled({}, late)).toBe(false);
    expect(limiter.requestsPerSecond).toBeCloseTo(5);
    expect(await grants(limiter, clock, 5)).toEqual([0, 0, 0, 0, 0]);
    limiter.throttled({ retryAfterMs: 2000 }, late);
    const waits: number[] = [];
    await limiter.acquire((ms) => waits.push(ms));
    expect(waits).toEqual([2000]);
  });
});
