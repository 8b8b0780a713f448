import type { RateLimit } from './rate-limit.js';

/**
 * The request rate `--rate-limit auto` learned for one endpoint: what the client paces at,
 * and, once the gateway answered 429 APIG.0308, the limit it stated. Plain data, so that the
 * live-state cache (`--cache FILE`) can keep it between runs; it never holds credentials.
 */
export interface LearnedLimit {
  /** The rate the client paces at, requests per second (positive). */
  readonly requestsPerSecond: number;
  /** When it was learned (epoch ms of the client's clock). */
  readonly learnedAt: number;
  /**
   * The limit the gateway stated in its 429 answer (`limit:N,time:1 minute`). Absent while the
   * client only probed upward and no 429 came back: then `requestsPerSecond` is the highest
   * rate that went through, not a limit.
   */
  readonly stated?: RateLimit;
  /**
   * The stated limit is below the budget's floor (a tenth of the starting budget, see
   * budgetBounds): not believed, so `requestsPerSecond` is the floor and nothing is remembered.
   */
  readonly belowFloor?: boolean;
  /** 429 answers the client got in this run (absent: none); never persisted. */
  readonly throttledAnswers?: number;
}

/**
 * Where a client reads the rate it starts from and writes what it learns: the read/write API
 * the live-state cache persists. One store per endpoint.
 */
export interface LearnedLimitStore {
  /** The limit remembered from an earlier run, if any. */
  read(): LearnedLimit | undefined;
  /** Called whenever the client learns something new (a stated limit, or a higher probed rate). */
  write(limit: LearnedLimit): void;
}

/** A store that remembers within one run only: `--rate-limit auto` without a cache file. */
export function memoryLimitStore(initial?: LearnedLimit): LearnedLimitStore & { readonly current: LearnedLimit | undefined } {
  let current = initial;
  return {
    get current() {
      return current;
    },
    read: () => current,
    write: (limit) => {
      current = limit;
    },
  };
}

const isPositive = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x) && x > 0;

/**
 * A remembered limit read from a file someone else wrote (the cache): anything malformed reads
 * as "nothing remembered", never as an error, so a bad cache only costs the probing again.
 */
export function parseLearnedLimit(data: unknown): LearnedLimit | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const d = data as Record<string, unknown>;
  if (!isPositive(d['requestsPerSecond']) || typeof d['learnedAt'] !== 'number') return undefined;
  const s = d['stated'] as Record<string, unknown> | undefined;
  const stated = s && typeof s === 'object' && isPositive(s['requests']) && isPositive(s['perMs']) ? { requests: s['requests'], perMs: s['perMs'] } : undefined;
  return { requestsPerSecond: d['requestsPerSecond'], learnedAt: d['learnedAt'], ...(stated ? { stated } : {}) };
}

/** `47.5/s (the gateway states 50 per second)` and the like, for summaries. */
export function describeLearnedLimit(limit: LearnedLimit): string {
  const rate = `${round(limit.requestsPerSecond)}/s`;
  const n = limit.throttledAnswers ?? 0;
  const answers = `${n} answer${n === 1 ? '' : 's'} 429`;
  if (!limit.stated) {
    return n === 0 ? `${rate} (probed upward, the gateway has not throttled yet)` : `${rate} (${answers} stated no limit; the rate was halved from there)`;
  }
  const { requests, perMs } = limit.stated;
  const states = `the gateway states ${requests} per ${windowText(perMs)}`;
  if (limit.belowFloor) return `${rate}, the floor (${states} in ${answers}: below the floor, not believed and not remembered)`;
  return `${rate} (${states})`;
}

const WINDOWS: Readonly<Record<number, string>> = { 1000: 'second', 60_000: 'minute', 3_600_000: 'hour', 86_400_000: 'day' };
const windowText = (perMs: number): string => WINDOWS[perMs] ?? `${perMs} ms`;
const round = (n: number): string => String(Math.round(n * 100) / 100);
