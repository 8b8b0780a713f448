import { describe, expect, it } from 'vitest';
import { FakeClock } from '../helpers/fake-clock.js';
import { describeLearnedLimit, memoryLimitStore, parseLearnedLimit } from '../../src/api/learned-limit.js';
import type { LearnedLimit } from '../../src/api/learned-limit.js';
import { LEARNED_LIMIT_SHARE, PROBE_INTERVAL_MS, RequestRateLimiter } from '../../src/api/rate-limiter.js';


const START = { requests: 10, perMs: 1000 };

/** Takes tokens back to back (the budget is the bottleneck) for `ms` of fake time; each grant succeeds. */
async function saturate(limiter: RequestRateLimiter, clock: FakeClock, ms: number): Promise<number> {
  const end = clock.t + ms;
  let granted = 0;
  while (clock.t < end) {
    await limiter.acquire();
    limiter.succeeded();
    granted++;
  }
  return granted;
}

/** Records every write to a store. */
function recordingStore(initial?: LearnedLimit) {
  const store = memoryLimitStore(initial);
  const writes: LearnedLimit[] = [];
  return { store: { read: store.read, write: (l: LearnedLimit) => (writes.push(l), store.write(l)) }, writes, memory: store };
}

describe('RequestRateLimiter with --rate-limit auto', () => {
  it('raises the rate additively, by the starting budget each probing interval, while the budget is the bottleneck', async () => {
    const clock = new FakeClock();
    const { store, writes } = recordingStore();
    const limiter = new RequestRateLimiter(START, clock, store);
    expect(limiter.requestsPerSecond).toBeCloseTo(10);
    await saturate(limiter, clock, 4 * PROBE_INTERVAL_MS + 1);
    expect(limiter.requestsPerSecond).toBeCloseTo(50);
    // each raise first records the rate that went through
    expect(writes.map((w) => Math.round(w.requestsPerSecond))).toEqual([10, 20, 30, 40]);
    expect(writes.every((w) => w.stated === undefined)).toBe(true);
  });

  it('does not raise the rate when the work, not the budget, is the bottleneck', async () => {
    const clock = new FakeClock();
    const limiter = new RequestRateLimiter(START, clock, memoryLimitStore());
    for (let i = 0; i < 40; i++) {
      await limiter.acquire();
      limiter.succeeded();
      await clock.sleep(200); // 5 requests a second, half the budget
    }
    expect(limiter.requestsPerSecond).toBeCloseTo(10);
  });

  it('on the first 429 stating a limit adopts 95% of it, above the starting budget, and stops probing', async () => {
    const clock = new FakeClock();
    const memory = memoryLimitStore();
    const limiter = new RequestRateLimiter(START, clock, memory);
    await saturate(limiter, clock, 5000);
    expect(limiter.requestsPerSecond).toBeGreaterThan(50);
    const stated = { requests: 50, perMs: 1000 };
    limiter.throttled({ serverLimit: stated });
    expect(limiter.requestsPerSecond).toBeCloseTo(50 * LEARNED_LIMIT_SHARE);
    expect(memory.current).toEqual({ requestsPerSecond: 47.5, learnedAt: clock.t, stated, throttledAnswers: 1 });
    const granted = await saturate(limiter, clock, 10_000);
    expect(limiter.requestsPerSecond).toBeCloseTo(47.5);
    expect(granted).toBeLessThanOrEqual(476 + 10); // paced at 47.5/s (plus at most one burst)
    expect(granted).toBeGreaterThanOrEqual(470);
  });

  it('adopts a per-minute limit below the starting budget', async () => {
    const clock = new FakeClock();
    const memory = memoryLimitStore();
    const limiter = new RequestRateLimiter(START, clock, memory);
    limiter.throttled({ serverLimit: { requests: 300, perMs: 60_000 } });
    expect(limiter.requestsPerSecond).toBeCloseTo(4.75);
    await saturate(limiter, clock, 5000);
    expect(limiter.requestsPerSecond).toBeCloseTo(4.75);
    expect(memory.current?.stated).toEqual({ requests: 300, perMs: 60_000 });
  });

  it('slows down once per throttling episode: a 429 of a request granted before the slow-down changes nothing', async () => {
    const clock = new FakeClock();
    const limiter = new RequestRateLimiter(START, clock, memoryLimitStore());
    await saturate(limiter, clock, 3000);
    const inFlight = await limiter.acquire();
    expect(limiter.throttled({ serverLimit: { requests: 40, perMs: 1000 } }, inFlight)).toBe(true);
    expect(limiter.throttled({ serverLimit: { requests: 40, perMs: 1000 } }, inFlight)).toBe(false);
    expect(limiter.requestsPerSecond).toBeCloseTo(38);
  });

  it('starts from a remembered stated limit and holds it', async () => {
    const clock = new FakeClock();
    const remembered = { requestsPerSecond: 95, learnedAt: 1, stated: { requests: 100, perMs: 1000 } };
    const limiter = new RequestRateLimiter(START, clock, memoryLimitStore(remembered));
    expect(limiter.requestsPerSecond).toBeCloseTo(95);
    await saturate(limiter, clock, 3000);
    expect(limiter.requestsPerSecond).toBeCloseTo(95);
  });

  it('starts from a remembered probed rate and probes beyond it', async () => {
    const clock = new FakeClock();
    const limiter = new RequestRateLimiter(START, clock, memoryLimitStore({ requestsPerSecond: 30, learnedAt: 1 }));
    expect(limiter.requestsPerSecond).toBeCloseTo(30);
    await saturate(limiter, clock, 2 * PROBE_INTERVAL_MS + 1);
    expect(limiter.requestsPerSecond).toBeCloseTo(50);
  });

  it('on a 429 without a stated limit halves the rate and probes on from there', async () => {
    const clock = new FakeClock();
    const limiter = new RequestRateLimiter(START, clock, memoryLimitStore());
    await saturate(limiter, clock, 3 * PROBE_INTERVAL_MS + 1); // 40/s
    limiter.throttled();
    expect(limiter.requestsPerSecond).toBeCloseTo(20);
    await saturate(limiter, clock, PROBE_INTERVAL_MS + 1);
    expect(limiter.requestsPerSecond).toBeCloseTo(30);
  });

  it('keeps the fixed budget as it was without a store: never above the configured rate', async () => {
    const clock = new FakeClock();
    const limiter = new RequestRateLimiter(START, clock);
    await saturate(limiter, clock, 5000);
    expect(limiter.requestsPerSecond).toBeCloseTo(10);
    limiter.throttled({ serverLimit: { requests: 50, perMs: 1000 } });
    expect(limiter.requestsPerSecond).toBeCloseTo(10);
  });
});

describe('learned limits as the cache keeps them', () => {
  it('reads back what was written and reads anything malformed as nothing remembered', () => {
    const learned = { requestsPerSecond: 47.5, learnedAt: 123, stated: { requests: 50, perMs: 1000 } };
    expect(parseLearnedLimit(JSON.parse(JSON.stringify(learned)))).toEqual(learned);
    expect(parseLearnedLimit({ requestsPerSecond: 20, learnedAt: 5 })).toEqual({ requestsPerSecond: 20, learnedAt: 5 });
    expect(parseLearnedLimit({ requestsPerSecond: 20, learnedAt: 5, stated: { requests: 'x' } })).toEqual({ requestsPerSecond: 20, learnedAt: 5 });
    for (const bad of [null, 'x', {}, { requestsPerSecond: 0, learnedAt: 1 }, { requestsPerSecond: -3, learnedAt: 1 }, { requestsPerSecond: 5 }]) {
      expect(parseLearnedLimit(bad)).toBeUndefined();
    }
  });

  it('describes a stated and a probed limit', () => {
    expect(describeLearnedLimit({ requestsPerSecond: 47.5, learnedAt: 0, stated: { requests: 50, perMs: 1000 } })).toBe('47.5/s (the gateway states 50 per second)');
    expect(describeLearnedLimit({ requestsPerSecond: 9.5, learnedAt: 0, stated: { requests: 600, perMs: 60_000 } })).toBe('9.5/s (the gateway states 600 per minute)');
    expect(describeLearnedLimit({ requestsPerSecond: 60, learnedAt: 0 })).toMatch(/^60\/s \(probed upward/);
  });
});
