import { describe, expect, it } from 'vitest';
import { canonicalIp, ipEntrySize, parseIpEntry } from '../../src/policy/ip.js';

describe('parseIpEntry', () => {
  it.each([
    ['10.0.0.1', '10.0.0.1'],
    [' 10.0.0.1 ', '10.0.0.1'],
    ['2001:DB8::0:1', '2001:db8::1'],
    ['2001:db8:0:0:0:0:0:1', '2001:db8::1'],
    ['::ffff:1.2.3.4', '::ffff:102:304'],
    ['10.0.0.0/8', '10.0.0.0/8'],
    ['10.0.0.0/08', '10.0.0.0/8'],
    ['2001:DB8::/32', '2001:db8::/32'],
    ['192.168.1.10-192.168.1.20', '192.168.1.10-192.168.1.20'],
    ['192.168.1.10-192.168.1.10', '192.168.1.10-192.168.1.10'],
    ['::1-::FF', '::1-::ff'],
  ])('accepts %s as %s', (input, canonical) => {
    expect(parseIpEntry(input)).toEqual({ ok: true, canonical });
    expect(canonicalIp(input)).toBe(canonical);
  });

  it.each([
    ['', /empty/],
    ['abc', /not a valid IPv4 or IPv6/],
    ['256.1.1.1', /not a valid/],
    ['01.2.3.4', /not a valid/],
    ['fe80::1%eth0', /not a valid/],
    ['10.0.0.0/33', /prefix length \(0-32/],
    ['::/129', /prefix length \(0-128/],
    ['10.0.0.0/', /prefix/],
    ['10.0.0.0/8/8', /not a valid CIDR/],
    ['192.168.1.20-192.168.1.10', /starts after it ends/],
    ['1.2.3.4-::1', /mixes IPv4 and IPv6/],
    ['1.2.3.4-', /not a valid range/],
  ])('rejects %j', (input, reason) => {
    const r = parseIpEntry(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(reason);
  });

  it('sizes entries for widening checks', () => {
    expect(ipEntrySize('10.0.0.1')).toBe(1n);
    expect(ipEntrySize('10.0.0.0/24')).toBe(256n);
    expect(ipEntrySize('10.0.0.1-10.0.0.10')).toBe(10n);
    expect(ipEntrySize('::/64')).toBe(1n << 64n);
    expect(ipEntrySize('::1-::ff')).toBe(255n);
    expect(ipEntrySize('bogus')).toBe(0n);
  });
});
