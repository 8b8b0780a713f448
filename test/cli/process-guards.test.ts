import { spawn, spawnSync } from 'node:child_process';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLI_MAIN } from '../helpers/run-cli.js';
import { runInProcess } from '../helpers/run-in-process.js';
import { startCli, STACK_LINE } from '../reliability/helpers/cli-process.js';
import { reply, startTestServer } from '../api/helpers/test-server.js';
import type { TestServer } from '../api/helpers/test-server.js';
import { demoState, startEmulator } from '../../src/emulator/index.js';
import { KIND_ROUTES } from '../../src/emulator/kind-routes.js';
import { startEmulatorEnv } from './emulator-env.js';
import type { EmulatorEnv } from './emulator-env.js';

/** The binary as a process: a closed stdout, interruptions in every phase, two runs at once. */
const REPO = join(import.meta.dirname, '../..');
const POLICIES = join(REPO, 'policies');

/** Reads sent as POST (a kind's list request): the paths of the kinds' non-GET read routes. */
const POST_READS = KIND_ROUTES.filter((r) => !r.write && r.method !== 'GET').map((r) => new RegExp(`^${r.path.replace(/\{[a-z_]+\}/g, '[^/]+')}$`));
/** Whether a request the proxy sees changes DBSS (the CLI's first such request is taken under the lock). */
const isWrite = (method: string, path: string): boolean => method !== 'GET' && !POST_READS.some((re) => re.test(path));

let e: EmulatorEnv;
let locks: string;
beforeEach(async () => {
  e = await startEmulatorEnv();
  locks = join(e.dir, 'locks');
});
afterEach(() => e.close());

describe('a closed stdout', () => {
  it('`validate | head -1` prints one line and no stack trace, and validate keeps its exit code', async () => {
    // 4000 errors: far more output than a pipe buffer, so writes continue after head has gone.
    const dir = join(e.dir, 'many');
    await mkdir(dir);
    const rules = Array.from({ length: 4000 }, (_, i) => `      - name: r${i}\n        risk_level: SEVERE\n`).join('');
    await writeFile(join(dir, 'a.yaml'), `version: 1\nregion: cn-north-4\nproject_id: 0f1e2d3c4b5a69788796a5b4c3d2e1f0\ninstances:\n  - name: x\n    risk_rules:\n${rules}`);
    const r = spawnSync('bash', ['-c', `node "${CLI_MAIN}" validate --policies "${dir}" | head -1; echo "exit=\${PIPESTATUS[0]}" >&2`], { encoding: 'utf8', cwd: e.dir });
    expect(r.stdout.split('\n').filter(Boolean)).toHaveLength(1);
    expect(r.stdout).toMatch(/risk_level: must be one of/);
    expect(r.stderr).not.toMatch(STACK_LINE);
    expect(r.stderr).not.toMatch(/EPIPE/);
    expect(r.stderr).toContain('exit=1');
  });
});

describe('interruption outside the apply', () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('SIGINT while the live state is read says so, sends nothing, exits 130', async () => {
    let reached!: () => void;
    const firstRequest = new Promise<void>((r) => (reached = r));
    server = await startTestServer(() => {
      reached();
      return reply.hang();
    });
    const cli = startCli(['plan', '--policies', POLICIES, '--endpoint', server.url], { env: e.env, cwd: REPO });
    await firstRequest;
    cli.child.kill('SIGINT');
    const r = await cli.done;
    expect(r.code).toBe(130);
    expect(r.stderr).toContain('dbss-policy plan: interrupted (SIGINT) while reading the live state; no change was sent to DBSS.');
    expect(r.stderr).not.toMatch(STACK_LINE);
  });
});

describe('two runs on one machine', () => {
  it('the second reconcile refuses while the first applies, naming its pid and start time', async () => {
    // Both runs go through a proxy to an open emulator; the proxy holds the first write until
    // the second run has been refused, so the two runs overlap whatever the machine's speed.
    const open = await startEmulator({ state: demoState() });
    let held!: () => void;
    const firstWriteHeld = new Promise<void>((r) => (held = r));
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    let writesSeen = 0;
    const proxy = await startTestServer(async (req) => {
      if (isWrite(req.method, req.path) && writesSeen++ === 0) {
        held();
        await released;
      }
      const res = await fetch(open.url + req.url, { method: req.method, headers: { 'content-type': 'application/json' }, ...(req.body ? { body: req.body } : {}) });
      return reply.raw(res.status, await res.text(), res.headers.get('content-type') ?? undefined);
    });
    try {
      const env = { ...e.env, DBSS_ENDPOINT: proxy.url, DBSS_POLICY_LOCK_DIR: locks };
      const first = startCli(['reconcile', '--policies', POLICIES], { env, cwd: REPO });
      await firstWriteHeld;
      const second = spawn(process.execPath, [CLI_MAIN, 'reconcile', '--policies', POLICIES], { cwd: REPO, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      second.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
      const code = await new Promise<number | null>((r) => second.on('close', r));
      release();
      expect(code).toBe(1);
      // Locks are keyed by the canonical endpoint: every loopback host is written localhost.
      const at = proxy.url.replace('//127.0.0.1:', '//localhost:').replace(/\./g, '\\.');
      // Which of the demo's projects the second run meets held first depends on which of them
      // the plan writes to (locks are taken in sorted order); either names the holder.
      expect(stderr).toMatch(new RegExp(`another dbss-policy run \\(pid ${first.child.pid}, started \\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z\\) is applying to cn-(east-3|north-4)/[0-9a-f]{32} at ${at} on this machine; nothing was changed`));
      const done = await first.done;
      expect(done.stderr).toBe('');
      expect(done.code).toBe(0);
      expect(await readdir(locks)).toEqual([]);
    } finally {
      release();
      await proxy.close();
      await open.close();
    }
  });

  it('a lock left by a process that is gone is taken over', async () => {
    const dead = spawnSync(process.execPath, ['-e', 'process.pid']).pid!;
    const { acquireRunLock } = await import('../../src/apply/run-lock.js');
    const { projectLockTarget } = await import('../../src/cli/lock-target.js');
    // The lock of the payments project as a killed run would leave it.
    const lock = acquireRunLock(locks, [projectLockTarget('cn-north-4', '0f1e2d3c4b5a69788796a5b4c3d2e1f0', e.emulator.url)]);
    const [file] = await readdir(locks);
    lock.release();
    await writeFile(join(locks, file!), JSON.stringify({ pid: dead, startedAt: '2026-01-01T00:00:00.000Z', target: 'x' }));
    const r = await runInProcess(['reconcile', '--policies', POLICIES], { cwd: REPO, env: { ...e.env, DBSS_POLICY_LOCK_DIR: locks } });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(await readdir(locks)).toEqual([]);
  });
});

