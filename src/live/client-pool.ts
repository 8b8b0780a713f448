import type { ClientStats, DbssClient } from '../api/types.js';
import { ConfigError } from '../errors.js';

/**
 * The clients of one run, one per credential and endpoint: each owns that pair's rate budget
 * (a gateway throttles each access key on its own), so one credential's 429s never slow another.
 * Stages above the API ask the pool for a project's client and never build one themselves.
 */
export interface ClientPool {
  /** The client that signs `projectId`'s requests in `region`, created on first use of its credential and endpoint. */
  client(region: string, projectId: string): DbssClient;
  /** Counters summed over every client of the run. */
  stats(): ClientStats;
  /**
   * Checks now that the credentials of these projects can be read (a missing environment
   * variable is a ConfigError naming it), so a run stops before its first request. Absent: nothing to check.
   */
  checkCredentials?(projects: readonly { readonly region: string; readonly projectId: string }[]): void;
  /** Closes every client. */
  close(): Promise<void>;
}

/** How a pool keys and builds its clients. */
export interface ClientPoolParts {
  /** The key of the client that serves a project (its credential and endpoint); default: the region. */
  readonly keyOf?: (region: string, projectId: string) => string;
  /** Reads the credentials of a project, throwing when they cannot be read (ClientPool.checkCredentials). */
  readonly checkCredentials?: (region: string, projectId: string) => void;
}

/** A pool that builds clients with `create` on first use of a key (see ClientPoolParts). */
export function createClientPool(create: (region: string, projectId: string) => DbssClient, parts: ClientPoolParts = {}): ClientPool {
  const keyOf = parts.keyOf ?? ((region: string) => region);
  const clients = new Map<string, DbssClient>();
  const check = parts.checkCredentials;
  return {
    client(region, projectId) {
      const key = keyOf(region, projectId);
      let c = clients.get(key);
      if (!c) {
        c = create(region, projectId);
        clients.set(key, c);
      }
      return c;
    },
    ...(check ? { checkCredentials: (projects: readonly { region: string; projectId: string }[]) => checkAll(projects, check) } : {}),
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

/** Checks every project, then throws one ConfigError listing each distinct problem (every missing variable at once). */
function checkAll(projects: readonly { region: string; projectId: string }[], check: (region: string, projectId: string) => void): void {
  const problems = new Set<string>();
  for (const p of projects) {
    try {
      check(p.region, p.projectId);
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      problems.add(err.message);
    }
  }
  if (problems.size === 1) throw new ConfigError([...problems][0]!);
  if (problems.size > 1) throw new ConfigError(`the credentials of this run cannot be read; nothing was sent:\n${[...problems].map((p) => `  ${p}`).join('\n')}`);
}
