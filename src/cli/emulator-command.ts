import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, UsageError } from '../errors.js';
import type { AccessKeyCredential, ApiProfile, AuthSettings, EmulatorOptions, EmulatorState, FaultKind } from '../emulator/index.js';
import { demoState, emptyState, FAULT_KINDS, generateState, loadProfileFile, nameOfProfile, parseRateLimit, PROFILE_NAMES, profileByName, startEmulator } from '../emulator/index.js';
import type { CliIO, Command } from './io.js';
import { EXIT } from './io.js';
import { flagError } from './flag-errors.js';

const DEFAULT_STATE_FILE = '.dbss-emulator-state.json';

const USAGE = `Usage: dbss-policy emulator [--host 127.0.0.1] [--port N] [--state FILE | --ephemeral]
                            [--seed-demo | --generate PxIxR] [--reset] [--rate-limit N/min]
                            [--latency MS] [--jitter MS] [--fault-rate P] [--fault-kinds K,...]
                            [--no-auth] [--log FILE|-] [--profile NAME | --profile-file FILE]

Runs a local DBSS API server (the documented risk-rule, instance and summary-task APIs) until
SIGINT/SIGTERM, then saves its state and exits 0. Prints "listening on <url>" on stdout; use
that URL as the DBSS endpoint (dbss-policy plan --endpoint <url>).

  --host H           interface to listen on (default 127.0.0.1)
  --port N           port (default 8088; 0 picks a free one)
  --state FILE       state file: loaded when it exists, saved after writes and on exit
                     (default ${DEFAULT_STATE_FILE} in the working directory)
  --ephemeral        keep the state in memory only
  --seed-demo        start a new state file from the demo estate (matches policies/)
  --generate PxIxR   start a new state file with P projects x I instances x R rules (benchmarks)
  --reset            discard an existing state file and start from the seed (or empty)
  --seed N           seed of generated states, faults, jitter and request ids (default 1)
  --rate-limit R     per-credential budget, e.g. 600/min, 10/s (default unlimited)
  --latency MS       added delay per request;  --jitter MS  extra random delay up to MS
  --fault-rate P     probability (0-1) of an injected fault per request
  --fault-kinds K    kinds to draw from: ${FAULT_KINDS.join(', ')} (default all but 429)
  --summary-task-ms MS  how long an executed summary task runs (default 2000)
  --list-lag-ms MS   a created rule shows in rule lists only MS after its create, as a
                     search-backed listing would (default 0: at once)
  --log FILE         append a JSON line per request to FILE ("-" = standard error)
  --no-auth          accept every request (open mode)
  --profile NAME     how to answer where the API documentation is silent (rank numbering, the
                     instance-list shape, read-backs, optional fields, unknown ids, duplicate
                     names): ${PROFILE_NAMES.join(', ')} (default: default)
  --profile-file F   such a reading from a JSON file, e.g. what \`dbss-policy probe --format json\`
                     wrote against a real region

Authentication: the emulator accepts the credentials of the environment, exactly as the client
reads them: HUAWEICLOUD_SDK_AK + HUAWEICLOUD_SDK_SK [+ HUAWEICLOUD_SDK_SECURITY_TOKEN], or
HW_ACCESS_KEY + HW_SECRET_KEY [+ HW_SECURITY_TOKEN] (AK/SK signatures), and
HUAWEICLOUD_AUTH_TOKEN (X-Auth-Token). With none of them set it runs in open mode and says so.
Secrets are never accepted as flags (they would leak into shell history and ps).
`;

const OPTIONS = {
  host: { type: 'string', default: '127.0.0.1' },
  port: { type: 'string', default: '8088' },
  state: { type: 'string' },
  ephemeral: { type: 'boolean', default: false },
  'seed-demo': { type: 'boolean', default: false },
  generate: { type: 'string' },
  reset: { type: 'boolean', default: false },
  seed: { type: 'string', default: '1' },
  'rate-limit': { type: 'string' },
  latency: { type: 'string' },
  jitter: { type: 'string' },
  'fault-rate': { type: 'string' },
  'fault-kinds': { type: 'string' },
  'summary-task-ms': { type: 'string' },
  'list-lag-ms': { type: 'string' },
  log: { type: 'string' },
  'no-auth': { type: 'boolean', default: false },
  profile: { type: 'string' },
  'profile-file': { type: 'string' },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; strict: true }>>['values'];

function parse(argv: readonly string[]): Values {
  try {
    return parseArgs({ args: [...argv], options: OPTIONS, strict: true, allowPositionals: false }).values;
  } catch (err) {
    throw flagError(err, OPTIONS, 'emulator');
  }
}

function wholeNumber(flag: string, value: string | undefined, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) > max) throw new UsageError(`--${flag} must be a whole number from 0 to ${max}, got "${value}"`);
  return Number(value);
}

/** The accepted credentials from the environment; undefined when none is set. */
export function authFromEnv(env: CliIO['env']): AuthSettings | undefined {
  const credentials: AccessKeyCredential[] = [];
  for (const [akName, skName, tokenName] of [
    ['HUAWEICLOUD_SDK_AK', 'HUAWEICLOUD_SDK_SK', 'HUAWEICLOUD_SDK_SECURITY_TOKEN'],
    ['HW_ACCESS_KEY', 'HW_SECRET_KEY', 'HW_SECURITY_TOKEN'],
  ] as const) {
    const ak = env[akName];
    const sk = env[skName];
    if (!ak && !sk) continue;
    if (!ak || !sk) throw new ConfigError(`${ak ? skName : akName} is not set (${ak ? akName : skName} is): set both or neither`);
    const securityToken = env[tokenName];
    credentials.push(securityToken ? { ak, sk, securityToken } : { ak, sk });
  }
  const token = env.HUAWEICLOUD_AUTH_TOKEN;
  const tokens = token ? [token] : [];
  return credentials.length > 0 || tokens.length > 0 ? { credentials, tokens } : undefined;
}

function seedState(values: Values, seed: number): { state: EmulatorState; label: string } {
  if (values['seed-demo'] && values.generate) throw new UsageError('--seed-demo and --generate exclude each other');
  if (values['seed-demo']) return { state: demoState(), label: 'the demo estate' };
  if (values.generate) {
    const m = /^(\d+)x(\d+)x(\d+)$/.exec(values.generate);
    if (!m) throw new UsageError(`--generate must look like 2x3x50 (projects x instances x rules), got "${values.generate}"`);
    const [projects, instancesPerProject, rulesPerInstance] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const state = generateState({ projects, instancesPerProject, rulesPerInstance, seed });
    // The ids are random: a policy (or `export --project`) needs them, so they are said here.
    const made = Object.entries(state.projects).map(([id, p]) => `${id} (${p.region})`);
    return { state, label: `a generated estate (${values.generate}), project${made.length === 1 ? '' : 's'} ${made.join(', ')}` };
  }
  return { state: emptyState(seed), label: 'an empty estate (use --seed-demo for the demo)' };
}

function faultKinds(text: string | undefined): FaultKind[] | undefined {
  if (text === undefined) return undefined;
  const kinds = text.split(',').map((k) => k.trim());
  const bad = kinds.filter((k) => !(FAULT_KINDS as readonly string[]).includes(k));
  if (bad.length > 0) throw new UsageError(`--fault-kinds: unknown kind ${bad.join(', ')} (known: ${FAULT_KINDS.join(', ')})`);
  return kinds as FaultKind[];
}

/** The API profile of --profile / --profile-file (they exclude each other), with a notice. */
async function chosenProfile(values: Values, io: CliIO): Promise<{ profile: ApiProfile; notice: string }> {
  if (values.profile !== undefined && values['profile-file'] !== undefined) throw new UsageError('--profile and --profile-file exclude each other');
  if (values['profile-file'] !== undefined) {
    const profile = await loadProfileFile(resolve(io.cwd, values['profile-file']));
    const name = nameOfProfile(profile);
    return { profile, notice: `API profile: from ${values['profile-file']}${name ? ` (same as "${name}")` : ''}` };
  }
  try {
    return { profile: profileByName(values.profile ?? 'default'), notice: `API profile: ${values.profile ?? 'default'}` };
  } catch (err) {
    throw new UsageError(`--profile: ${(err as Error).message}`);
  }
}

/** Turns the flags and environment into startEmulator options, plus what to tell the user. */
async function emulatorOptions(values: Values, io: CliIO): Promise<{ options: EmulatorOptions; notices: string[] }> {
  const notices: string[] = [];
  const { profile, notice } = await chosenProfile(values, io);
  notices.push(notice);
  const seed = wholeNumber('seed', values.seed) ?? 1;
  const port = wholeNumber('port', values.port, 65535) ?? 8088;
  const stateFile = values.ephemeral ? undefined : resolve(io.cwd, values.state ?? DEFAULT_STATE_FILE);
  if (values.ephemeral && values.state) throw new UsageError('--state and --ephemeral exclude each other');
  const loadExisting = stateFile !== undefined && !values.reset && existsSync(stateFile);
  // An existing state file wins over the seed flags (so the same command line survives a restart).
  const seeded = loadExisting ? undefined : seedState(values, seed);
  notices.push(seeded ? `state: ${seeded.label}${stateFile ? `, saved to ${stateFile}` : ', in memory only'}` : `state: loaded ${stateFile} (--reset starts over)`);
  const seedFlag = values['seed-demo'] ? '--seed-demo' : values.generate !== undefined ? '--generate' : undefined;
  if (loadExisting && seedFlag) {
    // Said loudly: a quick start run twice would otherwise show "No changes." without a word why.
    notices.push(
      `${seedFlag} was NOT applied: ${stateFile} already exists and holds the state of an earlier run ` +
        `(with its changes); add --reset to start again from the seed, or delete the file`,
    );
  }

  const rateText = values['rate-limit'];
  const rateLimit = rateText === undefined ? undefined : parseRateLimit(rateText);
  if (rateText !== undefined && !rateLimit) throw new UsageError(`--rate-limit must look like 600/min or 10/s, got "${rateText}"`);
  const faultRateText = values['fault-rate'];
  const faultRate = faultRateText === undefined ? 0 : Number(faultRateText);
  if (!(faultRate >= 0 && faultRate <= 1)) throw new UsageError(`--fault-rate must be a number from 0 to 1, got "${faultRateText}"`);
  const kinds = faultKinds(values['fault-kinds']);

  const auth = values['no-auth'] ? undefined : authFromEnv(io.env);
  if (values['no-auth']) notices.push('auth: off (--no-auth): every request is accepted');
  else if (!auth) notices.push('auth: off: no HUAWEICLOUD_SDK_AK/SK, HW_ACCESS_KEY/HW_SECRET_KEY or HUAWEICLOUD_AUTH_TOKEN in the environment, so every request is accepted');
  else notices.push(`auth: on: ${auth.credentials.length} access key(s) and ${auth.tokens.length} token(s) from the environment`);

  const log = values.log;
  const latencyMs = wholeNumber('latency', values.latency);
  const jitterMs = wholeNumber('jitter', values.jitter);
  const options: EmulatorOptions = {
    profile,
    host: values.host,
    port,
    ...(seeded ? { state: seeded.state } : {}),
    loadStateFile: loadExisting,
    seed,
    ...(stateFile ? { stateFile } : {}),
    ...(auth ? { auth } : {}),
    ...(rateLimit ? { rateLimit } : {}),
    ...(latencyMs !== undefined || jitterMs !== undefined ? { latency: { fixedMs: latencyMs ?? 0, jitterMs: jitterMs ?? 0 } } : {}),
    ...(faultRate > 0 ? { faults: { rate: faultRate, ...(kinds ? { kinds } : {}) } } : {}),
    ...(values['summary-task-ms'] !== undefined ? { summaryTaskDurationMs: wholeNumber('summary-task-ms', values['summary-task-ms']) ?? 0 } : {}),
    ...(values['list-lag-ms'] !== undefined ? { listLagMs: wholeNumber('list-lag-ms', values['list-lag-ms'], 600_000) ?? 0 } : {}),
    ...(log === '-' ? { onRequest: (entry) => io.stderr.write(`${JSON.stringify(entry)}\n`) } : log ? { logFile: resolve(io.cwd, log) } : {}),
  };
  return { options, notices };
}

function untilSignal(): Promise<string> {
  return new Promise((resolveSignal) => {
    const stop = (signal: string) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolveSignal(signal);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

/** `dbss-policy emulator`: serve the DBSS API locally until stopped. */
export const emulatorCommand: Command = {
  name: 'emulator',
  summary: 'run a local DBSS API server (demo, tests, rehearsals)',
  usage: USAGE,
  options: OPTIONS,
  async run(argv: readonly string[], io: CliIO): Promise<number> {
    const { options, notices } = await emulatorOptions(parse(argv), io);
    let emulator;
    try {
      emulator = await startEmulator(options);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EADDRINUSE' || code === 'EADDRNOTAVAIL' || code === 'EACCES') {
        throw new ConfigError(`cannot listen on ${options.host}:${options.port}: ${code} (choose another --host/--port)`, { cause: err });
      }
      throw err;
    }
    for (const notice of notices) io.stderr.write(`dbss-policy emulator: ${notice}\n`);
    const stopped = untilSignal();
    io.stdout.write(`listening on ${emulator.url}\n`);
    const signal = await stopped;
    io.stderr.write(`dbss-policy emulator: ${signal}: saving state and stopping\n`);
    await emulator.close();
    return EXIT.ok;
  },
};
