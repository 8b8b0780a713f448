import { ConfigError } from '../errors.js';
import type { Clock } from './clock.js';
import type { Credentials } from './credentials.js';
import type { LearnedLimitStore } from './learned-limit.js';
import type { SendCutoff } from './request-deadline.js';
import { DEFAULT_RATE_LIMIT, type RateLimit } from './rate-limit.js';
import type { BackoffOptions } from './retry.js';
import { DEFAULT_SETTLE_MS, MAX_SETTLE_MS } from './settle.js';

/** Progress of a client, for a CLI's status line. Messages never contain secrets. */
export type ClientEvent =
  | {
      /** The gateway answered 429; the request waits, then is retried, and the client slows down (once per throttling episode). */
      readonly type: 'throttled';
      /** Client operation. */
      readonly operation: string;
      /** Attempt number that was throttled (1-based). */
      readonly attempt: number;
      /** Wait before the next attempt, in ms. */
      readonly delayMs: number;
      /** The client's request rate after this 429 (slowed down, or as an earlier 429 of the episode left it), per second. */
      readonly requestsPerSecond: number;
      /** One-line human description. */
      readonly message: string;
    }
  | {
      /** An attempt failed in a retryable way (5xx, reset, timeout); it is retried after a delay. */
      readonly type: 'retrying';
      /** Client operation. */
      readonly operation: string;
      /** Attempt number that failed (1-based). */
      readonly attempt: number;
      /** Wait before the next attempt, in ms. */
      readonly delayMs: number;
      /** The failure's code (DBSS.*, APIG.*, or a transport code such as ECONNREFUSED). */
      readonly errorCode?: string;
      /** One-line human description, including the failure. */
      readonly message: string;
    }
  | {
      /** A request waits at least a second for the rate budget. */
      readonly type: 'waiting';
      /** Client operation. */
      readonly operation: string;
      /** Expected wait, in ms. */
      readonly waitMs: number;
      /** One-line human description. */
      readonly message: string;
    }
  | {
      /** A create failed ambiguously; the client lists rules by name before deciding to resend. */
      readonly type: 'verifying';
      /** Client operation. */
      readonly operation: string;
      /** One-line human description. */
      readonly message: string;
    };

/** Settings of one client (one region endpoint, one rate budget). */
export interface ClientOptions {
  /** Region id, e.g. cn-north-4; picks the default endpoint. */
  readonly region: string;
  /** Endpoint URL overriding `https://dbss.{region}.myhuaweicloud.com` (http only for loopback hosts). */
  readonly endpoint?: string;
  /** AK/SK (optionally temporary) or IAM token credentials. */
  readonly credentials: Credentials;
  /** Request-rate budget of this endpoint; default 10 per second. With `learnRateLimit`, only where the rate starts. */
  readonly rateLimit?: RateLimit;
  /**
   * `--rate-limit auto`: probe upward from `rateLimit` until the gateway states its limit, and
   * read the starting point from / write what is learned to this store.
   */
  readonly learnRateLimit?: LearnedLimitStore;
  /** Requests in flight at once; default 8. */
  readonly concurrency?: number;
  /** Per-request deadline (connect, headers and whole body), in ms; default 30 000. */
  readonly timeoutMs?: number;
  /** Attempts per request, first included; default 5. */
  readonly maxAttempts?: number;
  /** Backoff bounds for retries; default 1 000 ms base, 30 000 ms cap. */
  readonly backoff?: BackoffOptions;
  /** Page size of list calls (1-1000); default 1000. */
  readonly pageSize?: number;
  /**
   * How long a listing may lag a create, in ms (0-60 000; default 5 000; settle.ts): a create
   * whose answer was lost is resent only when listings spread over this window all lack it.
   */
  readonly settleMs?: number;
  /** Largest answer body read, in bytes; default 10 MiB. */
  readonly maxBodyBytes?: number;
  /** Receives progress events (throttled, retrying, waiting, verifying). */
  readonly onEvent?: (event: ClientEvent) => void;
  /** Time source for dates, waits and deadlines; default the system clock (tests inject a fake one). */
  readonly clock?: Clock;
  /**
   * The run's cutoff, asked before every attempt and wait: when it returns one, nothing is sent
   * after it and no wait that would end after it is begun (the CLI bounds reads by
   * `--max-duration` this way). Absent or returning undefined: no cutoff.
   */
  readonly cutoff?: () => SendCutoff | undefined;
}

/** ClientOptions with every default filled in. */
export type ResolvedClientOptions = Required<Omit<ClientOptions, 'endpoint' | 'onEvent' | 'learnRateLimit' | 'clock' | 'cutoff'>> &
  Pick<ClientOptions, 'endpoint' | 'onEvent' | 'learnRateLimit' | 'clock' | 'cutoff'>;

const positiveInt = (value: number | undefined, fallback: number, name: string, max = Number.MAX_SAFE_INTEGER): number => {
  const v = value ?? fallback;
  if (!Number.isInteger(v) || v < 1 || v > max) throw new ConfigError(`${name} must be an integer from 1 to ${max}, got ${value}`);
  return v;
};

const settleWindow = (value: number | undefined): number => {
  const v = value ?? DEFAULT_SETTLE_MS;
  if (!Number.isInteger(v) || v < 0 || v > MAX_SETTLE_MS) throw new ConfigError(`settleMs must be an integer from 0 to ${MAX_SETTLE_MS}, got ${value}`);
  return v;
};

/** Fills in defaults and checks ranges (a bad value is a ConfigError naming the option). */
export function resolveClientOptions(options: ClientOptions): ResolvedClientOptions {
  const backoff = options.backoff ?? { baseMs: 1000, maxMs: 30_000 };
  if (!(backoff.baseMs >= 0 && backoff.maxMs >= backoff.baseMs)) throw new ConfigError('backoff needs 0 <= baseMs <= maxMs');
  const rateLimit = options.rateLimit ?? DEFAULT_RATE_LIMIT;
  if (!(rateLimit.requests > 0 && rateLimit.perMs > 0)) throw new ConfigError('rate limit needs positive requests and perMs');
  return {
    ...options,
    rateLimit,
    backoff,
    concurrency: positiveInt(options.concurrency, 8, 'concurrency'),
    timeoutMs: positiveInt(options.timeoutMs, 30_000, 'timeoutMs'),
    maxAttempts: positiveInt(options.maxAttempts, 5, 'maxAttempts', 20),
    pageSize: positiveInt(options.pageSize, 1000, 'pageSize', 1000),
    settleMs: settleWindow(options.settleMs),
    maxBodyBytes: positiveInt(options.maxBodyBytes, 10 * 1024 * 1024, 'maxBodyBytes'),
  };
}
