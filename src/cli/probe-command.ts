import { randomBytes } from 'node:crypto';
import { AkSkCredentials, createDbssClient, credentialMap, parseRateLimit } from '../api/index.js';
import type { ClientOptions, Credentials, RateLimit } from '../api/index.js';
import { demoState, PROFILE_NAMES, startEmulator } from '../emulator/index.js';
import type { Emulator } from '../emulator/index.js';
import { UsageError } from '../errors.js';
import { createRawApi } from '../probe/raw-api.js';
import { renderProbeJson, renderProbeText } from '../probe/render-probe.js';
import { runProbe } from '../probe/run-probe.js';
import type { CliIO, Command } from './io.js';
import { EXIT } from './io.js';
import { intFlag, parseFlags } from './run-options.js';

const OPTIONS = {
  project: { type: 'string' },
  region: { type: 'string' },
  instance: { type: 'string' },
  write: { type: 'boolean', default: false },
  format: { type: 'string', default: 'text' },
  emulator: { type: 'boolean', default: false },
  'emulator-profile': { type: 'string' },
  endpoint: { type: 'string' },
  'rate-limit': { type: 'string' },
  concurrency: { type: 'string' },
  timeout: { type: 'string' },
  'max-attempts': { type: 'string' },
} as const;

const USAGE = `Usage: dbss-policy probe --project ID --region REGION --instance NAME|ID [--write]
                         [--format text|json] [--emulator [--emulator-profile NAME]] [--endpoint URL]
                         [--rate-limit R] [--concurrency N] [--timeout MS] [--max-attempts N]

First contact with a region: reports how it answers each point the DBSS documentation leaves
open (instance-list shape, rank numbering, optional fields, task_switch spelling, the answer to
an unknown id, ...), and which emulator profile behaves the same.
Read-only by default: lists the instances, the instance's rules, shows some of them and reads
the summary tasks.
  --write               also create two temporary rules (dbss-policy-probe-<random>, status OFF,
                        so they never match a statement), rank one, read them back, try a
                        duplicate name, delete them and read a deleted id. They are deleted on
                        failure and on Ctrl-C too; anything left is reported by name (exit 1).
  --format json         the report as JSON; its emulatorProfile loads with
                        dbss-policy emulator --profile-file FILE
  --emulator            probe an in-process emulator (demo state) instead of a region
  --emulator-profile N  ... answering as profile N: ${PROFILE_NAMES.join(', ')}
Exit codes: 0 probed, 1 error or a temporary rule left behind, 130 interrupted.
Credentials (environment): as for plan (HUAWEICLOUD_SDK_AK + HUAWEICLOUD_SDK_SK, ...).`;

const PROJECT_ID = /^[A-Za-z0-9]{32,64}$/;
const REGION = /^[a-z]{2,}(-[a-z]+)+-\d+$/;

type Values = Record<string, string | boolean | string[] | undefined>;

function checked(values: Values): { projectId: string; region: string; instance: string; format: 'text' | 'json' } {
  const { project, region, instance, format } = values;
  if (typeof project !== 'string' || typeof region !== 'string' || typeof instance !== 'string') {
    throw new UsageError('--project, --region and --instance are required (see dbss-policy probe --help)');
  }
  if (!PROJECT_ID.test(project)) throw new UsageError(`--project must be an IAM project id (32-64 letters or digits), got "${project.slice(0, 80)}"`);
  if (!REGION.test(region)) throw new UsageError(`--region must be a region name such as cn-north-4, got "${region.slice(0, 40)}"`);
  if (format !== 'text' && format !== 'json') throw new UsageError(`--format must be text or json, got "${String(format).slice(0, 20)}"`);
  if (values['emulator-profile'] !== undefined && values.emulator !== true) throw new UsageError('--emulator-profile needs --emulator');
  return { projectId: project, region, instance, format };
}

/** Client options from the flags (credentials: the config file's map, else the environment's); with --emulator, an in-process emulator with fresh keys. */
async function connection(values: Values, io: CliIO, region: string, projectId: string): Promise<{ options: ClientOptions; emulator?: Emulator }> {
  let rateLimit: RateLimit | undefined;
  try {
    rateLimit = typeof values['rate-limit'] === 'string' ? parseRateLimit(values['rate-limit']) : undefined;
  } catch (err) {
    throw new UsageError(`--rate-limit: ${err instanceof Error ? err.message : String(err)}`);
  }
  const concurrency = intFlag('concurrency', values.concurrency);
  const timeoutMs = intFlag('timeout', values.timeout);
  const maxAttempts = intFlag('max-attempts', values['max-attempts']);
  const tuning = { ...(rateLimit ? { rateLimit } : {}), ...(concurrency ? { concurrency } : {}), ...(timeoutMs ? { timeoutMs } : {}), ...(maxAttempts ? { maxAttempts } : {}) };
  const onEvent = (e: { message: string }) => void io.stderr.write(`${e.message}\n`);
  if (values.emulator === true) {
    const ak = randomBytes(10).toString('hex').toUpperCase();
    const sk = randomBytes(20).toString('hex');
    const profile = typeof values['emulator-profile'] === 'string' ? values['emulator-profile'] : 'default';
    if (!(PROFILE_NAMES as string[]).includes(profile)) throw new UsageError(`--emulator-profile must be one of ${PROFILE_NAMES.join(', ')}, got "${profile.slice(0, 40)}"`);
    const emulator = await startEmulator({ state: demoState(), profile, auth: { credentials: [{ ak, sk }], tokens: [] } });
    io.stderr.write(`Using the embedded DBSS emulator (demo state, profile ${profile}) at ${emulator.url}\n`);
    const credentials: Credentials = new AkSkCredentials({ accessKey: ak, secretKey: sk });
    return { options: { region, credentials, endpoint: emulator.url, rateLimit: { requests: 100, perMs: 1000 }, ...tuning, onEvent }, emulator };
  }
  const endpoint = (values.endpoint as string | undefined) ?? io.env['DBSS_ENDPOINT'];
  const signers = credentialMap(io.config?.credentials ?? [], io.env);
  const credentials = signers.credentials(signers.nameOf(region, projectId));
  return { options: { region, credentials, ...(endpoint ? { endpoint } : {}), ...tuning, onEvent } };
}

/** `dbss-policy probe`: how a region answers the API's open points. */
export const probeCommand: Command = {
  name: 'probe',
  summary: "first contact with a region: how it answers the API's open points (read-only unless --write)",
  usage: USAGE,
  options: OPTIONS,
  async run(argv: readonly string[], io: CliIO): Promise<number> {
    const { values } = parseFlags(argv, OPTIONS, 'probe');
    const { projectId, region, instance, format } = checked(values);
    const { options, emulator } = await connection(values, io, region, projectId);
    const client = createDbssClient(options);
    const raw = createRawApi(options);
    const controller = new AbortController();
    const stop = (signal: NodeJS.Signals): void => {
      io.stderr.write(`\n${signal}: interrupted: finishing the call in flight, then deleting the temporary rules...\n`);
      controller.abort();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    try {
      const report = await runProbe(client, raw, { region, projectId, instance, write: values.write === true, signal: controller.signal });
      io.stdout.write(format === 'json' ? renderProbeJson(report) : renderProbeText(report));
      if (report.interrupted) return EXIT.interrupted;
      return report.errors.length > 0 || (report.cleanup?.leftovers.length ?? 0) > 0 ? EXIT.error : EXIT.ok;
    } finally {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      await Promise.all([client.close(), raw.close()]);
      await emulator?.close();
    }
  },
};
