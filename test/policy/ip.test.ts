import { describe, expect, it } from 'vitest';
import { ipsCover, uncoveredIps } from '../../src/policy/ip-coverage.js';
import { canonicalIp, ipRange, parseIpEntry } from '../../src/policy/ip.js';

/** Addresses an entry covers, through ipRange (what the "wider IPs" review compares); 0 when malformed. */
function ipEntrySize(entry: string): bigint {
  const r = ipRange(entry);
  return r ? r.last - r.first + 1n : 0n;
}

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

describe('entries pinned down to the address', () => {
  it.each([
    ['1.2.3.4', { family: 4, first: 0x01020304n, last: 0x01020304n }],
    ['255.255.255.255/32', { family: 4, first: 0xffffffffn, last: 0xffffffffn }],
    ['255.255.255.255/31', { family: 4, first: 0xfffffffen, last: 0xffffffffn }],
    ['1:2:3:4:5:6:7:8', { family: 6, first: 0x00010002000300040005000600070008n, last: 0x00010002000300040005000600070008n }],
    ['1::', { family: 6, first: 1n << 112n, last: 1n << 112n }],
    ['1::8', { family: 6, first: (1n << 112n) | 8n, last: (1n << 112n) | 8n }],
    ['::', { family: 6, first: 0n, last: 0n }],
    ['::ffff:1.2.3.4', { family: 6, first: 0xffff01020304n, last: 0xffff01020304n }],
    ['2001:db8::1/128', { family: 6, first: (0x20010db8n << 96n) | 1n, last: (0x20010db8n << 96n) | 1n }],
    ['2001:db8::1/127', { family: 6, first: 0x20010db8n << 96n, last: (0x20010db8n << 96n) | 1n }],
    ['::1-::ff', { family: 6, first: 1n, last: 0xffn }],
    [' 10.0.0.3 - 10.0.0.4 ', { family: 4, first: 0x0a000003n, last: 0x0a000004n }],
  ])('%s covers exactly its addresses', (entry, range) => {
    expect(ipRange(entry)).toEqual(range);
  });

  it.each(['', 'bogus', '10.0.0.0/33', '10.0.0.0/x', 'bogus/8', '10.0.0.9-10.0.0.1', '1.2.3.4-::1', '1.1.1.1-1.1.1.2-1.1.1.3'])('%j covers nothing', (entry) => {
    expect(ipRange(entry)).toBeUndefined();
  });
});

describe('canonical spellings', () => {
  it.each([
    // blanks around a range's dash are tidied away, so the API never sees them
    ['10.0.0.3 - 10.0.0.4', '10.0.0.3-10.0.0.4'],
    ['2001:DB8::1 - 2001:DB8::0:9', '2001:db8::1-2001:db8::9'],
    ['1:0:0:0:0:0:0:8', '1::8'],
    ['0:0:0:0:0:0:0:0', '::'],
    ['1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7:8'],
    ['10.0.0.1/32', '10.0.0.1/32'],
    ['::1/128', '::1/128'],
    ['::/0', '::/0'],
    ['0.0.0.0/0', '0.0.0.0/0'],
    ['10.0.0.0/008', '10.0.0.0/8'],
  ])('%s is spelled %s', (input, canonical) => {
    expect(parseIpEntry(input)).toEqual({ ok: true, canonical });
    expect(canonicalIp(input)).toBe(canonical);
  });

  it('keeps an entry that does not parse as written, trimmed', () => {
    expect(canonicalIp(' bogus ')).toBe('bogus');
    expect(canonicalIp(' 10.0.0.0/33 ')).toBe('10.0.0.0/33');
  });

  it.each([
    ['1.2.3.4/8', '1.0.0.0/8'],
    ['1.2.3.4/31', '1.2.3.4/31', false],
    ['1.2.3.5/31', '1.2.3.4/31'],
    ['255.255.255.255/1', '128.0.0.0/1'],
    ['2001:db8:1:2:3:4:5:6/112', '2001:db8:1:2:3:4:5:0/112'],
    ['2001:db8:1:2:3:4:5:6/127', '2001:db8:1:2:3:4:5:6/127', false],
    ['::ffff:1.2.3.4/120', '::ffff:102:300/120'],
    ['1:2:3:4:5:6:7:8/16', '1::/16'],
  ])('%s is the network %s', (input, network, hostBits = true) => {
    expect(parseIpEntry(input)).toEqual(hostBits ? { ok: true, canonical: network, hostBitsSet: true } : { ok: true, canonical: network });
  });
});

describe('refusals, with the exact reason', () => {
  it.each([
    ['', 'empty IP entry'],
    ['   ', 'empty IP entry'],
    ['bogus', '"bogus" is not a valid IPv4 or IPv6 address'],
    ['bogus/8', '"bogus/8" is not a valid CIDR (address/prefix)'],
    ['10.0.0.0/8/8', '"10.0.0.0/8/8" is not a valid CIDR (address/prefix)'],
    ['10.0.0.0/x8', '"10.0.0.0/x8" has an invalid prefix length (0-32 for IPv4)'],
    ['10.0.0.0/8x', '"10.0.0.0/8x" has an invalid prefix length (0-32 for IPv4)'],
    ['10.0.0.0/-1', '"10.0.0.0/-1" has an invalid prefix length (0-32 for IPv4)'],
    ['10.0.0.0/0008', '"10.0.0.0/0008" has an invalid prefix length (0-32 for IPv4)'],
    ['10.0.0.0/33', '"10.0.0.0/33" has an invalid prefix length (0-32 for IPv4)'],
    ['::/129', '"::/129" has an invalid prefix length (0-128 for IPv6)'],
    ['::/', '"::/" has an invalid prefix length (0-128 for IPv6)'],
    ['1.1.1.1-1.1.1.2-1.1.1.3', '"1.1.1.1-1.1.1.2-1.1.1.3" is not a valid range (start-end)'],
    ['-1.1.1.1', '"-1.1.1.1" is not a valid range (start-end)'],
    ['1.1.1.1-bogus', '"1.1.1.1-bogus" is not a valid range (start-end)'],
    ['::1-1.2.3.4', '"::1-1.2.3.4" mixes IPv4 and IPv6'],
    ['::2-::1', '"::2-::1" starts after it ends'],
  ])('%j: %s', (input, reason) => {
    expect(parseIpEntry(input)).toEqual({ ok: false, reason });
  });
});

describe('ipEntrySize at the edges', () => {
  it.each([
    ['10.0.0.1/32', 1n],
    ['10.0.0.0/31', 2n],
    ['0.0.0.0/0', 1n << 32n],
    ['::1/128', 1n],
    ['::/0', 1n << 128n],
    ['10.20.0.5/16', 65536n],
    ['10.0.0.4-10.0.0.4', 1n],
    [' 10.0.0.3 - 10.0.0.4 ', 2n],
    ['::1', 1n],
  ])('%s covers %s addresses', (entry, size) => {
    expect(ipEntrySize(entry)).toBe(size);
  });

  // every malformed entry sizes as 0 (a prefix that is no number used to throw a RangeError)
  it.each(['', 'bogus', 'bogus/8', '10.0.0.0/33', '10.0.0.0/x', '10.0.0.9-10.0.0.1', '1.2.3.4-::1'])('%j covers 0', (entry) => {
    expect(ipEntrySize(entry)).toBe(0n);
  });
});
