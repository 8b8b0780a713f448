import { createWriteStream } from 'node:fs';
import type { WriteStream } from 'node:fs';
import type { FaultKind } from './faults.js';

/** One served request. Holds no header, body or credential. */
export interface RequestLogEntry {
  /** When the request arrived (ISO 8601). */
  readonly time: string;
  /** HTTP method. */
  readonly method: string;
  /** Request path without the query string. */
  readonly path: string;
  /** HTTP status answered; 0 when the connection was dropped (reset, lost-response). */
  readonly status: number;
  /** Time from arrival to answer, in ms (includes injected latency). */
  readonly latencyMs: number;
  /** Operation name (see OPERATIONS), or `unknown` when no route matched. */
  readonly operation: string;
  /** The X-Request-Id answered. */
  readonly requestId: string;
  /** error_code of an error answer. */
  readonly errorCode?: string;
  /** The injected fault, if any. */
  readonly fault?: FaultKind;
  /** The `name` of the AK/SK pair that signed it, when the emulator's auth settings give it one (never a key). */
  readonly caller?: string;
}

/** Call counts since start or the last reset. */
export interface EmulatorCounters {
  /** All requests. */
  readonly requests: number;
  /** Requests per operation name (`unknown` for unmatched paths). */
  readonly byOperation: Readonly<Record<string, number>>;
  /** Requests per HTTP status (`0` = connection dropped). */
  readonly byStatus: Readonly<Record<string, number>>;
  /** 429 answers (budget or injected). */
  readonly throttled: number;
  /** 401 answers. */
  readonly authFailures: number;
  /** Injected faults of any kind. */
  readonly faults: number;
}

/**
 * The request log: kept in memory (the newest `capacity` entries), optionally appended to a
 * JSON-lines file and handed to a listener; plus counters that are never truncated.
 */
export class RequestLog {
  /** The newest entries, oldest first. */
  readonly entries: RequestLogEntry[] = [];
  private counts = emptyCounters();
  private readonly file: WriteStream | undefined;

  constructor(
    private readonly capacity: number,
    file?: string,
    private readonly listener?: (entry: RequestLogEntry) => void,
  ) {
    this.file = file ? createWriteStream(file, { flags: 'a' }) : undefined;
  }

  /** Records one request. */
  record(entry: RequestLogEntry): void {
    this.entries.push(entry);
    if (this.entries.length > this.capacity) this.entries.splice(0, this.entries.length - this.capacity);
    const c = this.counts;
    const byOperation = { ...c.byOperation, [entry.operation]: (c.byOperation[entry.operation] ?? 0) + 1 };
    const byStatus = { ...c.byStatus, [entry.status]: (c.byStatus[entry.status] ?? 0) + 1 };
    this.counts = {
      requests: c.requests + 1,
      byOperation,
      byStatus,
      throttled: c.throttled + (entry.status === 429 ? 1 : 0),
      authFailures: c.authFailures + (entry.status === 401 ? 1 : 0),
      faults: c.faults + (entry.fault ? 1 : 0),
    };
    this.file?.write(`${JSON.stringify(entry)}\n`);
    this.listener?.(entry);
  }

  /** A snapshot of the counters. */
  counters(): EmulatorCounters {
    return this.counts;
  }

  /** Clears the counters and the in-memory entries (the file is kept). */
  reset(): void {
    this.counts = emptyCounters();
    this.entries.length = 0;
  }

  /** Flushes and closes the log file. */
  async close(): Promise<void> {
    const file = this.file;
    if (file) await new Promise<void>((resolve) => file.end(resolve));
  }
}

function emptyCounters(): EmulatorCounters {
  return { requests: 0, byOperation: {}, byStatus: {}, throttled: 0, authFailures: 0, faults: 0 };
}
