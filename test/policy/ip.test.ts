import { describe, expect, it } from 'vitest';
import { ipsCover, uncoveredIps } from '../../src/policy/ip-coverage.js';
import { canonicalIp, ipEntrySize, ipRange, parseIpEntry } from '../../src/policy/ip.js';

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

describe('host bits in a CIDR', () => {
  it.each([
    ['10.20.0.5/16', '10.20.0.0/16'],
    ['10.0.0.255/24', '10.0.0.0/24'],
    ['2001:db8::1/64', '2001:db8::/64'],
    ['2001:DB8:1:2:3:4:5:6/32', '2001:db8::/32'],
  ])('%s means %s', (input, network) => {
    expect(parseIpEntry(input)).toEqual({ ok: true, canonical: network, hostBitsSet: true });
  });

  it.each(['10.0.0.1/32', '::1/128', '10.0.0.0/8', '0.0.0.0/0', '::/0'])('%s has none', (input) => {
    expect(parseIpEntry(input)).not.toHaveProperty('hostBitsSet');
  });
});

describe('ipRange', () => {
  it('covers single addresses, CIDRs (host bits ignored) and ranges, IPv4 and IPv6', () => {
    expect(ipRange('10.0.0.1')).toEqual({ family: 4, first: 0x0a000001n, last: 0x0a000001n });
    expect(ipRange('10.0.0.1/32')).toEqual({ family: 4, first: 0x0a000001n, last: 0x0a000001n });
    expect(ipRange('10.20.0.5/16')).toEqual({ family: 4, first: 0x0a140000n, last: 0x0a14ffffn });
    expect(ipRange('0.0.0.0/0')).toEqual({ family: 4, first: 0n, last: 0xffffffffn });
    expect(ipRange('10.0.0.1-10.0.0.3')).toEqual({ family: 4, first: 0x0a000001n, last: 0x0a000003n });
    expect(ipRange('::1/128')).toEqual({ family: 6, first: 1n, last: 1n });
    expect(ipRange('2001:db8::/32')).toEqual({ family: 6, first: 0x20010db8n << 96n, last: (0x20010db8n << 96n) + (1n << 96n) - 1n });
    expect(ipRange('::/0')).toEqual({ family: 6, first: 0n, last: (1n << 128n) - 1n });
    expect(ipRange('bogus')).toBeUndefined();
  });
});

describe('uncoveredIps / ipsCover', () => {
  it.each([
    [['10.0.0.0/8'], ['10.20.0.0/16'], true],
    [['10.20.0.0/16'], ['10.0.0.0/8'], false],
    [['10.0.0.0-10.0.0.127', '10.0.0.128/25'], ['10.0.0.0/24'], true],
    [['10.0.0.0-10.0.0.126', '10.0.0.128/25'], ['10.0.0.0/24'], false],
    [['10.0.0.0/24', '10.0.1.0/24'], ['10.0.0.250-10.0.1.3'], true],
    [['10.0.0.1'], ['10.0.0.1/32'], true],
    [['::1'], ['::1/128'], true],
    [['::/0'], ['10.0.0.1'], false],
    [['0.0.0.0/0'], ['::1'], false],
    [['2001:db8::/32'], ['2001:db8:ffff::/48', '2001:db8::1-2001:db8::9'], true],
    [['2001:db8::/33'], ['2001:db8:ffff::/48'], false],
    [['bogus'], ['bogus'], true],
    [[], ['10.0.0.1'], false],
  ])('%j covers %j: %s', (wide, narrow, expected) => {
    expect(ipsCover(wide, narrow)).toBe(expected);
  });

  it('names the uncovered entries in their order', () => {
    expect(uncoveredIps(['10.0.0.1', '192.168.0.0/16', '10.1.0.0/16', '::1'], ['10.0.0.0/8'])).toEqual(['192.168.0.0/16', '::1']);
  });
});
