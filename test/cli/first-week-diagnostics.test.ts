import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/run.js';
import { unreachableDetail } from '../../src/api/unreachable.js';
import { resolveEndpoint } from '../../src/api/index.js';
import { toolVersion } from '../../src/version.js';
import { reply, startTestServer } from '../api/helpers/test-server.js';
import type { TestServer } from '../api/helpers/test-server.js';
import { startCli, STACK_LINE } from '../reliability/helpers/cli-process.js';
import { demoState, DEMO_INSTANCES, DEMO_PROJECTS, startEmulator } from '../../src/emulator/index.js';
import { runInProcess } from '../helpers/run-in-process.js';
import { TEST_AK, TEST_SK } from './emulator-env.js';

const REPO = join(import.meta.dirname, '../..');
const POLICIES = join(REPO, 'policies');
const PROJECT = '0f1e2d3c4b5a69788796a5b4c3d2e1f0';

/** Runs the CLI in process; output streams record what was written. */
async function cli(args: string[], env: Record<string, string> = {}) {
  const out = { isTTY: false, text: '', write(c: string) { this.text += c; return true; } };
  const err = { isTTY: false, text: '', write(c: string) { this.text += c; return true; } };
  const code = await run(args, { stdout: out, stderr: err, env, cwd: process.cwd() });
  return { code, stdout: out.text, stderr: err.text };
}

describe('the version', () => {
  it.each([['version'], ['--version'], ['-V'], ['-v']])('%s prints it on stdout and exits 0', async (flag) => {
    expect(await cli([flag])).toEqual({ code: 0, stdout: `${toolVersion()}\n`, stderr: '' });
  });

  it('the top-level help says how to get it', async () => {
    expect((await cli(['help'])).stdout).toContain('dbss-policy version');
  });
});

describe('--summary-tasks without --instance', () => {
  it.each(['plan', 'apply', 'reconcile'])('%s: a usage error that says what to do, nothing read', async (verb) => {
    const r = await cli([verb, '--summary-tasks', '--emulator', '--policies', POLICIES]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`dbss-policy ${verb}: --summary-tasks only adds the summary tasks back to an --instance run`);
    expect(r.stderr).toContain('Add --instance NAME or drop --summary-tasks');
    expect(r.stderr).not.toMatch(/reading:/);
  });
});

describe('interrupting export', () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('says it was reading the project, not "while starting"', async () => {
    let reached!: () => void;
    const firstRequest = new Promise<void>((r) => (reached = r));
    server = await startTestServer(() => {
      reached();
      return reply.hang();
    });
    const env = { HUAWEICLOUD_SDK_AK: TEST_AK, HUAWEICLOUD_SDK_SK: TEST_SK, DBSS_ENDPOINT: server.url, NO_COLOR: '1' };
    const cli = startCli(['export', '--project', PROJECT, '--region', 'cn-north-4', '--out', '-'], { env, cwd: REPO });
    // A run that ends before its first request (a bad flag) fails here instead of waiting.
    const early = await Promise.race([firstRequest.then(() => undefined), cli.done]);
    expect(early).toBeUndefined();
    cli.child.kill('SIGINT');
    const r = await cli.done;
    expect(r.code).toBe(130);
    expect(r.stderr).toContain(`dbss-policy export: interrupted (SIGINT) while reading project ${PROJECT} (cn-north-4) for export; no change was sent to DBSS.`);
    expect(r.stderr).not.toMatch(STACK_LINE);
  });
});

describe('an apply whose only change another writer made first', () => {
  it('says the skipped change is not needed any more, and exits 0', async () => {
    // Another writer turns the rule ON between the plan's read and the apply's check of the
    // instance: the proxy makes that change on the first listing of staging-audit's rules after
    // as many as a plan makes (counted by a plan through the same proxy).
    const open = await startEmulator({ state: demoState() });
    const rules = `/audit/${DEMO_INSTANCES.stagingAudit}/rule/risk`;
    let listings = 0;
    let writerAt = Infinity;
    const proxy = await startTestServer(async (req) => {
      if (req.method === 'GET' && req.path.includes(rules) && ++listings === writerAt) {
        const staging = open.state.projects[DEMO_PROJECTS.payments]!.instances.find((i) => i.id === DEMO_INSTANCES.stagingAudit)!;
        staging.rules.find((r) => r.name === 'drop-table-staging')!.status = 'ON';
      }
      const res = await fetch(open.url + req.url, { method: req.method, headers: { 'content-type': 'application/json' }, ...(req.body ? { body: req.body } : {}) });
      return reply.raw(res.status, await res.text(), res.headers.get('content-type') ?? undefined);
    });
    try {
      const env = { DBSS_ENDPOINT: proxy.url, HUAWEICLOUD_SDK_AK: TEST_AK, HUAWEICLOUD_SDK_SK: TEST_SK, DBSS_POLICY_LOCK_DIR: join(tmpdir(), `dbss-first-week-locks-${process.pid}`) };
      const args = ['--policies', POLICIES, '--instance', 'staging-audit'];
      expect((await runInProcess(['plan', ...args], { cwd: REPO, env })).stdout).toContain('± switch ON [drop-table-staging]');
      const planned = listings;
      writerAt = 2 * planned + 1;
      const r = await runInProcess(['apply', ...args, '--yes'], { cwd: REPO, env });
      expect(r.stdout).toMatch(/^SKIPPED +cn-north-4\/\w+\/staging-audit switch:ON: changed by someone else during apply/m);
      expect(r.stdout).toContain('Apply: 0 applied, 0 failed, 1 skipped, 0 not-attempted.');
      expect(r.stdout).toContain('Converged: a fresh plan of the touched targets is empty, so the skipped change is not needed any more.');
      expect(r.code).toBe(0);
      expect(listings).toBeGreaterThan(writerAt);
    } finally {
      await proxy.close();
      await open.close();
    }
  });
});

/** A loopback port that nothing listens on (taken, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

describe('an endpoint that cannot be reached', () => {
  it('one line per target that names the URL and what to check, one retry line, not one per retry', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const env = { DBSS_ENDPOINT: url, HUAWEICLOUD_SDK_AK: TEST_AK, HUAWEICLOUD_SDK_SK: TEST_SK };
    const r = await runInProcess(['plan', '--policies', POLICIES, '--max-attempts', '3'], { cwd: REPO, env });
    expect(r.code).toBe(1);
    const targets = r.stdout.split('\n').filter((l) => l.startsWith('  ! '));
    expect(targets).toHaveLength(6);
    for (const line of targets) expect(line).toContain(`cannot reach ${url} (connection refused): is a server listening there? check DBSS_ENDPOINT / --endpoint`);
    expect(r.stdout).toContain('6 of 6 targets could not be read');
    // Six targets, several requests each, three attempts per request: one retry line in all.
    const retries = r.stderr.split('\n').filter((l) => /retry \d+ of \d+/.test(l));
    expect(retries).toHaveLength(1);
    expect(retries[0]).toContain(`cannot reach ${url}`);
    expect(r.stdout + r.stderr).not.toContain(TEST_SK);
  });

  it('a region\'s default endpoint: DNS, the proxy, the region, and how to override it', () => {
    expect(unreachableDetail(resolveEndpoint('cn-north-4'), 'host not found')).toBe(
      'cannot reach https://dbss.cn-north-4.myhuaweicloud.com (host not found): check DNS, the proxy (HTTPS_PROXY, NO_PROXY) and the region in the policy (its default endpoint), or set DBSS_ENDPOINT / --endpoint',
    );
    expect(unreachableDetail(resolveEndpoint('cn-north-4', 'https://dbss.example.internal/base'), 'connection refused')).toBe(
      'cannot reach https://dbss.example.internal/base (connection refused): check DNS, the proxy (HTTPS_PROXY, NO_PROXY) and DBSS_ENDPOINT / --endpoint',
    );
  });
});
