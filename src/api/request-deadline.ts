/** A run-level time after which a client sends nothing new (the CLI sets one while reading under `--max-duration`). */
export interface SendCutoff {
  /** Epoch ms after which no request is sent and no wait may end. */
  readonly at: number;
  /** What set it, for messages, e.g. `--max-duration 10m`. */
  readonly reason: string;
}

/**
 * One deadline per request, retries and waits included: `timeoutMs × maxAttempts` from its
 * first attempt. A wait the server asks for (Retry-After) is honoured only when it and a whole
 * attempt after it (`timeoutMs`) still fit before the deadline; a wait for the rate budget only
 * when it ends before the deadline; otherwise the request fails at once with a message saying
 * so, instead of waiting (a gateway answering `Retry-After: 3600`, or stating a limit that
 * slows the budget to a crawl, would otherwise hold a run for an hour). Backoff waits need no
 * check against it: they are capped, and a hung attempt is cut by `timeoutMs` itself.
 *
 * A SendCutoff, when one is set, bounds every request of the run on top: nothing is sent after
 * it, and no wait (rate budget, Retry-After, backoff) that would end after it is begun.
 */
export class RequestDeadline {
  /** Epoch ms by which the request must be over. */
  readonly at: number;
  readonly #timeoutMs: number;
  readonly #cutoff: () => SendCutoff | undefined;

  constructor(startedAt: number, timeoutMs: number, maxAttempts: number, cutoff: () => SendCutoff | undefined = () => undefined) {
    this.at = startedAt + timeoutMs * maxAttempts;
    this.#timeoutMs = timeoutMs;
    this.#cutoff = cutoff;
  }

  /** Why nothing may be sent now (the run's cutoff passed), or undefined. */
  refuseSend(now: number): string | undefined {
    const cutoff = this.#cutoff();
    return cutoff && now >= cutoff.at ? `not sent: ${cutoff.reason} reached` : undefined;
  }

  /** The latest epoch ms a wait before sending may end. */
  latestSend(): number {
    const cutoff = this.#cutoff();
    return cutoff ? Math.min(this.at, cutoff.at) : this.at;
  }

  /** Why a wait of `waitMs` for the rate budget (at `requestsPerSecond`) was not begun. */
  describeBudgetWait(now: number, waitMs: number, requestsPerSecond: number): string {
    const cutoff = this.#cutoff();
    const wait = `waiting ${seconds(waitMs)} for the request rate budget (${Math.round(requestsPerSecond * 100) / 100}/s)`;
    if (cutoff && now + waitMs > cutoff.at) return `${wait} would pass ${cutoff.reason}; not sent`;
    return `${wait} would pass this request's deadline (${seconds(Math.max(0, this.at - now))} left of --timeout × --max-attempts); not sent`;
  }

  /** Why waiting `retryAfterMs` (asked for by the server) and trying again would overrun the deadline, or undefined when it fits. */
  refuseWait(now: number, retryAfterMs: number): string | undefined {
    const cutoff = this.#cutoff();
    if (cutoff && now + retryAfterMs >= cutoff.at) return `the server asked to retry after ${seconds(retryAfterMs)}, past ${cutoff.reason}; not retried`;
    if (now + retryAfterMs + this.#timeoutMs <= this.at) return undefined;
    const left = Math.max(0, this.at - now);
    return `the server asked to retry after ${seconds(retryAfterMs)}, beyond this request's deadline (${seconds(left)} left of --timeout × --max-attempts); not retried`;
  }

  /** Why a backoff of `delayMs` before the next attempt would pass the run's cutoff, or undefined. */
  refuseBackoff(now: number, delayMs: number): string | undefined {
    const cutoff = this.#cutoff();
    return cutoff && now + delayMs >= cutoff.at ? `a retry in ${seconds(delayMs)} would start past ${cutoff.reason}; not retried` : undefined;
  }
}

const seconds = (ms: number): string => (ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`);
