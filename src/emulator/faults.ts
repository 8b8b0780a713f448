import type { Prng } from './prng.js';

/**
 * Injected failures:
 * - `500`: the backend fails: 500 DBSS.11000000 in the route's error shape; nothing applied.
 * - `502` / `504`: the gateway cannot reach the backend / times out: APIG.0201; nothing applied.
 * - `429`: a throttling answer (429 APIG.0308) regardless of the budget; nothing applied.
 * - `reset`: the connection is destroyed before anything is applied or answered.
 * - `lost-response`: the operation IS applied, then the connection is destroyed without an
 *   answer (the ambiguous failure a client must not blindly retry for a create).
 * - `failed`: a business failure, not retryable: a write answers HTTP 200 with
 *   `{"status":"FAILED"}` (rank: `{"result":"failed"}`), a read answers 400 DBSS.10020102;
 *   nothing applied. Not drawn by random injection unless listed in `kinds`.
 */
export type FaultKind = '500' | '502' | '504' | '429' | 'reset' | 'lost-response' | 'failed';

/** Every fault kind. */
export const FAULT_KINDS: readonly FaultKind[] = ['500', '502', '504', '429', 'reset', 'lost-response', 'failed'];

/** Random fault injection. */
export interface FaultSettings {
  /** Probability in [0, 1] that an eligible request fails (0 = never). */
  readonly rate: number;
  /** Kinds drawn from, uniformly (default: 500, 502, 504, reset, lost-response). */
  readonly kinds?: readonly FaultKind[];
  /** Only these operation names are eligible (default: every operation). */
  readonly operations?: readonly string[];
}

const DEFAULT_KINDS: readonly FaultKind[] = ['500', '502', '504', 'reset', 'lost-response'];

/** Decides, per request, whether to inject a fault: queued `failNext` faults first, then the random rate. */
export class FaultInjector {
  private settings: FaultSettings;
  private readonly queue: { operation: string; kind: FaultKind; remaining: number }[] = [];

  constructor(
    settings: FaultSettings | undefined,
    private readonly prng: Prng,
  ) {
    this.settings = settings ?? { rate: 0 };
  }

  /** Replaces the random fault settings. */
  configure(settings: FaultSettings | undefined): void {
    this.settings = settings ?? { rate: 0 };
  }

  /** The current random fault settings. */
  get current(): FaultSettings {
    return this.settings;
  }

  /** Makes the next `count` requests of `operation` (or of any operation with `*`) fail with `kind`. */
  failNext(operation: string, kind: FaultKind, count = 1): void {
    this.queue.push({ operation, kind, remaining: count });
  }

  /** The fault to inject for one request of `operation`, if any. */
  pick(operation: string): FaultKind | undefined {
    const queued = this.queue.find((q) => q.operation === operation || q.operation === '*');
    if (queued) {
      queued.remaining--;
      if (queued.remaining <= 0) this.queue.splice(this.queue.indexOf(queued), 1);
      return queued.kind;
    }
    const { rate, kinds, operations } = this.settings;
    if (rate <= 0 || (operations && !operations.includes(operation))) return undefined;
    if (this.prng.next() >= rate) return undefined;
    return this.prng.pick(kinds && kinds.length > 0 ? kinds : DEFAULT_KINDS);
  }
}
