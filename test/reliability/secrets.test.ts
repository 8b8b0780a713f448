import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoState, startEmulator } from '../../src/emulator/index.js';
import type { Emulator } from '../../src/emulator/index.js';
import { runCli } from '../helpers/run-cli.js';
import type { CliRun } from '../helpers/run-cli.js';
import { startCli } from './helpers/cli-process.js';

/**
 * Secrets: the configured access key, secret key, security token and IAM token never appear in
 * anything a command prints or writes (stdout, stderr, --out plan files, --report files,
 * exported policies, the emulator's request log), in any output format, on success and on
 * failure (bad signature, bad token, server errors), with Node's and undici's debug logging on.
 */
const AK = 'SECRETAKNEVERPRINTED7';
const SK = 'SecretSkNeverPrinted-0123456789abcdefXYZ';
const STS = 'StsTokenNeverPrinted-' + 'q'.repeat(40);
const IAM = 'IamTokenNeverPrinted-' + 'w'.repeat(40);
const SECRETS = [AK, SK, STS, IAM];
const REPO = join(import.meta.dirname, '../..');
const POLICIES = join(REPO, 'policies');
const PAYMENTS = '0f1e2d3c4b5a69788796a5b4c3d2e1f0';
const DEBUG = { NODE_DEBUG: 'http,net,tls,undici,fetch' };
/** The CLI's default budget is 10 requests/s; the emulator takes more. */
const FAST = ['--rate-limit', '1000/s'];

const akEnv = { HUAWEICLOUD_SDK_AK: AK, HUAWEICLOUD_SDK_SK: SK, HUAWEICLOUD_SDK_SECURITY_TOKEN: STS };
const tokenEnv = { HUAWEICLOUD_AUTH_TOKEN: IAM, HUAWEICLOUD_SDK_AK: '', HUAWEICLOUD_SDK_SK: '', HUAWEICLOUD_SDK_SECURITY_TOKEN: '' };

let dir: string;
/** Every text a command produced, labelled. */
const captured: { label: string; text: string }[] = [];
const emulators: Emulator[] = [];

async function emulator(): Promise<Emulator> {
  const e = await startEmulator({ state: demoState(), auth: { credentials: [{ ak: AK, sk: SK, securityToken: STS }], tokens: [IAM] } });
  emulators.push(e);
  return e;
}

async function cli(label: string, args: string[], env: Record<string, string>): Promise<CliRun> {
  const run = await runCli(args, { env: { ...akEnv, ...env }, cwd: dir });
  captured.push({ label: `${label} stdout`, text: run.stdout }, { label: `${label} stderr`, text: run.stderr });
  return run;
}

async function file(label: string, path: string): Promise<string> {
  const text = await readFile(path, 'utf8');
  captured.push({ label, text });
  return text;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dbss-secrets-'));
  await mkdir(join(dir, 'bad'));
  await writeFile(join(dir, 'bad', 'a.yaml'), `version: 1\nregion: cn-north-4\nproject_id: ${PAYMENTS}\ninstances: [{name: x, risk_rules: [{name: r, risk_level: SEVERE}]}]\n`);
});
afterAll(async () => {
  await Promise.all(emulators.map((e) => e.close()));
  await rm(dir, { recursive: true, force: true });
});

describe('secrets never appear in any output', () => {
  it('validate, plan, apply, reconcile and export, in every format, on success', async () => {
    const e = await emulator();
    const at = { DBSS_ENDPOINT: e.url };
    const runs = await Promise.all([
      ...(['text', 'json', 'github'] as const).flatMap((f) => [
        cli(`validate ${f}`, ['validate', '--policies', POLICIES, '--format', f], {}),
        cli(`validate invalid ${f}`, ['validate', '--policies', join(dir, 'bad'), '--format', f], {}),
      ]),
      ...(['text', 'markdown', 'json', 'github'] as const).map((f) =>
        cli(`plan ${f}`, ['plan', ...FAST, '--policies', POLICIES, '--format', f, '--out', join(dir, `plan-${f}.json`), '--detailed-exitcode'], f === 'json' ? { ...at, ...DEBUG } : at),
      ),
      cli('plan invalid', ['plan', ...FAST, '--policies', join(dir, 'bad')], at),
      cli('reconcile --dry-run', ['reconcile', ...FAST, '--dry-run', '--policies', POLICIES, '--format', 'markdown'], at),
      cli('export', ['export', ...FAST, '--project', PAYMENTS, '--region', 'cn-north-4', '--out', '-'], at),
      cli('export to files', ['export', ...FAST, '--project', PAYMENTS, '--region', 'cn-north-4', '--out', join(dir, 'exported')], at),
    ]);
    expect(runs.map((r) => r.code)).toEqual([0, 1, 0, 1, 0, 1, 2, 2, 2, 2, 1, 0, 0, 0]);
    const saved = await file('plan --out', join(dir, 'plan-json.json'));
    for (const f of ['text', 'markdown', 'github']) await file(`plan --out (${f})`, join(dir, `plan-${f}.json`));
    const exported = await readdir(join(dir, 'exported'), { recursive: true });
    for (const f of exported.filter((p) => p.endsWith('.yaml'))) await file(`exported ${f}`, join(dir, 'exported', f));

    const apply = await cli('apply PLANFILE', ['apply', ...FAST, join(dir, 'plan-json.json'), '--policies', POLICIES, '--report', join(dir, 'apply.json')], at);
    expect(apply.code, apply.stdout + apply.stderr).toBe(0);
    await file('apply --report', join(dir, 'apply.json'));
    e.replaceState(demoState());
    const reconcile = await cli('reconcile', ['reconcile', ...FAST, '--policies', POLICIES, '--format', 'github', '--report', join(dir, 'reconcile.json')], { ...at, ...DEBUG });
    expect(reconcile.code, reconcile.stdout + reconcile.stderr).toBe(0);
    await file('reconcile --report', join(dir, 'reconcile.json'));
    e.replaceState(demoState());
    const withToken = await cli('reconcile with a token', ['reconcile', ...FAST, '--policies', POLICIES, '--report', join(dir, 'token.json')], { ...at, ...tokenEnv });
    expect(withToken.code, withToken.stdout + withToken.stderr).toBe(0);
    await file('token reconcile --report', join(dir, 'token.json'));

    expect(JSON.parse(saved)).toHaveProperty('formatVersion', 1);
    expect(captured.some((c) => /^(UNDICI|FETCH|NET) \d+: /m.test(c.text)), 'debug logging was on').toBe(true);
    expectNoSecret();
  });

  it('failures: bad signature, bad token, server errors and business failures', async () => {
    const [signatures, tokens, failing] = [await emulator(), await emulator(), await emulator()];
    failing.failNext('SetRiskOperationPolicy', '500', 2);
    failing.failNext('CreateAuditRiskRule', 'failed', 1);
    failing.failNext('ShowAuditTaskStatus', 'failed', 1);
    const runs = await Promise.all([
      cli('plan, wrong secret key', ['plan', ...FAST, '--policies', POLICIES, '--format', 'json'], { DBSS_ENDPOINT: signatures.url, HUAWEICLOUD_SDK_SK: `${SK}x`, ...DEBUG }),
      cli('reconcile, wrong security token', ['reconcile', ...FAST, '--policies', POLICIES, '--format', 'github'], { DBSS_ENDPOINT: signatures.url, HUAWEICLOUD_SDK_SECURITY_TOKEN: `${STS}x` }),
      cli('plan, wrong token', ['plan', ...FAST, '--policies', POLICIES, '--format', 'markdown'], { DBSS_ENDPOINT: tokens.url, ...tokenEnv, HUAWEICLOUD_AUTH_TOKEN: `${IAM}x` }),
      cli('reconcile, server errors', ['reconcile', ...FAST, '--policies', POLICIES, '--report', join(dir, 'failed.json')], { DBSS_ENDPOINT: failing.url, ...DEBUG }),
    ]);
    expect(runs.map((r) => r.code)).toEqual([1, 1, 1, 1]);
    expect(runs[0]!.stdout + runs[0]!.stderr).toContain('APIG.0301');
    expect(runs[2]!.stdout + runs[2]!.stderr).toContain('APIG.0301');
    expect(runs[3]!.stderr).toMatch(/500 DBSS\.11000000 .*retry 1 of 4/);
    expect(runs[3]!.stdout).toMatch(/FAILED .*create:\S+: .*FAILED/);
    await file('failed reconcile --report', join(dir, 'failed.json'));
    expectNoSecret();
  });

  it('the emulator command and its request log', async () => {
    const served = startCli(['emulator', '--port', '0', '--ephemeral', '--seed-demo', '--log', '-'], { env: { ...akEnv, HUAWEICLOUD_AUTH_TOKEN: IAM }, cwd: dir });
    const url = await new Promise<string>((resolve) => {
      let out = '';
      served.child.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const m = /listening on (\S+)/.exec(out);
        if (m) resolve(m[1]!);
      });
    });
    const plan = await cli('plan against the emulator command', ['plan', ...FAST, '--policies', POLICIES], { DBSS_ENDPOINT: url });
    const denied = await cli('plan with a wrong key against the emulator command', ['plan', ...FAST, '--policies', POLICIES], { DBSS_ENDPOINT: url, HUAWEICLOUD_SDK_SK: 'wrong-secret-key' });
    served.child.kill('SIGTERM');
    const log = await served.done;
    captured.push({ label: 'emulator stdout', text: log.stdout }, { label: 'emulator stderr', text: log.stderr });
    expect([plan.code, denied.code, log.code]).toEqual([0, 1, 0]);
    expect(log.stderr).toMatch(/"operation":"ListAuditRuleRisksNew"/);
    expect(log.stderr).toMatch(/"status":401/);
    expectNoSecret();
  });
});

function expectNoSecret(): void {
  expect(captured.length).toBeGreaterThan(0);
  for (const { label, text } of captured) {
    for (const secret of SECRETS) expect(text.includes(secret), `${label} contains ${secret.slice(0, 12)}…`).toBe(false);
  }
}
