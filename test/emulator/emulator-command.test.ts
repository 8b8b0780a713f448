import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authFromEnv, emulatorCommand } from '../../src/cli/emulator-command.js';
import { ConfigError, UsageError } from '../../src/errors.js';
import { call } from './helpers/call.js';
import { emulator, P1, P2, PCI, PROD, paths, ruleBody } from './helpers/fixtures.js';

const MAIN = resolve(import.meta.dirname, '../../dist/src/cli/main.js');
const CREDENTIAL_VARS = ['HUAWEICLOUD_SDK_AK', 'HUAWEICLOUD_SDK_SK', 'HUAWEICLOUD_SDK_SECURITY_TOKEN', 'HW_ACCESS_KEY', 'HW_SECRET_KEY', 'HW_SECURITY_TOKEN', 'HUAWEICLOUD_AUTH_TOKEN'];
let dir = '';

beforeAll(async () => {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: build first (npx tsc -p tsconfig.json)`);
  dir = await mkdtemp(join(tmpdir(), 'dbss-emulator-cli-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of CREDENTIAL_VARS) delete env[name];
  return { ...env, ...extra };
}

/** Starts `dbss-policy emulator` and resolves with its URL once it prints the listening line. */
async function startCli(args: string[], env = cleanEnv()) {
  const child = spawn(process.execPath, [MAIN, 'emulator', ...args], { env, cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((res) => child.on('exit', (code) => res(code)));
  const lines = createInterface({ input: child.stdout });
  const url = await new Promise<string>((res, rej) => {
    lines.once('line', (line) => res(line));
    child.once('exit', (code) => rej(new Error(`emulator exited with ${code}: ${stderr}`)));
  });
  return { child, url: url.replace(/^listening on /, ''), firstLine: url, exited, stderr: () => stderr };
}

describe('dbss-policy emulator (subprocess)', () => {
  it('--generate names the project ids it made, so a policy or export can use them', async () => {
    const state = join(dir, 'generated.json');
    const cli = await startCli(['--port', '0', '--generate', '2x1x1', '--no-auth', '--state', state]);
    cli.child.kill('SIGTERM');
    expect(await cli.exited).toBe(0);
    const made = Object.keys((JSON.parse(await readFile(state, 'utf8')) as { projects: Record<string, unknown> }).projects);
    expect(made).toHaveLength(2);
    expect(cli.stderr()).toContain(`state: a generated estate (2x1x1), projects ${made[0]} (cn-north-4), ${made[1]} (cn-north-4), saved to ${state}`);
  });

  it('prints the URL, serves the demo, saves state on SIGTERM and exits 0', async () => {
    const state = join(dir, 'demo.json');
    const cli = await startCli(['--port', '0', '--seed-demo', '--no-auth', '--state', state]);
    expect(cli.firstLine).toMatch(/^listening on http:\/\/127\.0\.0\.1:\d+$/);
    const list = await call(cli.url, 'GET', paths.rulesNew(P1, PROD));
    expect(list.json.total).toBe(8);
    expect((await call(cli.url, 'POST', paths.create(P2, PCI), { body: ruleBody('made-via-cli') })).json).toEqual({ status: 'SUCCESS' });
    cli.child.kill('SIGTERM');
    expect(await cli.exited).toBe(0);
    expect(cli.stderr()).toContain('auth: off (--no-auth)');
    expect(await readFile(state, 'utf8')).toContain('made-via-cli');

    // Restarting with the same flags loads the saved file instead of re-seeding.
    const again = await startCli(['--port', '0', '--seed-demo', '--no-auth', '--state', state]);
    expect((await call(again.url, 'GET', `${paths.rulesNew(P2, PCI)}?name=made-via-cli`)).json.total).toBe(1);
    again.child.kill('SIGINT');
    expect(await again.exited).toBe(0);
    expect(again.stderr()).toContain(`state: loaded ${state}`);
    expect(again.stderr()).toContain(`--seed-demo was NOT applied: ${state} already exists`);
    expect(again.stderr()).toContain('add --reset to start again from the seed');
    expect(cli.stderr()).not.toContain('NOT applied');
  });

  it('requires signatures when credentials are in the environment', async () => {
    const env = cleanEnv({ HUAWEICLOUD_SDK_AK: 'CLITESTAK0000000001', HUAWEICLOUD_SDK_SK: 'cli-test-secret' });
    const cli = await startCli(['--port', '0', '--seed-demo', '--ephemeral'], env);
    expect((await call(cli.url, 'GET', paths.rulesNew(P1, PROD))).status).toBe(401);
    const signed = await call(cli.url, 'GET', paths.rulesNew(P1, PROD), { auth: { key: { ak: 'CLITESTAK0000000001', sk: 'cli-test-secret' } } });
    expect(signed.status, signed.text).toBe(200);
    cli.child.kill('SIGTERM');
    expect(await cli.exited).toBe(0);
    expect(cli.stderr()).toContain('auth: on: 1 access key(s)');
    expect(cli.stderr()).not.toContain('cli-test-secret');
  });
});

describe('dbss-policy emulator (arguments)', () => {
  function io() {
    const out = { stdout: '', stderr: '' };
    return {
      out,
      io: { stdout: { write: (s: string) => (out.stdout += s) }, stderr: { write: (s: string) => (out.stderr += s) }, env: {}, cwd: dir },
    };
  }

  it('rejects bad flags with a UsageError naming the flag, before listening', async () => {
    for (const [args, message] of [
      [['--port', 'http'], /--port must be a whole number/],
      [['--rate-limit', 'fast'], /--rate-limit must look like 600\/min/],
      [['--fault-rate', '2'], /--fault-rate must be a number from 0 to 1/],
      [['--fault-kinds', '500,boom'], /unknown kind boom/],
      [['--generate', '3'], /--generate must look like 2x3x50/],
      [['--ak', 'x'], /unknown option --ak/],
      [['--seed-demo', '--generate', '1x1x1'], /exclude each other/],
      [['--list-lag-ms', 'soon'], /--list-lag-ms must be a whole number/],
    ] as const) {
      const t = io();
      const err = await emulatorCommand.run(args, t.io).catch((e: unknown) => e);
      expect(err, args.join(' ')).toBeInstanceOf(UsageError);
      expect((err as Error).message).toMatch(message);
      expect(t.out.stdout).toBe('');
    }
  });

  it('reports a port in use as a configuration error', async () => {
    const busy = await emulator();
    const t = io();
    const err = await emulatorCommand.run(['--port', String(busy.port), '--ephemeral', '--no-auth'], t.io).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toBe(`cannot listen on 127.0.0.1:${busy.port}: EADDRINUSE (choose another --host/--port)`);
  });

  it('documents every flag it accepts', () => {
    expect(emulatorCommand.name).toBe('emulator');
    for (const flag of ['--host', '--port', '--state', '--seed-demo', '--rate-limit', '--latency', '--fault-rate', '--no-auth', '--log', '--list-lag-ms']) {
      expect(emulatorCommand.usage).toContain(flag);
    }
  });

  it('reads accepted credentials from the environment, HUAWEICLOUD_SDK_* first, then HW_*', () => {
    expect(authFromEnv({})).toBeUndefined();
    expect(authFromEnv({ HW_ACCESS_KEY: 'a', HW_SECRET_KEY: 's', HW_SECURITY_TOKEN: 't', HUAWEICLOUD_AUTH_TOKEN: 'tok' })).toEqual({
      credentials: [{ ak: 'a', sk: 's', securityToken: 't' }],
      tokens: ['tok'],
    });
    expect(authFromEnv({ HUAWEICLOUD_SDK_AK: 'a1', HUAWEICLOUD_SDK_SK: 's1' })?.credentials).toEqual([{ ak: 'a1', sk: 's1' }]);
    expect(() => authFromEnv({ HUAWEICLOUD_SDK_AK: 'a1' })).toThrow(/HUAWEICLOUD_SDK_SK is not set/);
  });
});
