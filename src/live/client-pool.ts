import type { ClientStats, DbssClient } from '../api/types.js';

/**
 * The clients of one run, one per region endpoint (each owns that endpoint's rate budget).
 * Stages above the API ask the pool for a region's client and never build one themselves.
 */
export interface ClientPool {
  /** The client of a region, created on first use. */
  client(region: string): DbssClient;
  /** Counters summed over every client of the run. */
  stats(): ClientStats;
  /** Closes every client. */
  close(): Promise<void>;
}

/** A pool that builds clients with `create` on first use of a region. */
export function createClientPool(create: (region: string) => DbssClient): ClientPool {
  const clients = new Map<string, DbssClient>();
  return {
    client(region) {
      let c = clients.get(region);
      if (!c) {
        c = create(region);
        clients.set(region, c);
      }
      return c;
    },
    stats() {
      const byOperation: Record<string, number> = {};
      let requests = 0;
      let retries = 0;
      let throttled = 0;
      for (const c of clients.values()) {
        const s = c.stats();
        requests += s.requests;
        retries += s.retries;
        throttled += s.throttled;
        for (const [op, n] of Object.entries(s.byOperation)) byOperation[op] = (byOperation[op] ?? 0) + n;
      }
      return { requests, retries, throttled, byOperation };
    },
    async close() {
      await Promise.all([...clients.values()].map((c) => c.close()));
      clients.clear();
    },
  };
}
