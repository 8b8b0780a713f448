import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { AkSkCredentials, createDbssClient, credentialMap, DEFAULT_CREDENTIAL, DEFAULT_RATE_LIMIT, MAX_SETTLE_MS, parseRateLimit, resolveEndpoint, UNREACHABLE_CODES } from '../api/index.js';
import type { ClientEvent, CredentialMap, Credentials, DbssClient, RateLimit } from '../api/index.js';
import type { SendCutoff } from '../api/request-deadline.js';
import { demoState, startEmulator } from '../emulator/index.js';
import { createClientPool } from '../live/client-pool.js';
import type { ClientPool } from '../live/client-pool.js';
import type { RunInputs } from '../run/reconcile.js';
import { UsageError } from '../errors.js';
import { parseShard } from '../plan/shard.js';
import { toolVersion } from '../version.js';
import { escapeText } from '../render/escape.js';
import { runDeadline } from './run-deadline.js';
import type { RunDeadline } from './run-deadline.js';
import { lockWaitInputs } from './lock-target.js';
import type { CliIO } from './io.js';
import { intFlag, msFlag, ratioFlag } from './run-options.js';
import { startReadProgress } from './read-progress.js';
import { cacheSettings, changedSince, ruleTargets } from './scope-flags.js';
import { rateLearning } from './rate-learning.js';
import type { RateLearning } from './rate-learning.js';

/** The connections of one command run. */
export interface Session {
  /** One client per credential and endpoint. */
  readonly pool: ClientPool;
  /** Which credential signs each project (the config file's map; `default` for the rest). */
  readonly signers: CredentialMap;
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
  /** The slowest budget of the clients in use right now, requests per second (a 429 may have lowered it). */
  currentBudget(): number;
  /**
   * Until the returned function is called, the clients send nothing after `deadline` and begin
   * no wait that would end after it (a live read under --max-duration). No deadline: no bound.
   */
  boundRequests(deadline: RunDeadline | undefined): () => void;
  /** Closes the clients (and the in-process emulator, if any). */
  close(): Promise<void>;
}

type Flags = Record<string, string | boolean | string[] | undefined>;

/** The emulator is local: a faster default budget keeps the demo snappy. */
const EMULATOR_RATE_LIMIT: RateLimit = { requests: 100, perMs: 1000 };

/**
 * Builds the run's clients from flags and environment: --emulator starts an in-process
 * emulator seeded with the demo state (with a fresh AK/SK, so requests are really signed);
 * otherwise credentials come from the environment (the config file's map says which variables sign
 * which project) and are checked before any request.
 */
export async function openSession(flags: Flags, io: CliIO): Promise<Session> {
  const rateFlag = flags['rate-limit'];
  // auto: start at the default (or the emulator's) budget and learn the gateway's real limit
  const auto = typeof rateFlag === 'string' && rateFlag.trim().toLowerCase() === 'auto';
  let rateLimit: RateLimit | undefined;
  try {
    rateLimit = typeof rateFlag === 'string' && !auto ? parseRateLimit(rateFlag) : undefined;
  } catch (err) {
    throw new UsageError(`--rate-limit: ${err instanceof Error ? err.message : String(err)}, or auto (learn the gateway's limit)`);
  }
  const concurrency = intFlag('concurrency', flags['concurrency']);
  const timeoutMs = intFlag('timeout', flags['timeout']);
  const maxAttempts = intFlag('max-attempts', flags['max-attempts']);
  const settleMs = msFlag('settle', flags['settle'], MAX_SETTLE_MS);
  const onEvent = clientEventPrinter(io);

  let endpoint = (flags['endpoint'] as string | undefined) ?? io.env['DBSS_ENDPOINT'];
  let embedded: Credentials | undefined;
  let stopEmulator: (() => Promise<void>) | undefined;
  if (flags['emulator'] === true) {
    const ak = randomBytes(10).toString('hex').toUpperCase();
    const sk = randomBytes(20).toString('hex');
    const emulator = await startEmulator({ state: demoState(), auth: { credentials: [{ ak, sk }], tokens: [] } });
    endpoint = emulator.url;
    embedded = new AkSkCredentials({ accessKey: ak, secretKey: sk });
    rateLimit ??= EMULATOR_RATE_LIMIT;
    stopEmulator = () => emulator.close();
    io.stderr.write(`Using the embedded DBSS emulator (demo state) at ${emulator.url}\n`);
  }
  // The embedded emulator's fresh key signs for every name; otherwise each name's variables.
  const rules = io.config?.credentials ?? [];
  const signers = credentialMap(rules, io.env, embedded);
  // Without a map every request uses the environment credentials: check them before anything else.
  if (rules.length === 0) signers.credentials(DEFAULT_CREDENTIAL);
  // With auto, rateLimit is the starting budget (the emulator's or undefined = the default).
  const budget = rateLimit ?? DEFAULT_RATE_LIMIT;
  const budgetPerSecond = (budget.requests * 1000) / budget.perMs;
  const learning = auto ? rateLearning(budget) : undefined;
  const endpointOf = (region: string): string => {
    const e = resolveEndpoint(region, endpoint);
    return `${e.origin}${e.basePath}`;
  };
  let cutoff: SendCutoff | undefined;
  const created: DbssClient[] = [];
  const create = (region: string, projectId: string): DbssClient => {
    const name = signers.nameOf(region, projectId);
    const url = endpointOf(region);
    const client = createDbssClient({
      region,
      credentials: signers.credentials(name),
      ...(endpoint ? { endpoint } : {}),
      ...(rateLimit ? { rateLimit } : {}),
      ...(learning ? { learnRateLimit: learning.storeFor(budgetName(name, url)) } : {}),
      ...(concurrency ? { concurrency } : {}),
      ...(timeoutMs ? { timeoutMs } : {}),
      ...(maxAttempts ? { maxAttempts } : {}),
      ...(settleMs !== undefined ? { settleMs } : {}),
      onEvent: (e) => onEvent(e, url, name),
      cutoff: () => cutoff,
    });
    created.push(client);
    return client;
  };
  const clients = createClientPool(create, {
    keyOf: (region, projectId) => `${signers.nameOf(region, projectId)}\n${endpointOf(region)}`,
    checkCredentials: (region, projectId) => void signers.credentials(signers.nameOf(region, projectId)),
  });
  // The learned limits ride along in the run's call statistics (the --report `calls`).
  const pool: ClientPool = learning ? { ...clients, stats: () => ({ ...clients.stats(), learnedLimits: learning.all() }) } : clients;
  return {
    pool,
    signers,
    budgetPerSecond,
    endpointOf,
    ...(learning ? { rateLearning: learning } : {}),
    ...(endpoint ? { endpoint } : {}),
    currentBudget: () => {
      const slowest = Math.min(...created.map((c) => c.stats().requestsPerSecond ?? Infinity));
      return Number.isFinite(slowest) ? slowest : budgetPerSecond;
    },
    boundRequests(deadline) {
      if (!deadline) return () => undefined;
      cutoff = { at: deadline.at, reason: `--max-duration ${deadline.text}` };
      return () => {
        cutoff = undefined;
      };
    },
    async close() {
      for (const line of learning?.summary() ?? []) io.stderr.write(`${line}\n`);
      await pool.close();
      await stopEmulator?.();
    },
  };
}

/**
 * What a rate budget is called where the run reports it (--rate-limit auto's summary, --report's
 * learnedLimits): the endpoint URL for the default credentials (the live-state cache remembers
 * that one's learned rate), the URL and the name for a credential of the config file's map.
 */
export const budgetName = (credential: string, endpoint: string): string =>
  credential === DEFAULT_CREDENTIAL ? endpoint : `${endpoint} (credential ${credential})`;

/**
 * Throttling and retries are worth a line on stderr; rate-budget waits only on a terminal. An
 * endpoint that cannot be reached gets one line (its first retry names the URL and what to
 * check), not one per retry of every request: each target it serves then fails with its own line.
 * A credential of the config file's map is named in front of its clients' lines.
 */
function clientEventPrinter(io: CliIO): (e: ClientEvent, endpoint: string, credential: string) => void {
  const unreachable = new Set<string>();
  return (e, endpoint, credential) => {
    if (e.type === 'waiting' && !io.stderr.isTTY) return;
    if (e.type === 'retrying' && e.errorCode !== undefined && UNREACHABLE_CODES.has(e.errorCode)) {
      if (unreachable.has(endpoint)) return;
      unreachable.add(endpoint);
    }
    const who = credential === DEFAULT_CREDENTIAL ? '' : `credential ${credential}: `;
    io.stderr.write(`${escapeText(`${who}${e.message}`)}\n`);
  };
}

/** The RunInputs of a command from its flags. */
export function runInputs(flags: Flags, io: CliIO, session: Session): RunInputs {
  const maxChangeRatio = ratioFlag('max-change-ratio', flags['max-change-ratio']) ?? 0.3;
  const minRules = intFlag('min-rules', flags['min-rules']) ?? 10;
  const deadline = runDeadline(flags['max-duration'], Date.now());
  const instances = (flags['instance'] as string[] | undefined) ?? [];
  if (flags['summary-tasks'] === true && instances.length === 0) {
    throw new UsageError('--summary-tasks only adds the summary tasks back to an --instance run; without --instance every summary task is planned already. Add --instance NAME or drop --summary-tasks');
  }
  return {
    ...(deadline ? { deadline } : {}),
    policiesDir: resolve(io.cwd, String(flags['policies'] ?? 'policies')),
    cwd: io.cwd,
    pool: session.pool,
    ...(session.endpoint ? { endpoint: session.endpoint } : {}),
    instances,
    summaryTasks: flags['summary-tasks'] === true,
    // A live read is bounded by --max-duration as a whole: the sink's end lifts the bound (apply has its own).
    readProgress: (label) => {
      const progress = startReadProgress(io.stderr, { label, budgetPerSecond: session.budgetPerSecond, currentBudget: () => session.currentBudget(), ...(io.clock ? { clock: io.clock } : {}) });
      const lift = session.boundRequests(deadline);
      return {
        onProgress: progress.onProgress,
        end() {
          lift();
          progress.end();
        },
      };
    },
    ...(typeof flags['shard'] === 'string' ? { shard: parseShard(flags['shard']) } : {}),
    ...credentialInputs(flags['credential'], session.signers),
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

/** `--credential NAME` (repeatable) as RunInputs members: only the projects those credentials sign. */
function credentialInputs(value: unknown, signers: CredentialMap): Pick<RunInputs, 'credentials'> {
  const only = Array.isArray(value) ? (value as string[]) : [];
  if (only.length === 0) return {};
  for (const name of only) {
    if (!signers.names.includes(name)) {
      throw new UsageError(`--credential ${JSON.stringify(name)} is not a credential of the config file's map (names: ${signers.names.join(', ')})`);
    }
  }
  return { credentials: { only, nameOf: signers.nameOf } };
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
