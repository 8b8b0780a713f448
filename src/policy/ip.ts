import { isIPv4, isIPv6 } from 'node:net';

/**
 * Client and exception IP entries: a single address, a CIDR (`addr/nn`) or a range (`a-b`),
 * IPv4 or IPv6. Parsing yields a canonical text so that the planner compares entries by
 * meaning (`2001:DB8::0:1` equals `2001:db8::1`), and the validator gets a precise reason.
 */
export type IpEntryResult =
  | {
      readonly ok: true;
      /** Canonical spelling; a CIDR with host bits set is spelled as the network it means. */
      readonly canonical: string;
      /** The entry was a CIDR with host bits set (`10.20.0.5/16`): worth a warning naming `canonical`. */
      readonly hostBitsSet?: true;
    }
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

/** The canonical text of an address value (RFC 5952 for IPv6, via parseAddress). */
function addressText(family: 4 | 6, value: bigint): string {
  if (family === 4) return [24n, 16n, 8n, 0n].map((shift) => Number((value >> shift) & 0xffn)).join('.');
  const groups = [112n, 96n, 80n, 64n, 48n, 32n, 16n, 0n].map((shift) => ((value >> shift) & 0xffffn).toString(16));
  return parseAddress(groups.join(':'))?.text ?? groups.join(':');
}

/** The inclusive address range an entry covers, or undefined when it does not parse. */
export interface IpRange {
  /** 4 or 6: ranges of different families never overlap. */
  readonly family: 4 | 6;
  /** First address covered. */
  readonly first: bigint;
  /** Last address covered. */
  readonly last: bigint;
}

/** The addresses one entry covers: a single address, a CIDR (host bits ignored) or a range. */
export function ipRange(entry: string): IpRange | undefined {
  if (!parseIpEntry(entry).ok) return undefined;
  const s = entry.trim();
  if (s.includes('/')) {
    const [addr = '', prefix = ''] = s.split('/');
    const a = parseAddress(addr)!;
    const bits = BigInt((a.family === 4 ? 32 : 128) - Number(prefix));
    const first = (a.value >> bits) << bits;
    return { family: a.family, first, last: first + (1n << bits) - 1n };
  }
  if (s.includes('-')) {
    const [from = '', to = ''] = s.split('-');
    const a = parseAddress(from)!;
    return { family: a.family, first: a.value, last: parseAddress(to)!.value };
  }
  const a = parseAddress(s)!;
  return { family: a.family, first: a.value, last: a.value };
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
    const bits = BigInt(max - Number(prefix));
    const network = (a.value >> bits) << bits;
    if (network === a.value) return { ok: true, canonical: `${a.text}/${Number(prefix)}` };
    return { ok: true, canonical: `${addressText(a.family, network)}/${Number(prefix)}`, hostBitsSet: true };
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
