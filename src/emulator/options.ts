import type { ApiProfile } from './api-profile.js';
import type { AuthSettings } from './auth/authenticator.js';
import type { FaultKind, FaultSettings } from './faults.js';
import type { HostileAnswers } from './hostile-answers.js';
import type { RequestLogEntry, EmulatorCounters } from './request-log.js';
import type { OperationName } from './routes.js';
import type { RateLimit, StatedLimit } from './throttle.js';
import type { EmulatorState } from './types.js';

/** Added delay before each request is handled: `fixedMs` plus a uniform random `0..jitterMs`. */
export interface LatencySettings {
  /** Delay every request gets, ms. */
  readonly fixedMs: number;
  /** Upper bound of the extra random delay, ms (default 0). */
  readonly jitterMs?: number;
}

/** Behaviour that can change while the emulator runs (`configure`). `null` turns a feature off. */
export interface RuntimeSettings {
  /** Request budget per credential; null or absent = unlimited. */
  readonly rateLimit?: RateLimit | null;
  /**
   * The limit every 429 answer states instead of the real budget (a hostile or confused gateway,
   * e.g. `limit:1,time:1 day`); null or absent = the real budget.
   */
  readonly statedLimit?: StatedLimit | null;
  /** Added latency; null or absent = none. */
  readonly latency?: LatencySettings | null;
  /** Random fault injection; null or absent = none. */
  readonly faults?: FaultSettings | null;
  /** How long an executed summary task runs before it reads as succeeded, ms (default 2000). */
  readonly summaryTaskDurationMs?: number;
  /** List lag: a created rule shows in rule lists only this many ms (emulator clock) after its create; null or absent = at once. */
  readonly listLagMs?: number | null;
}

/** Options of startEmulator. Every field is optional. */
export interface EmulatorOptions extends RuntimeSettings {
  /**
   * How the emulator reads the API's open points: a profile name (see PROFILES) or a full set
   * of options (e.g. from loadProfileFile). Default: the `default` profile.
   */
  readonly profile?: string | ApiProfile;
  /** Interface to listen on (default 127.0.0.1). */
  readonly host?: string;
  /** Port; 0 (default) picks a free one (read it from `url` / `port`). */
  readonly port?: number;
  /** Starting state (deep-copied; default empty). Not used when `stateFile` exists and is loaded. */
  readonly state?: EmulatorState;
  /** JSON file the state persists to: loaded at start when it exists, saved after writes and on close. */
  readonly stateFile?: string;
  /** Load `stateFile` when it exists (default true); false starts from `state` and overwrites the file. */
  readonly loadStateFile?: boolean;
  /** Saves after writes are debounced by this many ms (default 50; 0 saves after every write). */
  readonly saveDebounceMs?: number;
  /** Authentication; false or absent = open mode (every request accepted, throttled as "anonymous"). */
  readonly auth?: AuthSettings | false;
  /** Seed of the fault, latency and request-id streams (default 1). Rule ids follow the state's own stream. */
  readonly seed?: number;
  /** Clock in epoch ms (default Date.now): X-Sdk-Date checks, lockout, throttling, summary tasks. */
  readonly now?: () => number;
  /** Largest accepted body (default 12 MiB, as APIG); larger bodies get 413 APIG.0201. */
  readonly maxBodyBytes?: number;
  /** Answers no reading of the API excuses (hostile ids, BUILT_IN rule types, lying creates); default none. */
  readonly hostileAnswers?: HostileAnswers;
  /** Append every request to this JSON-lines file. */
  readonly logFile?: string;
  /** Entries kept in the in-memory log (default 10000; counters are never truncated). */
  readonly logCapacity?: number;
  /** Called with every request log entry (e.g. to print it). */
  readonly onRequest?: (entry: RequestLogEntry) => void;
}

/** A running emulator. */
export interface Emulator {
  /** Base URL, e.g. http://127.0.0.1:40123 (use it as the DBSS endpoint). */
  readonly url: string;
  /** The port listened on. */
  readonly port: number;
  /** The API profile in force. */
  readonly profile: ApiProfile;
  /** The live model (mutate it directly in tests, e.g. to stop an instance). */
  readonly state: EmulatorState;
  /** The in-memory request log, oldest first. */
  readonly log: readonly RequestLogEntry[];
  /** Call counters since start or the last resetCounters(). */
  counters(): EmulatorCounters;
  /** Clears counters and the in-memory log. */
  resetCounters(): void;
  /** Changes throttling, latency, faults or summary task duration at runtime (given keys only). */
  configure(settings: RuntimeSettings): void;
  /** Makes the next `count` (default 1) requests of `operation` (`*` = any) fail with `kind`. */
  failNext(operation: OperationName | '*', kind: FaultKind, count?: number): void;
  /**
   * Holds every request that arrives from now on (after routing, authentication and
   * throttling, before it is handled) until the returned function is called: lets a test act
   * at a known point between two requests of a client without timing assumptions.
   */
  pause(): () => void;
  /** Replaces the whole model (deep-copied), e.g. to reset between benchmark runs. */
  replaceState(state: EmulatorState): void;
  /** Saves the state file now (no-op without `stateFile`). */
  save(): Promise<void>;
  /** Stops listening, drops open connections, saves the state file and closes the log file. */
  close(): Promise<void>;
}
