import { describe, expect, it } from 'vitest';
import { parseRetryAfter, parseThrottleLimit } from '../../src/api/throttle-hint.js';

describe('throttle hints', () => {
  it('reads the limit stated in an APIG.0308 message', () => {
    expect(parseThrottleLimit('The throttling threshold has been reached: policy user over ratelimit,limit:30,time:1 minute')).toEqual({ requests: 30, perMs: 60_000 });
    expect(parseThrottleLimit('policy ip over ratelimit,limit:5,time:1 second')).toEqual({ requests: 5, perMs: 1000 });
    expect(parseThrottleLimit('limit:100, time:10 seconds')).toEqual({ requests: 100, perMs: 10_000 });
    expect(parseThrottleLimit('The throttling threshold has been reached')).toBeUndefined();
    expect(parseThrottleLimit(undefined)).toBeUndefined();
    expect(parseThrottleLimit('limit:0,time:1 minute')).toBeUndefined();
  });

  it('reads Retry-After as seconds or an HTTP date, clamped', () => {
    const now = Date.UTC(2026, 0, 1, 0, 0, 0);
    expect(parseRetryAfter('2', now)).toBe(2000);
    expect(parseRetryAfter('0.5', now)).toBe(500);
    expect(parseRetryAfter(new Date(now + 3000).toUTCString(), now)).toBe(3000);
    expect(parseRetryAfter(new Date(now - 3000).toUTCString(), now)).toBe(0);
    expect(parseRetryAfter('86400', now)).toBe(300_000);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });
});
