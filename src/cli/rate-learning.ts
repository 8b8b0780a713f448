import { describeLearnedLimit, memoryLimitStore } from '../api/index.js';
import type { LearnedLimit, LearnedLimitStore, RateLimit } from '../api/index.js';
import { budgetBounds, LEARNED_LIMIT_SHARE } from '../api/rate-limiter.js';

/**
 * A remembered rate older than this is not used: the next run learns again (a gateway's limit
 * can change, and a rate learned from a bad day must not outlive it).
 */
export const LEARNED_LIMIT_TTL_MS = 24 * 3_600_000;

/** The rate the live-state cache keeps for an endpoint, and when it was learned. */
export interface RememberedRate {
  /** Requests per second, derived from a limit the gateway stated. */
  readonly requestsPerSecond: number;
  /** When the gateway stated it (epoch ms): a rate used again keeps its first date, so it expires. */
  readonly learnedAt: number;
}

/**
 * What `--rate-limit auto` learned in one run, per endpoint: each endpoint's client reads its
 * starting point from, and writes what it learns to, its store here. The live-state cache
 * (`--cache FILE`) restores remembered rates into it before the first request and asks it what
 * to remember at the end; without a cache the run learns from scratch and forgets. Only a rate
 * within the budget's bounds (budgetBounds of the starting budget) and younger than
 * LEARNED_LIMIT_TTL_MS is restored or remembered.
 */
export interface RateLearning {
  /** The store of an endpoint's client (created on first use). */
  storeFor(endpoint: string): LearnedLimitStore;
  /** A rate the cache remembers for an endpoint: a limit the gateway stated in an earlier run, held from the start. */
  restore(endpoint: string, requestsPerSecond: number, learnedAt: number): void;
  /** The rate for the cache to remember: only one derived from a limit the gateway stated, within bounds. */
  learned(endpoint: string): RememberedRate | undefined;
  /** Everything learned or remembered, by endpoint (for --report). */
  all(): Readonly<Record<string, LearnedLimit>>;
  /** One line per endpoint, for the end of the run's output. */
  summary(): string[];
}

/** The learning of one run that starts every endpoint at `start`; `now` dates the run (epoch ms). */
export function rateLearning(start: RateLimit, now: () => number = Date.now): RateLearning {
  const bounds = budgetBounds(start);
  const stores = new Map<string, ReturnType<typeof memoryLimitStore>>();
  const unused = new Map<string, string>(); // endpoint → why the cache's rate was not used
  const storeFor = (endpoint: string): ReturnType<typeof memoryLimitStore> => {
    let store = stores.get(endpoint);
    if (!store) {
      store = memoryLimitStore();
      stores.set(endpoint, store);
    }
    return store;
  };
  const outOfBounds = (requestsPerSecond: number): string | undefined =>
    requestsPerSecond < bounds.floorPerSecond
      ? `below the floor of ${round(bounds.floorPerSecond)}/s`
      : requestsPerSecond > bounds.capPerSecond
        ? `above the cap of ${round(bounds.capPerSecond)}/s`
        : undefined;
  const all = (): Record<string, LearnedLimit> => {
    const out: Record<string, LearnedLimit> = {};
    for (const [endpoint, store] of stores) if (store.current) out[endpoint] = store.current;
    return out;
  };
  return {
    storeFor,
    restore(endpoint, requestsPerSecond, learnedAt) {
      if (!(requestsPerSecond > 0) || storeFor(endpoint).current) return;
      const age = now() - learnedAt;
      const dated = typeof learnedAt === 'number' && Number.isFinite(learnedAt);
      const why = outOfBounds(requestsPerSecond) ?? (!dated ? 'undated' : age < 0 ? 'dated in the future' : age > LEARNED_LIMIT_TTL_MS ? 'older than 24 h' : undefined);
      if (why !== undefined) {
        unused.set(endpoint, `the cache's ${round(requestsPerSecond)}/s was not used (${why})`);
        return;
      }
      // The cache keeps only rates learned from a stated limit: the limit is what the gateway said, per second.
      const stated = { requests: Math.round((requestsPerSecond / LEARNED_LIMIT_SHARE) * 1000) / 1000, perMs: 1000 };
      storeFor(endpoint).write({ requestsPerSecond, learnedAt, stated });
    },
    learned: (endpoint) => {
      const current = stores.get(endpoint)?.current;
      if (!current?.stated || current.belowFloor || outOfBounds(current.requestsPerSecond) !== undefined) return undefined;
      return { requestsPerSecond: current.requestsPerSecond, learnedAt: current.learnedAt };
    },
    all,
    summary: () =>
      [...stores].map(([endpoint, store]) => {
        const what = store.current ? describeLearnedLimit(store.current) : 'the starting budget: no 429 came back and the budget never held requests back';
        const note = unused.get(endpoint);
        return `Request rate (--rate-limit auto) for ${endpoint}: ${what}${note ? `; ${note}` : ''}`;
      }),
  };
}

const round = (n: number): string => String(Math.round(n * 100) / 100);
