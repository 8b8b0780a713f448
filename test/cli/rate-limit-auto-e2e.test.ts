import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { startEmulatorEnv, TEST_SK } from './emulator-env.js';
import type { EmulatorEnv } from './emulator-env.js';

const REPO = join(import.meta.dirname, '../..');
const POLICIES = join(REPO, 'policies');

let e: EmulatorEnv | undefined;
afterEach(async () => {
  await e?.close();
  e = undefined;
});

describe('--rate-limit auto', () => {
  it('learns the limit the gateway states, reports it and still converges', async () => {
    // The gateway allows 6 a second with a burst of 6; the client starts at 10/s with 8 in flight,
    // so the first requests already overrun it and a 429 states the limit.
    e = await startEmulatorEnv({ rateLimit: { limit: 6, per: 'second' } });
    const report = join(e.dir, 'report.json');
    const run = await runCli(['reconcile', '--rate-limit', 'auto', '--report', report, '--policies', POLICIES], { env: e.env, cwd: REPO });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Converged');
    const endpoint = e.emulator.url.replace(/\/$/, '');
    expect(run.stderr).toContain(`Request rate (--rate-limit auto) for ${endpoint}: 5.7/s (the gateway states 6 per second)`);
    expect(run.stderr).not.toContain(TEST_SK);
    const record = JSON.parse(await readFile(report, 'utf8')) as { calls: { throttled: number; learnedLimits: Record<string, unknown> } };
    expect(record.calls.throttled).toBeGreaterThan(0);
    expect(record.calls.learnedLimits[endpoint]).toMatchObject({ requestsPerSecond: 5.7, stated: { requests: 6, perMs: 1000 } });
  });

  it('remembers the learned limit in the live-state cache and starts the next run from it', async () => {
    e = await startEmulatorEnv({ rateLimit: { limit: 6, per: 'second' } });
    const cache = join(e.dir, 'live-cache.json');
    const endpoint = e.emulator.url.replace(/\/$/, '');
    const first = await runCli(['plan', '--rate-limit', 'auto', '--cache', cache, '--policies', POLICIES], { env: e.env, cwd: REPO });
    expect(first.code).toBe(0);
    const saved = JSON.parse(await readFile(cache, 'utf8')) as { endpoints: Record<string, { rateLimit?: { requestsPerSecond: number } }> };
    expect(saved.endpoints[endpoint]?.rateLimit?.requestsPerSecond).toBe(5.7);
    // Without throttling nothing can be learned in this run: what it reports comes from the cache.
    e.emulator.configure({ rateLimit: null });
    e.emulator.resetCounters();
    const second = await runCli(['plan', '--rate-limit', 'auto', '--cache', cache, '--policies', POLICIES], { env: e.env, cwd: REPO });
    expect(second.code).toBe(0);
    expect(e.emulator.counters().throttled).toBe(0);
    expect(second.stderr).toContain(`Request rate (--rate-limit auto) for ${endpoint}: 5.7/s (the gateway states 6 per second)`);
    // Without --cache nothing is remembered: the run starts from the default budget, and with the
    // demo's kinds' reads added it may have been held back long enough to probe upward (machine speed decides).
    const forgetful = await runCli(['plan', '--rate-limit', 'auto', '--policies', POLICIES], { env: e.env, cwd: REPO });
    expect(forgetful.stderr).toMatch(
      new RegExp(`Request rate \\(--rate-limit auto\\) for ${endpoint.replace(/\./g, '\\.')}: (the starting budget|[\\d.]+/s \\(probed upward, the gateway has not throttled yet\\))\n`),
    );
    expect(forgetful.stderr).not.toContain('the gateway states');
  });

  it('a hostile 429 (limit:1,time:1 day) slows the run only to the floor, is not remembered, and the summary counts it', async () => {
    e = await startEmulatorEnv({ statedLimit: { limit: 1, per: 'day' } });
    e.emulator.failNext('*', '429', 5);
    const cache = join(e.dir, 'live-cache.json');
    const endpoint = e.emulator.url.replace(/\/$/, '');
    const args = ['plan', '--rate-limit', 'auto', '--cache', cache, '--instance', 'prod-audit', '--policies', POLICIES];
    const first = await runCli(args, { env: e.env, cwd: REPO });
    expect(first.code).toBe(0);
    expect(e.emulator.counters().throttled).toBe(5);
    expect(first.stderr).toContain('(the floor: the stated limit is below a tenth of the budget, not believed)');
    expect(first.stderr).toContain(
      `Request rate (--rate-limit auto) for ${endpoint}: 1/s, the floor (the gateway states 1 per day in 5 answers 429: below the floor, not believed and not remembered)`,
    );
    expect(first.stderr).not.toContain('no 429 came back');
    const saved = JSON.parse(await readFile(cache, 'utf8')) as { endpoints: Record<string, { rateLimit?: unknown }> };
    expect(saved.endpoints[endpoint]?.rateLimit).toBeUndefined();
    // the next run starts from the configured budget, not from a poisoned rate
    e.emulator.resetCounters();
    const second = await runCli(args, { env: e.env, cwd: REPO });
    expect(second.code).toBe(0);
    expect(second.stderr).toContain(`Request rate (--rate-limit auto) for ${endpoint}: the starting budget: no 429 came back`);
  });

  it('keeps the explicit budget form and refuses anything else, naming auto', async () => {
    e = await startEmulatorEnv();
    const fixed = await runCli(['plan', '--rate-limit', '50/s', '--policies', POLICIES], { env: e.env, cwd: REPO });
    expect(fixed.code).toBe(0);
    expect(fixed.stderr).not.toContain('--rate-limit auto');
    const bad = await runCli(['plan', '--rate-limit', 'fast', '--policies', POLICIES], { env: e.env, cwd: REPO });
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/--rate-limit: rate limit "fast".*or auto/);
  });
});
