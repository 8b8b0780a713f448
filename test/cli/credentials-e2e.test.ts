import { execFileSync } from 'node:child_process';
import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AkSkCredentials, createDbssClient } from '../../src/api/index.js';
import { DEMO_PROJECTS, demoState, startEmulator } from '../../src/emulator/index.js';
import type { Emulator, EmulatorOptions, RequestLogEntry } from '../../src/emulator/index.js';
import { runCli } from '../helpers/run-cli.js';
import { startEmulatorEnv } from './emulator-env.js';
import type { EmulatorEnv } from './emulator-env.js';

/**
 * Two accounts from one repository: the config file's credentials map names, per project, the
 * environment variables of its AK/SK pair. The emulator knows both pairs and logs which one
 * signed each request (by name, never by key), so the tests count each credential's requests
 * and check that every request of a project was signed with that project's pair.
 */

const REPO = join(import.meta.dirname, '../..');
const POLICIES = join(REPO, 'policies');

const PAYMENTS = { ak: 'PAYMENTSACCESSKEY001', sk: 'payments-secret-key-that-must-never-be-printed' };
const ANALYTICS = { ak: 'ANALYTICSACCESSKEY01', sk: 'analytics-secret-key-that-must-never-be-printed' };
const SECRETS = [PAYMENTS.ak, PAYMENTS.sk, ANALYTICS.ak, ANALYTICS.sk];

/** The credentials map: payments by project id, analytics by region. */
const CONFIG = `credentials:
  - name: payments
    projects: [${DEMO_PROJECTS.payments}]
    access_key_env: DBSS_PAYMENTS_AK
    secret_key_env: DBSS_PAYMENTS_SK
  - name: analytics
    regions: [cn-east-3]
    access_key_env: DBSS_ANALYTICS_AK
    secret_key_env: DBSS_ANALYTICS_SK
`;
const PAYMENTS_ENV = { DBSS_PAYMENTS_AK: PAYMENTS.ak, DBSS_PAYMENTS_SK: PAYMENTS.sk };
const ANALYTICS_ENV = { DBSS_ANALYTICS_AK: ANALYTICS.ak, DBSS_ANALYTICS_SK: ANALYTICS.sk };
/** The default environment credentials are not set: every project is signed through the map. */
const NO_DEFAULT = { HUAWEICLOUD_SDK_AK: '', HUAWEICLOUD_SDK_SK: '', HW_ACCESS_KEY: '', HW_SECRET_KEY: '', HUAWEICLOUD_AUTH_TOKEN: '' };

let e: EmulatorEnv | undefined;
afterEach(async () => {
  await e?.close();
  e = undefined;
});

/** An emulator that accepts both pairs (each named for the log); the config file written in the test's directory. */
async function twoAccounts(options: EmulatorOptions = {}): Promise<{ env: EmulatorEnv; config: string }> {
  const auth = { credentials: [{ ...PAYMENTS, name: 'payments' }, { ...ANALYTICS, name: 'analytics' }], tokens: [] };
  e = await startEmulatorEnv({ auth, ...options });
  const config = join(e.dir, 'dbss-policy.yaml');
  await writeFile(config, CONFIG);
  return { env: e, config };
}

const envOf = (env: EmulatorEnv, ...parts: Record<string, string>[]): Record<string, string> => ({
  ...env.env,
  ...NO_DEFAULT,
  ...Object.assign({}, ...parts),
});

/** The project id in a request path (`/v1/{project_id}/...`). */
const projectOf = (entry: RequestLogEntry): string | undefined => /^\/v\d+\/([^/]+)\//.exec(entry.path)?.[1];
const EXPECTED_CALLER: Record<string, string> = { [DEMO_PROJECTS.payments]: 'payments', [DEMO_PROJECTS.analytics]: 'analytics' };
const byCaller = (emulator: Emulator): Record<string, number> => {
  const counts: Record<string, number> = {};
  for (const entry of emulator.log) counts[entry.caller ?? 'none'] = (counts[entry.caller ?? 'none'] ?? 0) + 1;
  return counts;
};

describe('a credentials map in the config file', () => {
  it("signs each project's requests with its own credential, counted at the emulator per key", async () => {
    const { env, config } = await twoAccounts();
    const run = await runCli(['reconcile', '--yes', '--config', config, '--policies', POLICIES], { env: envOf(env, PAYMENTS_ENV, ANALYTICS_ENV), cwd: REPO });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Converged');
    const log = env.emulator.log;
    expect(log.length).toBeGreaterThan(10);
    for (const entry of log) {
      expect(entry.status).not.toBe(401);
      expect(entry.caller).toBe(EXPECTED_CALLER[projectOf(entry) ?? '']);
    }
    const counts = byCaller(env.emulator);
    expect(counts['payments']).toBeGreaterThan(0);
    expect(counts['analytics']).toBeGreaterThan(0);
    expect(counts['payments']! + counts['analytics']!).toBe(log.length);
    for (const secret of SECRETS) expect(run.stdout + run.stderr).not.toContain(secret);
  });

  it('a variable the map names that is not set stops the run before any request, naming it', async () => {
    const { env, config } = await twoAccounts();
    const run = await runCli(['plan', '--config', config, '--policies', POLICIES], { env: envOf(env, PAYMENTS_ENV, { DBSS_ANALYTICS_AK: ANALYTICS.ak }), cwd: REPO });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('credential "analytics" (');
    expect(run.stderr).toContain('dbss-policy.yaml:6): the environment variable DBSS_ANALYTICS_SK (its secret key) is not set; nothing was sent');
    expect(env.emulator.counters().requests).toBe(0);
    for (const secret of SECRETS) expect(run.stdout + run.stderr).not.toContain(secret);
  });

  it("--credential NAME plans only that credential's projects, with only its secrets in the environment", async () => {
    const { env, config } = await twoAccounts();
    const payments = await runCli(['plan', '--credential', 'payments', '--config', config, '--policies', POLICIES], { env: envOf(env, PAYMENTS_ENV), cwd: REPO });
    expect(payments.code).toBe(0);
    expect(payments.stdout).toContain('prod-audit');
    expect(payments.stdout).not.toContain('pci-audit');
    expect(byCaller(env.emulator)).toEqual({ payments: env.emulator.log.length });
    env.emulator.resetCounters();
    const analytics = await runCli(['plan', '--credential', 'analytics', '--config', config, '--policies', POLICIES], { env: envOf(env, ANALYTICS_ENV), cwd: REPO });
    expect(analytics.code).toBe(0);
    expect(analytics.stdout).toContain('pci-audit');
    expect(analytics.stdout).not.toContain('prod-audit');
    expect(byCaller(env.emulator)).toEqual({ analytics: env.emulator.log.length });
    // the environment credentials sign the projects no entry matches: here there are none
    env.emulator.resetCounters();
    const rest = await runCli(['plan', '--credential', 'default', '--config', config, '--policies', POLICIES], { env: envOf(env), cwd: REPO });
    expect(rest.code).toBe(0);
    expect(rest.stdout).toContain('No changes');
    expect(env.emulator.counters().requests).toBe(0);
    const unknown = await runCli(['plan', '--credential', 'prod', '--config', config, '--policies', POLICIES], { env: envOf(env), cwd: REPO });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain(`--credential "prod" is not a credential of the config file's map (names: payments, analytics, default)`);
    for (const run of [payments, analytics, rest, unknown]) for (const secret of SECRETS) expect(run.stdout + run.stderr).not.toContain(secret);
  });

  it('a wrong key stops only its own credential: one refused request for it, the other account is read in full', async () => {
    const { env, config } = await twoAccounts();
    const wrong = 'a-mistyped-analytics-secret-key-long-enough-00';
    const run = await runCli(['plan', '--concurrency', '8', '--config', config, '--policies', POLICIES], { env: envOf(env, PAYMENTS_ENV, { ...ANALYTICS_ENV, DBSS_ANALYTICS_SK: wrong }), cwd: REPO });
    expect(run.code).toBe(1);
    const refused = env.emulator.log.filter((x) => x.status === 401);
    expect(refused).toHaveLength(1);
    expect(projectOf(refused[0]!)).toBe(DEMO_PROJECTS.analytics);
    expect(env.emulator.log.filter((x) => x.caller === 'payments').every((x) => x.status === 200)).toBe(true);
    expect(run.stdout).toContain('prod-audit');
    expect(run.stdout + run.stderr).toContain('the access key (credential "analytics": DBSS_ANALYTICS_AK and DBSS_ANALYTICS_SK) was refused');
    for (const secret of [...SECRETS, wrong]) expect(run.stdout + run.stderr).not.toContain(secret);
  });

  it('--credential with --changed-since: the state at the ref is split the same way, so a job never reads another account', async () => {
    const { env, config } = await twoAccounts();
    const repo = join(env.dir, 'repo');
    await cp(POLICIES, join(repo, 'policies'), { recursive: true });
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.email=test@example.invalid', '-c', 'user.name=test', '-c', 'commit.gpgsign=false', ...args], { cwd: repo });
    git('init', '-q', '-b', 'main');
    git('add', '-A');
    git('commit', '-q', '-m', 'base');
    // the pull request changes one payments rule; analytics (a selector project) is unchanged
    const payments = join(repo, 'policies', 'payments', 'cn-north-4.yaml');
    await writeFile(payments, (await readFile(payments, 'utf8')).replace('value: 1000', 'value: 500'));
    const args = ['plan', '--changed-since', 'HEAD', '--credential', 'payments', '--config', config, '--policies', 'policies'];
    const run = await runCli(args, { env: envOf(env, PAYMENTS_ENV), cwd: repo });
    expect(run.stderr).not.toContain('DBSS_ANALYTICS');
    expect([0, 2]).toContain(run.code);
    expect(run.stdout).toContain('bulk-delete-prod');
    expect(run.stdout).not.toContain(DEMO_PROJECTS.analytics);
    expect(byCaller(env.emulator)).toEqual({ payments: env.emulator.log.length });
  });

  it("gives each credential its own request budget: one credential's 429s do not slow the other", async () => {
    // The gateway allows each key 3 requests a minute (one more every 20 s). Payments plans about
    // three times that, analytics (its summary tasks only) fewer: with one budget per credential
    // only payments meets 429s, however slowly a busy machine runs it.
    const { env, config } = await twoAccounts({ rateLimit: { limit: 3, per: 'minute' } });
    const policies = join(env.dir, 'policies');
    await mkdir(join(policies, 'analytics'), { recursive: true });
    await cp(join(POLICIES, 'payments'), join(policies, 'payments'), { recursive: true });
    await cp(join(POLICIES, 'baseline.yaml'), join(policies, 'baseline.yaml'));
    await writeFile(join(policies, 'analytics', 'tasks.yaml'), `version: 1\nregion: cn-east-3\nproject_id: ${DEMO_PROJECTS.analytics}\nsummary_tasks:\n  risk: on\n`);
    const args = ['plan', '--rate-limit', 'auto', '--max-attempts', '1', '--config', config, '--policies', policies];
    const run = await runCli(args, { env: envOf(env, PAYMENTS_ENV, ANALYTICS_ENV), cwd: REPO });
    const log = env.emulator.log;
    const of = (caller: string) => log.filter((x) => x.caller === caller);
    expect(of('payments').length).toBeGreaterThan(3);
    expect(of('payments').filter((x) => x.status === 429).length).toBeGreaterThan(0);
    expect(of('analytics').length).toBeGreaterThan(0);
    expect(of('analytics').every((x) => x.status === 200)).toBe(true);
    // payments' targets fail on their 429s (one attempt each); analytics' task is read and planned
    expect(run.code).toBe(1);
    const notPlanned = run.stdout.slice(run.stdout.indexOf('Not planned:'));
    expect(notPlanned).toContain(`cn-north-4/${DEMO_PROJECTS.payments}/`);
    expect(notPlanned).toContain('429 APIG.0308');
    expect(notPlanned).not.toContain(DEMO_PROJECTS.analytics);
    const endpoint = env.emulator.url.replace(/\/$/, '');
    expect(run.stderr).toContain(`Request rate (--rate-limit auto) for ${endpoint} (credential payments): 1/s, the floor (the gateway states 3 per minute`);
    expect(run.stderr).toContain(`Request rate (--rate-limit auto) for ${endpoint} (credential analytics): the starting budget: no 429 came back`);
    for (const secret of SECRETS) expect(run.stdout + run.stderr).not.toContain(secret);
  });
});

describe('the emulator names the credential that signed a request', () => {
  it('as caller in its log, never the key; an unnamed pair leaves it out', async () => {
    const emulator = await startEmulator({ state: demoState(), auth: { credentials: [{ ...PAYMENTS, name: 'payments' }, ANALYTICS], tokens: [] } });
    try {
      for (const [pair, project] of [[PAYMENTS, DEMO_PROJECTS.payments], [ANALYTICS, DEMO_PROJECTS.analytics]] as const) {
        const client = createDbssClient({ region: 'cn-north-4', endpoint: emulator.url, credentials: new AkSkCredentials({ accessKey: pair.ak, secretKey: pair.sk }) });
        await client.listInstances(project);
        await client.close();
      }
      expect(emulator.log.map((x) => x.caller)).toEqual(['payments', undefined]);
      expect(JSON.stringify(emulator.log)).not.toContain(PAYMENTS.ak);
    } finally {
      await emulator.close();
    }
  });
});
