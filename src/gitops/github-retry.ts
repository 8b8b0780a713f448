/**
 * When a GitHub REST call is worth another try, and after how long. GitHub answers 5xx when it
 * has a bad moment, and 403 or 429 for its secondary rate limits (too many writes at once): the
 * first is retried with a capped exponential backoff, the second after the time GitHub names
 * (`retry-after`, or `x-ratelimit-reset` when `x-ratelimit-remaining` is 0). A wait longer than
 * the cap is not worth blocking a workflow step for, so the failure is reported instead.
 * This follows what Octokit's retry and throttling plugins do, without the dependency.
 */

/** Limits of the retries. */
export interface RetryPolicy {
  /** Retries after the first try (so at most retries + 1 requests). */
  readonly retries: number;
  /** First backoff after a 5xx or a network error, doubled each time. */
  readonly baseDelayMs: number;
  /** No single wait is longer than this; a rate limit that needs longer fails at once. */
  readonly maxDelayMs: number;
}

/** What GitHub answered, as far as the retry decision needs it. */
export interface RetryAnswer {
  /** HTTP status. */
  readonly status: number;
  /** Response headers. */
  readonly headers: Headers;
}

/** The default: 4 retries, 1 s doubling (1, 2, 4, 8 s), no wait over 60 s. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { retries: 4, baseDelayMs: 1_000, maxDelayMs: 60_000 };

/** GitHub's advice when a secondary rate limit names no time: wait at least a minute. */
const SECONDARY_LIMIT_WAIT_MS = 60_000;

/** True for a rate-limit answer: the request was refused before GitHub acted on it. */
export function isRateLimited(answer: RetryAnswer): boolean {
  if (answer.status === 429) return true;
  return answer.status === 403 && (answer.headers.has('retry-after') || answer.headers.get('x-ratelimit-remaining') === '0');
}

/** How long a rate-limit answer asks to wait, in milliseconds. */
function rateLimitWait(answer: RetryAnswer, now: number): number {
  const retryAfter = Number(answer.headers.get('retry-after') ?? NaN);
  if (Number.isFinite(retryAfter) && retryAfter >= 0) return retryAfter * 1_000;
  const reset = Number(answer.headers.get('x-ratelimit-reset') ?? NaN);
  if (answer.headers.get('x-ratelimit-remaining') === '0' && Number.isFinite(reset)) return Math.max(0, reset * 1_000 - now);
  return SECONDARY_LIMIT_WAIT_MS;
}

/**
 * The wait before retry number `attempt` (1 = the first retry), or undefined when the request
 * should not be retried. `answer` is undefined for a network error (no response). A request
 * that is not idempotent (creating a comment) is retried only after a rate-limit answer: after a
 * 5xx or a lost connection GitHub may have acted on it, so the caller has to check first.
 */
export function retryDelay(
  answer: RetryAnswer | undefined,
  attempt: number,
  options: { readonly idempotent: boolean; readonly now: number; readonly policy: RetryPolicy },
): number | undefined {
  const { policy } = options;
  if (attempt > policy.retries) return undefined;
  if (answer !== undefined && isRateLimited(answer)) {
    const wait = rateLimitWait(answer, options.now);
    return wait <= policy.maxDelayMs ? wait : undefined;
  }
  const transient = answer === undefined || answer.status >= 500;
  if (!transient || !options.idempotent) return undefined;
  return Math.min(policy.baseDelayMs * 2 ** (attempt - 1), policy.maxDelayMs);
}
