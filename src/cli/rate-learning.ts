import { describeLearnedLimit, memoryLimitStore } from '../api/index.js';
import type { LearnedLimit, LearnedLimitStore } from '../api/index.js';
import { LEARNED_LIMIT_SHARE } from '../api/rate-limiter.js';

/**
 * What `--rate-limit auto` learned in one run, per endpoint: each endpoint's client reads its
 * starting point from, and writes what it learns to, its store here. The live-state cache
 * (`--cache FILE`) restores remembered rates into it before the first request and asks it what
 * to remember at the end; without a cache the run learns from scratch and forgets.
 */
export interface RateLearning {
  /** The store of an endpoint's client (created on first use). */
  storeFor(endpoint: string): LearnedLimitStore;
  /** A rate the cache remembers for an endpoint: a limit the gateway stated in an earlier run, held from the start. */
  restore(endpoint: string, requestsPerSecond: number): void;
  /** The rate for the cache to remember: only one derived from a limit the gateway stated. */
  learned(endpoint: string): number | undefined;
  /** Everything learned or remembered, by endpoint (for --report). */
  all(): Readonly<Record<string, LearnedLimit>>;
  /** One line per endpoint, for the end of the run's output. */
  summary(): string[];
}

/** The learning of one run; `now` dates the remembered rates (epoch ms). */
export function rateLearning(now: () => number = Date.now): RateLearning {
  const stores = new Map<string, ReturnType<typeof memoryLimitStore>>();
  const storeFor = (endpoint: string): ReturnType<typeof memoryLimitStore> => {
    let store = stores.get(endpoint);
    if (!store) {
      store = memoryLimitStore();
      stores.set(endpoint, store);
    }
    return store;
  };
  const all = (): Record<string, LearnedLimit> => {
    const out: Record<string, LearnedLimit> = {};
    for (const [endpoint, store] of stores) if (store.current) out[endpoint] = store.current;
    return out;
  };
  return {
    storeFor,
    restore(endpoint, requestsPerSecond) {
      if (!(requestsPerSecond > 0) || storeFor(endpoint).current) return;
      // The cache keeps only rates learned from a stated limit: the limit is what the gateway said, per second.
      const stated = { requests: Math.round((requestsPerSecond / LEARNED_LIMIT_SHARE) * 1000) / 1000, perMs: 1000 };
      storeFor(endpoint).write({ requestsPerSecond, learnedAt: now(), stated });
    },
    learned: (endpoint) => {
      const current = stores.get(endpoint)?.current;
      return current?.stated ? current.requestsPerSecond : undefined;
    },
    all,
    summary: () =>
      [...stores].map(([endpoint, store]) => {
        const what = store.current ? describeLearnedLimit(store.current) : 'the starting budget: no 429 came back and the budget never held requests back';
        return `Request rate (--rate-limit auto) for ${endpoint}: ${what}`;
      }),
  };
}
