import { describe, expect, it } from 'vitest';
import { rateLearning } from '../../src/cli/rate-learning.js';

describe('rateLearning', () => {
  it('gives the cache only rates learned from a stated limit, never a probed one', () => {
    const learning = rateLearning(() => 42);
    learning.storeFor('https://a').write({ requestsPerSecond: 30, learnedAt: 1 });
    learning.storeFor('https://b').write({ requestsPerSecond: 47.5, learnedAt: 2, stated: { requests: 50, perMs: 1000 } });
    expect(learning.learned('https://a')).toBeUndefined();
    expect(learning.learned('https://b')).toBe(47.5);
    expect(learning.learned('https://c')).toBeUndefined();
  });

  it('restores a remembered rate as a stated limit, so the client holds it, unless the run already learned one', () => {
    const learning = rateLearning(() => 42);
    learning.restore('https://a', 47.5);
    expect(learning.storeFor('https://a').read()).toEqual({ requestsPerSecond: 47.5, learnedAt: 42, stated: { requests: 50, perMs: 1000 } });
    learning.restore('https://a', 9);
    expect(learning.storeFor('https://a').read()?.requestsPerSecond).toBe(47.5);
    learning.restore('https://b', 0);
    expect(learning.storeFor('https://b').read()).toBeUndefined();
    expect(learning.summary()).toEqual([
      'Request rate (--rate-limit auto) for https://a: 47.5/s (the gateway states 50 per second)',
      'Request rate (--rate-limit auto) for https://b: the starting budget: no 429 came back and the budget never held requests back',
    ]);
  });
});
