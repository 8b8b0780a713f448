import type { DbssApiError } from './errors.js';

/** Exponential backoff bounds. */
export interface BackoffOptions {
  /** Cap of the first retry's delay, in ms. */
  readonly baseMs: number;
  /** Largest cap, in ms. */
  readonly maxMs: number;
}

/** What a failed attempt means for the next one. */
export interface FailureVerdict {
  /** Another attempt may succeed (and is allowed for this failure). */
  readonly retryable: boolean;
  /** The request may have reached the backend and taken effect (matters for creates only). */
  readonly mayHaveApplied: boolean;
  /** The gateway throttled the request (429). */
  readonly throttled: boolean;
}

/** The connection was never made, so the request cannot have been applied. */
const NOT_SENT_CODES: ReadonlySet<string | undefined> = new Set(['ECONNREFUSED', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT', 'EHOSTUNREACH', 'ENETUNREACH']);

/** Retrying cannot help: the host does not resolve, or the client was closed. */
const FATAL_NETWORK_CODES: ReadonlySet<string | undefined> = new Set(['ENOTFOUND', 'UND_ERR_CLOSED', 'UND_ERR_DESTROYED']);

/**
 * Classifies a failed attempt:
 * - 429 (APIG.0308): retryable, and the gateway rejected it before the backend, so even a
 *   create is safe to resend;
 * - 5xx (incl. APIG.0201 502/504), resets, closed sockets, timeouts: retryable, but the write
 *   may have happened;
 * - connection refused / DNS try-again / connect timeout: retryable, nothing was sent;
 * - 401 (APIG.0301: the AK locks after 5 failures), other 4xx (400 DBSS.*), TLS failures,
 *   unreadable 2xx answers and `FAILED` bodies: never retried.
 */
export function classifyFailure(err: DbssApiError): FailureVerdict {
  switch (err.kind) {
    case 'http':
      if (err.status === 429) return { retryable: true, mayHaveApplied: false, throttled: true };
      if ((err.status ?? 0) >= 500) return { retryable: true, mayHaveApplied: true, throttled: false };
      return { retryable: false, mayHaveApplied: false, throttled: false };
    case 'network':
      if (FATAL_NETWORK_CODES.has(err.errorCode)) return { retryable: false, mayHaveApplied: false, throttled: false };
      return { retryable: true, mayHaveApplied: !NOT_SENT_CODES.has(err.errorCode), throttled: false };
    case 'timeout':
      return { retryable: true, mayHaveApplied: true, throttled: false };
    case 'tls':
    case 'bad-response':
    case 'business':
    case 'not-sent':
      return { retryable: false, mayHaveApplied: false, throttled: false };
  }
}

/** "Full jitter": a uniform delay in [0, min(maxMs, baseMs * 2^(retry-1))) before retry number `retry` (1-based: the runner counts attempts from 1). */
export function backoffDelay(retry: number, backoff: BackoffOptions, random: () => number = Math.random): number {
  const cap = Math.min(backoff.maxMs, backoff.baseMs * 2 ** (retry - 1));
  return Math.floor(random() * cap);
}
