import { describe, expect, it } from 'vitest';
import { formatRateLimit, parseRateLimit } from '../../src/api/rate-limit.js';
import { UsageError } from '../../src/errors.js';

describe('parseRateLimit (--rate-limit)', () => {
  it.each([
    ['50', { requests: 50, perMs: 1000 }],
    ['50/s', { requests: 50, perMs: 1000 }],
    [' 600 / min ', { requests: 600, perMs: 60_000 }],
    ['20/minute', { requests: 20, perMs: 60_000 }],
    ['1000/h', { requests: 1000, perMs: 3_600_000 }],
    ['5/SEC', { requests: 5, perMs: 1000 }],
  ])('%s', (text, expected) => {
    expect(parseRateLimit(text)).toEqual(expected);
  });

  it.each(['', '0', '-1/s', '1.5/s', '10/fortnight', 'ten', '10/s/s'])('refuses %j with a UsageError quoting it', (text) => {
    expect(() => parseRateLimit(text)).toThrow(UsageError);
    expect(() => parseRateLimit(text)).toThrow(`rate limit "${text}"`);
  });

  it('formats rates for messages', () => {
    expect(formatRateLimit({ requests: 600, perMs: 60_000 })).toBe('600/min');
    expect(formatRateLimit({ requests: 5, perMs: 1000 })).toBe('5/s');
    expect(formatRateLimit({ requests: 1, perMs: 3000 })).toBe('0.33/s');
  });
});
