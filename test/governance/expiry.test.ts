import { describe, expect, it } from 'vitest';
import { daysLeft, hasExpired, isExpiry, parseNow, parseUntil, parseWindow } from '../../src/governance/expiry.js';

const at = (iso: string): number => Date.parse(iso);
const expiry = (text: string) => {
  const e = parseUntil(text);
  if (!isExpiry(e)) throw new Error(e.problem);
  return e;
};

describe('until', () => {
  it('a date holds through that whole day, UTC, and ends at the next midnight', () => {
    const e = expiry('2026-12-31');
    expect(hasExpired(e, at('2026-12-31T23:59:59.999Z'))).toBe(false);
    expect(hasExpired(e, at('2027-01-01T00:00:00Z'))).toBe(true);
  });

  it('a date-time ends at that instant, in its own zone', () => {
    const e = expiry('2026-12-31T18:00:00+01:00');
    expect(hasExpired(e, at('2026-12-31T16:59:59Z'))).toBe(false);
    expect(hasExpired(e, at('2026-12-31T17:00:00Z'))).toBe(true);
  });

  it('refuses a day that does not exist and a date-time without a zone, saying which', () => {
    expect(parseUntil('2026-02-30')).toEqual({ problem: 'until "2026-02-30" is not a calendar date' });
    expect(parseUntil('2026-12-31T18:00:00')).toEqual({
      problem: 'until "2026-12-31T18:00:00" is not a date (2026-12-31) or a date-time with a zone (2026-12-31T18:00:00Z) (a date-time needs a zone: Z or +01:00)',
    });
  });

  it('counts whole days left, rounded up', () => {
    expect(daysLeft(expiry('2026-12-31'), at('2026-12-20T00:00:00Z'))).toBe(12);
    expect(daysLeft(expiry('2026-12-31'), at('2026-12-31T12:00:00Z'))).toBe(1);
  });
});

describe('--now and --expiring-within', () => {
  it('take an ISO date-time with a zone and a window in hours, days or weeks', () => {
    expect(parseNow('2027-01-01T00:00:00Z')).toBe(at('2027-01-01T00:00:00Z'));
    expect(() => parseNow('2027-01-01')).toThrow('"2027-01-01" is not a date-time with a zone, e.g. 2027-01-01T00:00:00Z');
    expect(parseWindow('14d')).toBe(14 * 86_400_000);
    expect(parseWindow('36h')).toBe(36 * 3_600_000);
    expect(parseWindow('2w')).toBe(14 * 86_400_000);
    expect(() => parseWindow('14 days')).toThrow('"14 days" is not a window such as 14d, 36h or 2w');
  });
});
