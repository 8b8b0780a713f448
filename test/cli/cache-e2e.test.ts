import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { startEmulatorEnv, TEST_AK, TEST_SK } from './emulator-env.js';
import type { EmulatorEnv } from './emulator-env.js';

/** `plan --cache FILE` as a user runs it: the second run takes rule details from the file. */

const REPO = join(import.meta.dirname, '../..');
const POLICIES = join(REPO, 'policies');

let e: EmulatorEnv;
beforeEach(async () => {
  e = await startEmulatorEnv();
});
afterEach(async () => {
  await e.close();
});

const cli = (args: string[]) => runCli([...args, '--policies', POLICIES], { env: e.env, cwd: e.dir });
const shows = (): number => e.emulator.counters().byOperation['ShowAuditRuleRiskNew'] ?? 0;

describe('plan --cache', () => {
  it('writes the cache on the first run and reads rule details from it on the next, saying so', async () => {
    const first = await cli(['plan', '--cache', 'live-cache.json']);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('0 rule details came from the live-state cache, 5 shown fresh');
    const firstShows = shows();
    expect(firstShows).toBe(5);

    e.emulator.resetCounters();
    const second = await cli(['plan', '--cache', 'live-cache.json', '--format', 'markdown']);
    expect(second.code).toBe(0);
    // The demo plan updates drop-table-in-prod and switches drop-table-staging on: those two are
    // shown fresh before they are planned again; the other three come from the cache (unless a
    // rule's daily refresh time happens to fall between the two runs).
    const m = /> (\d) rule details came from the live-state cache \(oldest [^)]+, --max-age 24 h\), (\d) shown fresh/.exec(second.stdout);
    expect(m).not.toBeNull();
    const [fromCache, shown] = [Number(m![1]), Number(m![2])];
    expect(fromCache + shown).toBe(5);
    expect(shown).toBeGreaterThanOrEqual(2);
    expect(fromCache).toBeGreaterThanOrEqual(1);
    expect(shows()).toBe(shown);
    expect(second.stdout).toContain('~ update drop-table-in-prod');

    // reconcile takes the same flags (the scheduled job's verb).
    const dry = await cli(['reconcile', '--dry-run', '--cache', 'live-cache.json', '--max-age', '2h']);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(/\d rule details came from the live-state cache \(oldest [^)]+, --max-age 2 h\)/);

    const text = await readFile(join(e.dir, 'live-cache.json'), 'utf8');
    expect(text).not.toContain(TEST_SK);
    expect(text).not.toContain(TEST_AK);
  });

  it('refuses a bad --max-age, and --max-age without --cache, before reading anything', async () => {
    const bad = await cli(['plan', '--cache', 'c.json', '--max-age', '5x']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('--max-age must be a duration of at least 1s like 24h, 90m, 3600s or 2d, got "5x"');
    const alone = await cli(['plan', '--max-age', '2h']);
    expect(alone.code).toBe(1);
    expect(alone.stderr).toContain('--max-age needs --cache FILE');
    expect(e.emulator.counters().requests).toBe(0);
  });
});
