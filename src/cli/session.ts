import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { AkSkCredentials, createDbssClient, credentialsFromEnv, DEFAULT_RATE_LIMIT, parseRateLimit, resolveEndpoint } from '../api/index.js';
import type { ClientEvent, Credentials, RateLimit } from '../api/index.js';
import { demoState, startEmulator } from '../emulator/index.js';
import { createClientPool } from '../live/client-pool.js';
import type { ClientPool } from '../live/client-pool.js';
import type { RunInputs } from '../reconcile.js';
import { UsageError } from '../errors.js';
import { parseShard } from '../plan/shard.js';
import { toolVersion } from '../version.js';
import { escapeText } from '../render/escape.js';
import { runDeadline } from './run-deadline.js';
import { lockWaitInputs } from './lock-target.js';
import type { CliIO } from './io.js';
import { intFlag, ratioFlag } from './run-options.js';
import { startReadProgress } from './read-progress.js';
import { cacheSettings, changedSince, ruleTargets } from './scope-flags.js';
import { rateLearning } from './rate-learning.js';
import type { RateLearning } from './rate-learning.js';

/** The connections of one command run. */
export interface Session {
  /** One client per region endpoint. */
  readonly pool: ClientPool;
  /**
   * The request budget of one endpoint in requests per second (the ETA of progress lines); with
   * `--rate-limit auto` the budget it starts at (the learned limit is only known later).
   */
  readonly budgetPerSecond: number;
  /** The endpoint URL a region's client talks to (keys the live-state cache). */
  endpointOf(region: string): string;
  /** `--rate-limit auto`: what the clients learn about the gateway's limit; absent with a fixed budget. */
  readonly rateLearning?: RateLearning;
  /** The endpoint override (--endpoint, DBSS_ENDPOINT or the embedded emulator), if any. */
  readonly endpoint?: string;
  /** Closes the clients (and the in-process emulator, if any). */
  close(): Promise<void>;
}

type Flags = Record<string, string | boolean | string[] | undefined>;

/** The emulator is local: a faster default budget keeps the demo snappy. */
const EMULATOR_RATE_LIMIT: RateLimit = { requests: 100, perMs: 1000 };

/**
 * Builds the run's clients from flags and environment: --emulator starts an in-process
 * emulator seeded with the demo state (with a fresh AK/SK, so requests are really signed);
 * otherwise credentials come from the environment and are checked before any request.
 */
export async function openSession(flags: Flags, io: CliIO): Promise<Session> {
  const rateFlag = flags['rate-limit'];
  // auto: start at the default (or the emulator's) budget and learn the gateway's real limit
  const learning = typeof rateFlag === 'string' && rateFlag.trim().toLowerCase() === 'auto' ? rateLearning() : undefined;
  let rateLimit: RateLimit | undefined;
  try {
    rateLimit = typeof rateFlag === 'string' && !learning ? parseRateLimit(rateFlag) : undefined;
  } catch (err) {
    throw new UsageError(`--rate-limit: ${err instanceof Error ? err.message : String(err)}, or auto (learn the gateway's limit)`);
  }
  const concurrency = intFlag('concurrency', flags['concurrency']);
  const timeoutMs = intFlag('timeout', flags['timeout']);
  const maxAttempts = intFlag('max-attempts', flags['max-attempts']);
  const onEvent = clientEventPrinter(io);

  let endpoint = (flags['endpoint'] as string | undefined) ?? io.env['DBSS_ENDPOINT'];
  let credentials: Credentials;
  let stopEmulator: (() => Promise<void>) | undefined;
  if (flags['emulator'] === true) {
    const ak = randomBytes(10).toString('hex').toUpperCase();
    const sk = randomBytes(20).toString('hex');
    const emulator = await startEmulator({ state: demoState(), auth: { credentials: [{ ak, sk }], tokens: [] } });
    endpoint = emulator.url;
    credentials = new AkSkCredentials({ accessKey: ak, secretKey: sk });
    rateLimit ??= EMULATOR_RATE_LIMIT;
    stopEmulator = () => emulator.close();
    io.stderr.write(`Using the embedded DBSS emulator (demo state) at ${emulator.url}\n`);
  } else {
    credentials = credentialsFromEnv(io.env);
  }
  const endpointOf = (region: string): string => {
    const e = resolveEndpoint(region, endpoint);
    return `${e.origin}${e.basePath}`;
  };
  const clients = createClientPool((region) =>
    createDbssClient({
      region,
      credentials,
      ...(endpoint ? { endpoint } : {}),
      ...(rateLimit ? { rateLimit } : {}),
      ...(learning ? { learnRateLimit: learning.storeFor(endpointOf(region)) } : {}),
      ...(concurrency ? { concurrency } : {}),
      ...(timeoutMs ? { timeoutMs } : {}),
      ...(maxAttempts ? { maxAttempts } : {}),
      onEvent,
    }),
  );
  // The learned limits ride along in the run's call statistics (the --report `calls`).
  const pool: ClientPool = learning ? { ...clients, stats: () => ({ ...clients.stats(), learnedLimits: learning.all() }) } : clients;
  // With auto, rateLimit is the starting budget (the emulator's or undefined = the default).
  const budget = rateLimit ?? DEFAULT_RATE_LIMIT;
  return {
    pool,
    budgetPerSecond: (budget.requests * 1000) / budget.perMs,
    endpointOf,
    ...(learning ? { rateLearning: learning } : {}),
    ...(endpoint ? { endpoint } : {}),
    async close() {
      for (const line of learning?.summary() ?? []) io.stderr.write(`${line}\n`);
      await pool.close();
      await stopEmulator?.();
    },
  };
}

/** Throttling and retries are worth a line on stderr; rate-budget waits only on a terminal. */
function clientEventPrinter(io: CliIO): (e: ClientEvent) => void {
  return (e) => {
    if (e.type === 'waiting' && !io.stderr.isTTY) return;
    io.stderr.write(`${escapeText(e.message)}\n`);
  };
}

/** The RunInputs of a command from its flags. */
export function runInputs(flags: Flags, io: CliIO, session: Session): RunInputs {
  const maxChangeRatio = ratioFlag('max-change-ratio', flags['max-change-ratio']) ?? 0.3;
  const minRules = intFlag('min-rules', flags['min-rules']) ?? 10;
  const deadline = runDeadline(flags['max-duration'], Date.now());
  return {
    ...(deadline ? { deadline } : {}),
    policiesDir: resolve(io.cwd, String(flags['policies'] ?? 'policies')),
    cwd: io.cwd,
    pool: session.pool,
    ...(session.endpoint ? { endpoint: session.endpoint } : {}),
    instances: (flags['instance'] as string[] | undefined) ?? [],
    summaryTasks: flags['summary-tasks'] === true,
    readProgress: (label) => startReadProgress(io.stderr, { label, budgetPerSecond: session.budgetPerSecond, ...(io.clock ? { clock: io.clock } : {}) }),
    ...(typeof flags['shard'] === 'string' ? { shard: parseShard(flags['shard']) } : {}),
    ...scopeInputs(flags, io, session),
    ...lockWaitInputs(flags['lock-timeout'], io, session.endpoint),
    planOptions: {
      toolVersion: toolVersion(),
      reassertWriteOnly: flags['reassert-write-only'] === true,
      safety: { maxChangeRatio, minRules },
      ruleTargets: ruleTargets(flags),
    },
  };
}

/** --changed-since and --cache as RunInputs members (absent when not given). */
function scopeInputs(flags: Flags, io: CliIO, session: Session): Pick<RunInputs, 'changedSince' | 'cache'> {
  const ref = changedSince(flags);
  const settings = cacheSettings(flags, io, (region) => session.endpointOf(region));
  const learning = session.rateLearning;
  // The cache remembers the limit --rate-limit auto learned; without --cache the run forgets it.
  const cache = settings && learning ? { ...settings, rate: { restore: learning.restore, learned: learning.learned } } : settings;
  return { ...(ref !== undefined ? { changedSince: ref } : {}), ...(cache ? { cache } : {}) };
}
