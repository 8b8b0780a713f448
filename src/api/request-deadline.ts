/**
 * One deadline per request, retries and waits included: a request may take at most
 * `timeoutMs × maxAttempts` from its first attempt, whatever Retry-After or the backoff ask for.
 * An attempt is only started when a whole attempt (`timeoutMs`) still fits before the deadline,
 * so the request ends by it. A Retry-After that does not fit fails the request at once with a
 * message saying so, instead of waiting (a gateway answering `Retry-After: 3600` would
 * otherwise hold a run for an hour).
 */
export class RequestDeadline {
  /** Epoch ms by which the request must be over. */
  readonly at: number;
  readonly #timeoutMs: number;

  constructor(startedAt: number, timeoutMs: number, maxAttempts: number) {
    this.at = startedAt + timeoutMs * maxAttempts;
    this.#timeoutMs = timeoutMs;
  }

  /**
   * Why waiting `delayMs` and trying again would overrun the deadline, or undefined when it fits.
   * `retryAfter` says the wait was asked for by the server (Retry-After), for the message.
   */
  refuseWait(now: number, delayMs: number, retryAfter: boolean): string | undefined {
    if (now + delayMs + this.#timeoutMs <= this.at) return undefined;
    const left = Math.max(0, this.at - now);
    const asked = retryAfter ? `the server asked to retry after ${seconds(delayMs)}` : `the next retry would start in ${seconds(delayMs)}`;
    return `${asked}, beyond this request's deadline (${seconds(left)} left of --timeout × --max-attempts); not retried`;
  }
}

const seconds = (ms: number): string => (ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`);
