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

/** The WHATWG URL parser canonicalises IPv6 (lower case, zero compression, RFC 5952, embedded IPv4 in hex). */
const canonicalV6 = (s: string): string => new URL(`http://[${s}]/`).hostname.slice(1, -1);

/** One address (blanks around it allowed: "10.0.0.3 - 10.0.0.4"); a zone id (`%eth0`) is no address. */
function parseAddress(raw: string): Address | undefined {
  const s = raw.trim();
  if (isIPv4(s)) {
    const value = s.split('.').reduce((acc, octet) => (acc << 8n) | BigInt(Number(octet)), 0n);
    return { family: 4, text: s, value };
  }
  if (isIPv6(s) && !s.includes('%')) {
    const text = canonicalV6(s);
    return { family: 6, text, value: ipv6Value(text) };
  }
  return undefined;
}

/** The value of a canonical IPv6 text: hex groups only, at most one `::`. */
function ipv6Value(canonical: string): bigint {
  const [head, tail] = canonical.split('::');
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  // without `::` h holds all 8 groups and nothing is filled in
  const groups = [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n);
}

/** The canonical text of an address value (RFC 5952 for IPv6). */
function addressText(family: 4 | 6, value: bigint): string {
  if (family === 4) return [24n, 16n, 8n, 0n].map((shift) => Number((value >> shift) & 0xffn)).join('.');
  return canonicalV6([112n, 96n, 80n, 64n, 48n, 32n, 16n, 0n].map((shift) => ((value >> shift) & 0xffffn).toString(16)).join(':'));
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

/** An entry read once: what the validator is told, and the addresses it covers when it parses. */
interface ParsedEntry {
  readonly result: IpEntryResult;
  readonly range?: IpRange;
}

const refused = (reason: string): ParsedEntry => ({ result: { ok: false, reason } });

function parseEntry(entry: string): ParsedEntry {
  const s = entry.trim();
  if (s === '') return refused('empty IP entry');
  if (s.includes('/')) {
    // s holds a '/', so split gives two parts at least
    const [addr, prefix, ...extra] = s.split('/') as [string, string, ...string[]];
    const a = parseAddress(addr);
    if (!a || extra.length > 0) return refused(`"${entry}" is not a valid CIDR (address/prefix)`);
    const max = a.family === 4 ? 32 : 128;
    if (!/^\d{1,3}$/.test(prefix) || Number(prefix) > max) return refused(`"${entry}" has an invalid prefix length (0-${max} for IPv${a.family})`);
    const bits = BigInt(max - Number(prefix));
    const first = (a.value >> bits) << bits;
    const range: IpRange = { family: a.family, first, last: first + (1n << bits) - 1n };
    const canonical = `${addressText(a.family, first)}/${Number(prefix)}`;
    return { result: first === a.value ? { ok: true, canonical } : { ok: true, canonical, hostBitsSet: true }, range };
  }
  if (s.includes('-')) {
    // s holds a '-', so split gives two parts at least
    const [from, to, ...extra] = s.split('-') as [string, string, ...string[]];
    const a = parseAddress(from);
    const b = parseAddress(to);
    if (!a || !b || extra.length > 0) return refused(`"${entry}" is not a valid range (start-end)`);
    if (a.family !== b.family) return refused(`"${entry}" mixes IPv4 and IPv6`);
    if (a.value > b.value) return refused(`"${entry}" starts after it ends`);
    return { result: { ok: true, canonical: `${a.text}-${b.text}` }, range: { family: a.family, first: a.value, last: b.value } };
  }
  const a = parseAddress(s);
  if (!a) return refused(`"${entry}" is not a valid IPv4 or IPv6 address`);
  return { result: { ok: true, canonical: a.text }, range: { family: a.family, first: a.value, last: a.value } };
}

/** The addresses one entry covers: a single address, a CIDR (host bits ignored) or a range. */
export function ipRange(entry: string): IpRange | undefined {
  return parseEntry(entry).range;
}

/** Parses one client/exception IP entry. */
export function parseIpEntry(entry: string): IpEntryResult {
  return parseEntry(entry).result;
}

/** Canonical spelling of an entry, or the trimmed input when it does not parse. */
export function canonicalIp(entry: string): string {
  const r = parseIpEntry(entry);
  return r.ok ? r.canonical : entry.trim();
}
