import type { ClientStats } from './types.js';

/** Running counters of one client; `snapshot()` is what `DbssClient.stats()` returns. */
export class CallStats {
  #requests = 0;
  #retries = 0;
  #throttled = 0;
  readonly #byOperation = new Map<string, number>();

  /** An HTTP request (attempt) was sent. */
  requestSent(): void {
    this.#requests += 1;
  }

  /** An attempt is about to be repeated. */
  retried(): void {
    this.#retries += 1;
  }

  /** A 429 arrived. */
  throttled(): void {
    this.#throttled += 1;
  }

  /** A logical operation finished (successfully or not). */
  operationDone(operation: string): void {
    this.#byOperation.set(operation, (this.#byOperation.get(operation) ?? 0) + 1);
  }

  /** A copy of the counters. */
  snapshot(): ClientStats {
    return {
      requests: this.#requests,
      retries: this.#retries,
      throttled: this.#throttled,
      byOperation: Object.fromEntries([...this.#byOperation].sort(([a], [b]) => (a < b ? -1 : 1))),
    };
  }
}
