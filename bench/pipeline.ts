import { AkSkCredentials, createDbssClient } from '../src/api/index.js';
import type { ClientStats, RateLimit } from '../src/api/index.js';
import { createClientPool } from '../src/live/client-pool.js';
import type { ClientPool } from '../src/live/client-pool.js';
import type { RunInputs } from '../src/run/reconcile.js';
import { toolVersion } from '../src/version.js';

/** How the benchmark's client is set up (as `openSession` sets up the CLI's). */
export interface BenchClientSettings {
  /** Emulator URL. */
  readonly endpoint: string;
  /** Access key and secret the emulator accepts. */
  readonly credential: { readonly ak: string; readonly sk: string };
  /** The client's request budget (`--rate-limit`). */
  readonly rateLimit: RateLimit;
  /** Requests in flight (`--concurrency`). */
  readonly concurrency: number;
}

/** Client events seen during a run. */
export interface EventTally {
  /** `throttled` events (429 answers). */
  throttled: number;
  /** `retrying` events (5xx, resets, timeouts). */
  retrying: number;
  /** The lowest rate the client slowed to after a 429, requests per second. */
  lowestRate?: number;
}

/** A client pool built like the CLI's, plus a tally of its events. */
export function benchPool(s: BenchClientSettings): { pool: ClientPool; events: EventTally } {
  const events: EventTally = { throttled: 0, retrying: 0 };
  const credentials = new AkSkCredentials({ accessKey: s.credential.ak, secretKey: s.credential.sk });
  const pool = createClientPool((region) =>
    createDbssClient({
      region,
      credentials,
      endpoint: s.endpoint,
      rateLimit: s.rateLimit,
      concurrency: s.concurrency,
      onEvent: (e) => {
        if (e.type === 'throttled') {
          events.throttled++;
          events.lowestRate = Math.min(events.lowestRate ?? Infinity, e.requestsPerSecond);
        } else if (e.type === 'retrying') events.retrying++;
      },
    }),
  );
  return { pool, events };
}

/** RunInputs as the CLI builds them for `--policies dir` with default safety thresholds. */
export function benchInputs(policiesDir: string, pool: ClientPool): RunInputs {
  return { policiesDir, cwd: policiesDir, pool, instances: [], planOptions: { toolVersion: toolVersion() } };
}

/** Requests sent between two stats snapshots of a pool. */
export function requestsBetween(before: ClientStats, after: ClientStats): { requests: number; retries: number; throttled: number } {
  return {
    requests: after.requests - before.requests,
    retries: after.retries - before.retries,
    throttled: after.throttled - before.throttled,
  };
}

/** Runs `fn` and returns its result with the wall time in ms. */
export async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - started };
}
