/**
 * When a time-boxed exception or a waiver ends. `until` is a YAML date (`2026-12-31`: the
 * exception holds through that whole day, UTC, and ends at the next midnight UTC) or a
 * date-time with a zone (`2026-12-31T18:00:00+01:00`, `…Z`: it ends at that instant). "Now" is
 * always an input: the planner never reads a clock.
 */

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|z|[+-]\d{2}:\d{2})$/;

const DAY_MS = 86_400_000;

/** A parsed `until`. */
export interface Expiry {
  /** As written (shown in labels). */
  readonly text: string;
  /** The first instant (ms since the epoch) at which the exception no longer holds. */
  readonly endsAt: number;
}

/** A valid calendar day (2026-02-30 is not). */
function validDay(y: number, m: number, d: number): boolean {
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}

/** The expiry of an `until` value, or why it is not one. */
export function parseUntil(text: string): Expiry | { readonly problem: string } {
  const date = DATE.exec(text);
  if (date) {
    const [y, m, d] = [Number(date[1]), Number(date[2]), Number(date[3])];
    if (!validDay(y, m, d)) return { problem: `until "${text}" is not a calendar date` };
    return { text, endsAt: Date.UTC(y, m - 1, d) + DAY_MS };
  }
  const dt = DATE_TIME.exec(text);
  if (dt) {
    if (!validDay(Number(dt[1]), Number(dt[2]), Number(dt[3]))) return { problem: `until "${text}" is not a calendar date` };
    const ms = Date.parse(text.replace(' ', 'T'));
    if (Number.isFinite(ms)) return { text, endsAt: ms };
  }
  const zone = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2})?$/.test(text) ? ' (a date-time needs a zone: Z or +01:00)' : '';
  return { problem: `until "${text}" is not a date (2026-12-31) or a date-time with a zone (2026-12-31T18:00:00Z)${zone}` };
}

/** True when the value parsed. */
export const isExpiry = (e: Expiry | { readonly problem: string }): e is Expiry => 'endsAt' in e;

/** The expiry of a value already validated, or undefined for a value that does not parse. */
export function expiryOf(text: string | undefined): Expiry | undefined {
  if (text === undefined) return undefined;
  const e = parseUntil(text);
  return isExpiry(e) ? e : undefined;
}

/** True when the exception no longer holds at `now` (ms since the epoch). */
export const hasExpired = (e: Expiry, now: number): boolean => now >= e.endsAt;

/** Whole days (rounded up) from `now` to the end of the exception; 0 or less once expired. */
export const daysLeft = (e: Expiry, now: number): number => Math.ceil((e.endsAt - now) / DAY_MS);

/** "Now" given as an ISO date-time with a zone (`--now`, a saved plan's `now`), in ms; throws on anything else. */
export function parseNow(text: string): number {
  const dt = DATE_TIME.exec(text);
  const ms = dt ? Date.parse(text) : Number.NaN;
  if (!Number.isFinite(ms)) throw new RangeError(`"${text}" is not a date-time with a zone, e.g. 2027-01-01T00:00:00Z`);
  return ms;
}

/** `14d`, `36h`, `2w`: a window length in ms; throws on anything else. */
export function parseWindow(text: string): number {
  const m = /^(\d+)([hdw])$/.exec(text.trim());
  if (!m) throw new RangeError(`"${text}" is not a window such as 14d, 36h or 2w`);
  const unit = m[2] === 'h' ? 3_600_000 : m[2] === 'd' ? DAY_MS : 7 * DAY_MS;
  return Number(m[1]) * unit;
}

/**
 * The default `--expiring-within`: two weeks. A scheduled job that runs daily or weekly shows an
 * exception at least once (twice when weekly) before it ends, with a sprint's time to renew it
 * or plan its removal; shorter windows miss the weekly run, longer ones make the list noise.
 */
export const DEFAULT_EXPIRING_WITHIN = '14d';
