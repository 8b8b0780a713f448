/**
 * An IP entry as it is validated and sent: blanks around the entry and around its `-` (range)
 * or `/` (prefix) removed, so `10.0.0.3 - 10.0.0.4` is sent as `10.0.0.3-10.0.0.4` — the
 * API's comma-joined `client_ips` has no room for blanks, and a blank inside an address is
 * still refused by the validator.
 */
export function tidyIpEntry(entry: string): string {
  return entry.trim().replace(/\s*([-/])\s*/g, '$1');
}
