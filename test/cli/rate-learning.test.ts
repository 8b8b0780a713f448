import { describe, expect, it } from 'vitest';
import { FakeClock } from '../helpers/fake-clock.js';
import { RequestRateLimiter } from '../../src/api/rate-limiter.js';
import { LEARNED_LIMIT_TTL_MS, rateLearning } from '../../src/cli/rate-learning.js';

const START = { requests: 10, perMs: 1000 };
const NOW = 1_000_000_000;

describe('rateLearning', () => {
  it('gives the cache only rates learned from a stated limit, never a probed one', () => {
    const learning = rateLearning(START, () => NOW);
    learning.storeFor('https://a').write({ requestsPerSecond: 30, learnedAt: 1 });
    learning.storeFor('https://b').write({ requestsPerSecond: 47.5, learnedAt: 2, stated: { requests: 50, perMs: 1000 } });
    expect(learning.learned('https://a')).toBeUndefined();
    expect(learning.learned('https://b')).toEqual({ requestsPerSecond: 47.5, learnedAt: 2 });
    expect(learning.learned('https://c')).toBeUndefined();
  });

  it('restores a remembered rate as a stated limit, so the client holds it, unless the run already learned one', () => {
    const learning = rateLearning(START, () => NOW);
    learning.restore('https://a', 47.5, NOW - 1000);
    expect(learning.storeFor('https://a').read()).toEqual({ requestsPerSecond: 47.5, learnedAt: NOW - 1000, stated: { requests: 50, perMs: 1000 } });
    learning.restore('https://a', 9, NOW);
    expect(learning.storeFor('https://a').read()?.requestsPerSecond).toBe(47.5);
    learning.restore('https://b', 0, NOW);
    expect(learning.storeFor('https://b').read()).toBeUndefined();
    expect(learning.summary()).toEqual([
      'Request rate (--rate-limit auto) for https://a: 47.5/s (the gateway states 50 per second)',
      'Request rate (--rate-limit auto) for https://b: the starting budget: no 429 came back and the budget never held requests back',
    ]);
  });

  it('a restored rate keeps the date it was learned, so reusing it never makes it younger', () => {
    const learning = rateLearning(START, () => NOW);
    learning.restore('https://a', 5.7, NOW - 3_600_000);
    expect(learning.learned('https://a')).toEqual({ requestsPerSecond: 5.7, learnedAt: NOW - 3_600_000 });
  });

  it('does not restore a rate that expired, is dated in the future, or lies outside the budget bounds; the summary says why', () => {
    const learning = rateLearning(START, () => NOW);
    learning.restore('https://old', 5.7, NOW - LEARNED_LIMIT_TTL_MS - 1);
    learning.restore('https://future', 5.7, NOW + 60_000);
    learning.restore('https://poisoned', 0.0167, NOW); // what a `limit:1,time:1 day` 429 left behind
    learning.restore('https://huge', 5000, NOW);
    learning.restore('https://fine', 1.9, NOW - LEARNED_LIMIT_TTL_MS + 1);
    for (const e of ['https://old', 'https://future', 'https://poisoned', 'https://huge']) {
      expect(learning.storeFor(e).read()).toBeUndefined();
      expect(learning.learned(e)).toBeUndefined();
    }
    expect(learning.learned('https://fine')).toEqual({ requestsPerSecond: 1.9, learnedAt: NOW - LEARNED_LIMIT_TTL_MS + 1 });
    expect(learning.summary().join('\n')).toContain("https://old: the starting budget: no 429 came back and the budget never held requests back; the cache's 5.7/s was not used (older than 24 h)");
    expect(learning.summary().join('\n')).toContain("the cache's 5.7/s was not used (dated in the future)");
    expect(learning.summary().join('\n')).toContain("the cache's 0.02/s was not used (below the floor of 1/s)");
    expect(learning.summary().join('\n')).toContain("the cache's 5000/s was not used (above the cap of 1000/s)");
  });

  it('a stated limit below the floor is paced at the floor, reported as not believed, and never remembered', () => {
    const learning = rateLearning(START, () => NOW);
    const clock = new FakeClock();
    const limiter = new RequestRateLimiter(START, clock, learning.storeFor('https://a'));
    for (let i = 0; i < 5; i++) limiter.throttled({ serverLimit: { requests: 1, perMs: 86_400_000 } });
    expect(limiter.requestsPerSecond).toBeCloseTo(1);
    expect(learning.learned('https://a')).toBeUndefined();
    expect(learning.summary()).toEqual([
      'Request rate (--rate-limit auto) for https://a: 1/s, the floor (the gateway states 1 per day in 5 answers 429: below the floor, not believed and not remembered)',
    ]);
  });

  it('the summary counts 429s that stated no limit instead of saying none came back', () => {
    const learning = rateLearning(START, () => NOW);
    const clock = new FakeClock();
    const limiter = new RequestRateLimiter(START, clock, learning.storeFor('https://a'));
    for (let i = 0; i < 5; i++) limiter.throttled({});
    const [line] = learning.summary();
    expect(line).not.toContain('no 429 came back');
    expect(line).toBe('Request rate (--rate-limit auto) for https://a: 1/s (5 answers 429 stated no limit; the rate was halved from there)');
  });
});
