/**
 * One deadline per request, retries and waits included: `timeoutMs × maxAttempts` from its
 * first attempt. A wait the server asks for (Retry-After) is honoured only when it and a whole
 * attempt after it (`timeoutMs`) still fit before the deadline; otherwise the request fails at
 * once with a message saying so, instead of waiting (a gateway answering `Retry-After: 3600`
 * would otherwise hold a run for an hour). Backoff waits need no check: they are capped, and a
 * hung attempt is cut by `timeoutMs` itself, so attempts plus backoff stay bounded too.
 */
export class RequestDeadline {
  /** Epoch ms by which the request must be over. */
  readonly at: number;
  readonly #timeoutMs: number;

  constructor(startedAt: number, timeoutMs: number, maxAttempts: number) {
    this.at = startedAt + timeoutMs * maxAttempts;
    this.#timeoutMs = timeoutMs;
  }

  /** Why waiting `retryAfterMs` (asked for by the server) and trying again would overrun the deadline, or undefined when it fits. */
  refuseWait(now: number, retryAfterMs: number): string | undefined {
    if (now + retryAfterMs + this.#timeoutMs <= this.at) return undefined;
    const left = Math.max(0, this.at - now);
    return `the server asked to retry after ${seconds(retryAfterMs)}, beyond this request's deadline (${seconds(left)} left of --timeout × --max-attempts); not retried`;
  }
}

const seconds = (ms: number): string => (ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`);
