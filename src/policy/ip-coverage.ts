import type { IpRange } from './ip.js';
import { canonicalIp, ipRange } from './ip.js';

/**
 * Address coverage of IP lists, for the review of client_ips / exception_ips changes: a list
 * covers the union of its entries' ranges, so `10.0.0.0/8` covers `10.20.0.0/16`, and
 * `10.0.0.0-10.0.0.127` plus `10.0.0.128/25` together cover `10.0.0.0/24`. Values are BigInt so
 * IPv4 and IPv6 share one code path; the families never cover each other.
 */

/** Sorted, disjoint, non-adjacent ranges of one family. */
function merged(ranges: readonly IpRange[], family: 4 | 6): IpRange[] {
  const sorted = ranges.filter((r) => r.family === family).sort((a, b) => (a.first < b.first ? -1 : a.first > b.first ? 1 : 0));
  const out: IpRange[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r.first <= last.last + 1n) {
      if (r.last > last.last) out[out.length - 1] = { family, first: last.first, last: r.last };
    } else {
      out.push(r);
    }
  }
  return out;
}

/**
 * The entries of `entries` that `by` does not fully cover, in their order. An entry that does
 * not parse is covered only by the same spelling (validation reports it anyway).
 */
export function uncoveredIps(entries: readonly string[], by: readonly string[]): string[] {
  const ranges = by.map(ipRange).filter((r): r is IpRange => r !== undefined);
  const union = { 4: merged(ranges, 4), 6: merged(ranges, 6) };
  const spellings = new Set(by.map(canonicalIp));
  return entries.filter((entry) => {
    const r = ipRange(entry);
    if (!r) return !spellings.has(canonicalIp(entry));
    return !union[r.family].some((u) => u.first <= r.first && r.last <= u.last);
  });
}

/** True when the list `wide` covers every address `narrow` covers. */
export function ipsCover(wide: readonly string[], narrow: readonly string[]): boolean {
  return uncoveredIps(narrow, wide).length === 0;
}
