import { isIPv4, isIPv6 } from 'node:net';

/**
 * Client and exception IP entries: a single address, a CIDR (`addr/nn`) or a range (`a-b`),
 * IPv4 or IPv6. Parsing yields a canonical text so that the planner compares entries by
 * meaning (`2001:DB8::0:1` equals `2001:db8::1`), and the validator gets a precise reason.
 */
export type IpEntryResult =
  | { readonly ok: true; /** Canonical spelling. */ readonly canonical: string }
  | { readonly ok: false; /** Why the entry is malformed. */ readonly reason: string };

interface Address {
  readonly family: 4 | 6;
  readonly text: string;
  readonly value: bigint;
}

function parseAddress(raw: string): Address | undefined {
  const s = raw.trim();
  if (isIPv4(s)) {
    const value = s.split('.').reduce((acc, octet) => (acc << 8n) | BigInt(Number(octet)), 0n);
    return { family: 4, text: s, value };
  }
  if (isIPv6(s) && !s.includes('%')) {
    // The WHATWG URL parser canonicalises IPv6 (lower case, zero compression, RFC 5952).
    const text = new URL(`http://[${s}]/`).hostname.slice(1, -1);
    return { family: 6, text, value: ipv6Value(text) };
  }
  return undefined;
}

function ipv6Value(canonical: string): bigint {
  let text = canonical;
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4?.[1]) {
    const a = parseAddress(v4[1]);
    const hi = Number(((a?.value ?? 0n) >> 16n) & 0xffffn).toString(16);
    const lo = Number((a?.value ?? 0n) & 0xffffn).toString(16);
    text = `${text.slice(0, -v4[1].length)}${hi}:${lo}`;
  }
  const [head = '', tail] = text.split('::');
  const h = head ? head.split(':') : [];
  const t = tail !== undefined && tail !== '' ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n);
}

/** Parses one client/exception IP entry. */
export function parseIpEntry(entry: string): IpEntryResult {
  const s = entry.trim();
  if (s === '') return { ok: false, reason: 'empty IP entry' };
  if (s.includes('/')) {
    const [addr = '', prefix = '', ...extra] = s.split('/');
    const a = parseAddress(addr);
    if (!a || extra.length > 0) return { ok: false, reason: `"${entry}" is not a valid CIDR (address/prefix)` };
    const max = a.family === 4 ? 32 : 128;
    if (!/^\d{1,3}$/.test(prefix) || Number(prefix) > max) {
      return { ok: false, reason: `"${entry}" has an invalid prefix length (0-${max} for IPv${a.family})` };
    }
    return { ok: true, canonical: `${a.text}/${Number(prefix)}` };
  }
  if (s.includes('-')) {
    const [from = '', to = '', ...extra] = s.split('-');
    const a = parseAddress(from);
    const b = parseAddress(to);
    if (!a || !b || extra.length > 0) return { ok: false, reason: `"${entry}" is not a valid range (start-end)` };
    if (a.family !== b.family) return { ok: false, reason: `"${entry}" mixes IPv4 and IPv6` };
    if (a.value > b.value) return { ok: false, reason: `"${entry}" starts after it ends` };
    return { ok: true, canonical: `${a.text}-${b.text}` };
  }
  const a = parseAddress(s);
  if (!a) return { ok: false, reason: `"${entry}" is not a valid IPv4 or IPv6 address` };
  return { ok: true, canonical: a.text };
}

/** Canonical spelling of an entry, or the trimmed input when it does not parse. */
export function canonicalIp(entry: string): string {
  const r = parseIpEntry(entry);
  return r.ok ? r.canonical : entry.trim();
}

/** Number of addresses an entry covers (for "wider IPs" weakening checks); 0 when malformed. */
export function ipEntrySize(entry: string): bigint {
  const s = entry.trim();
  if (s.includes('/')) {
    const [addr = '', prefix = ''] = s.split('/');
    const a = parseAddress(addr);
    return a ? 1n << BigInt((a.family === 4 ? 32 : 128) - Number(prefix)) : 0n;
  }
  if (s.includes('-')) {
    const [from = '', to = ''] = s.split('-');
    const a = parseAddress(from);
    const b = parseAddress(to);
    return a && b && b.value >= a.value ? b.value - a.value + 1n : 0n;
  }
  return parseAddress(s) ? 1n : 0n;
}
