import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { policyOfState, writePolicyTree } from '../../bench/policy-tree.js';
import type { PolicyProject } from '../../bench/policy-tree.js';
import { AkSkCredentials, createDbssClient } from '../../src/api/index.js';
import type { CacheSettings } from '../../src/run/cached-plan.js';
import { generateState, startEmulator } from '../../src/emulator/index.js';
import type { Emulator, RuleState } from '../../src/emulator/index.js';
import { createClientPool } from '../../src/live/client-pool.js';
import type { ClientPool } from '../../src/live/client-pool.js';
import { preparePlan } from '../../src/run/reconcile.js';
import type { RunInputs } from '../../src/run/reconcile.js';

/**
 * The live-state cache against the emulator over real sockets, with an injected clock: hours
 * pass without waiting. Drift made behind the tool's back (in the emulator's model, like a
 * console edit) is found within the hour when the rule list shows it, and within --max-age
 * when only a show does.
 */

const AK = 'CACHETESTACCESSKEY01';
const SK = 'cache-test-secret-key-never-printed';
const HOUR = 3600_000;
const ESTATE = { projects: 1, instancesPerProject: 3, rulesPerInstance: 10, seed: 11 };

let emulator: Emulator;
let dir: string;
let projects: PolicyProject[];
let pool: ClientPool;
let t: number;
let warnings: string[];

const cacheFile = (): string => join(dir, 'live-cache.json');
const settings = (over: Partial<CacheSettings> = {}): CacheSettings => ({
  file: cacheFile(),
  maxAgeMs: 24 * HOUR,
  now: () => t,
  endpointOf: () => emulator.url,
  warn: (m) => warnings.push(m),
  ...over,
});
const inputs = (cache: CacheSettings | undefined = settings()): RunInputs => ({
  policiesDir: join(dir, 'policies'),
  cwd: dir,
  pool,
  planOptions: { toolVersion: 'test' },
  ...(cache ? { cache } : {}),
});

/** Runs one plan and returns it with the shows the emulator answered. */
async function run(cache?: CacheSettings) {
  emulator.resetCounters();
  const prepared = await preparePlan(inputs(cache));
  return { plan: prepared.plan, shows: emulator.counters().byOperation['ShowAuditRuleRiskNew'] ?? 0 };
}

const liveRule = (instance: number, name: string): RuleState => {
  const project = Object.values(emulator.state.projects)[0]!;
  return project.instances[instance]!.rules.find((r) => r.name === name)!;
};
const updates = (p: Awaited<ReturnType<typeof run>>['plan']): string[] =>
  p.changes.flatMap((c) => (c.kind === 'update' ? [`${c.target.split('/').pop()}:${c.rule}`] : []));

beforeAll(async () => {
  const state = generateState(ESTATE);
  projects = policyOfState(state);
  emulator = await startEmulator({ state, auth: { credentials: [{ ak: AK, sk: SK }], tokens: [] } });
  dir = await mkdtemp(join(tmpdir(), 'dbss-cache-'));
  await writePolicyTree(join(dir, 'policies'), projects);
  const credentials = new AkSkCredentials({ accessKey: AK, secretKey: SK });
  pool = createClientPool((region) => createDbssClient({ region, credentials, endpoint: emulator.url, rateLimit: { requests: 1000, perMs: 1000 } }));
});

afterAll(async () => {
  await pool.close();
  await emulator.close();
  await rm(dir, { recursive: true, force: true });
});

beforeEach(async () => {
  t = Date.parse('2026-03-01T00:17:00Z');
  warnings = [];
  await rm(cacheFile(), { force: true });
});

describe('plan --cache', () => {
  it('shows everything on the first run, then only what is due; says how many came from the cache and the oldest age', async () => {
    const cold = await run();
    expect(cold.shows).toBe(30);
    expect(cold.plan.changes).toEqual([]);
    expect(cold.plan.coverage?.cache).toEqual({ rulesFromCache: 0, rulesShown: 30, maxAgeSeconds: 86400 });

    let shownOverADay = 0;
    for (let hour = 1; hour <= 24; hour++) {
      t += HOUR;
      const warm = await run();
      expect(warm.plan.changes).toEqual([]);
      const c = warm.plan.coverage!.cache!;
      expect(c.rulesFromCache + c.rulesShown).toBe(30);
      expect(c.rulesShown).toBe(warm.shows);
      expect(c.oldestAgeSeconds).toBeLessThanOrEqual(24 * 3600);
      shownOverADay += warm.shows;
    }
    // Spread: each rule was refreshed once over the day (at its own hour), not all at once.
    expect(shownOverADay).toBe(30);
    expect(warnings).toEqual([]);
  });

  it('finds drift in a list field within the hour, and show-only drift within --max-age', async () => {
    await run();
    liveRule(0, 'rule-0003').riskLevel = liveRule(0, 'rule-0003').riskLevel === 'HIGH' ? 'LOW' : 'HIGH';
    liveRule(1, 'rule-0005').executionTime += 7; // not in the list: only a show sees it
    t += HOUR;
    const next = await run();
    expect(updates(next.plan)).toContain('audit-1-1:rule-0003');

    let found: number | undefined = updates(next.plan).includes('audit-1-2:rule-0005') ? 1 : undefined;
    for (let hour = 2; hour <= 24 && found === undefined; hour++) {
      t += HOUR;
      if (updates((await run()).plan).includes('audit-1-2:rule-0005')) found = hour;
    }
    expect(found).toBeDefined();
    expect(found!).toBeLessThanOrEqual(24);
    liveRule(0, 'rule-0003').riskLevel = projects[0]!.instances[0]!.risk_rules[2]!.risk_level as RuleState['riskLevel'];
    liveRule(1, 'rule-0005').executionTime -= 7;
  });

  it('never plans a write from a cached detail: a rule a change touches is shown fresh and planned again', async () => {
    await run();
    // The policy now asks for a new threshold, and someone already set it in the console:
    // the cached detail says "update", the fresh show says "nothing to do".
    const wanted = liveRule(2, 'rule-0007').executionTime + 11;
    liveRule(2, 'rule-0007').executionTime = wanted;
    const edited = projects.map((p) => ({
      ...p,
      instances: p.instances.map((i, n) =>
        n !== 2 ? i : { ...i, risk_rules: i.risk_rules.map((r) => (r.name === 'rule-0007' ? { ...r, execution_time: { ...r.execution_time, value: wanted } } : r)) },
      ),
    }));
    await writePolicyTree(join(dir, 'policies'), edited);
    try {
      t += 60_000;
      const p = await run();
      expect(p.plan.changes).toEqual([]);
      expect(p.shows).toBeGreaterThanOrEqual(1);
      expect(p.plan.coverage?.cache?.rulesShown).toBe(p.shows);
    } finally {
      await writePolicyTree(join(dir, 'policies'), projects);
      liveRule(2, 'rule-0007').executionTime = wanted - 11;
    }
  });

  it('ignores a corrupt or foreign cache with a warning, reads everything, and never stores a secret', async () => {
    await writeFile(cacheFile(), '{"format": "dbss-policy-live-cache", "version": 1, "writtenAt": 1, "endpoints": {"x": {"instances": {"a": {"r": {"list": 3}}}}}}');
    expect((await run()).shows).toBe(30);
    expect(warnings).toEqual([`ignoring the live-state cache ${cacheFile()}: malformed rule entry for x; reading everything`]);

    await writeFile(cacheFile(), '{"name": "something else"}');
    expect((await run()).shows).toBe(30);
    expect(warnings[1]).toContain('not a dbss-policy-live-cache file');

    await writeFile(cacheFile(), 'garbage');
    expect((await run()).shows).toBe(30);
    expect(warnings[2]).toContain('not JSON (corrupt?)');

    const text = await readFile(cacheFile(), 'utf8');
    expect(JSON.parse(text)).toMatchObject({ format: 'dbss-policy-live-cache', version: 1 });
    expect(text).not.toContain(SK);
    expect(text).not.toContain(AK);
    // A run with the file in place takes what is fresh from it.
    expect((await run()).shows).toBe(0);
  });

  it('remembers a learned request rate per endpoint in the cache file and hands it back on the next run', async () => {
    const restored: [string, number, number][] = [];
    const learnedAt = t - 1000; // when the gateway stated it, not when the file is written
    const rate = { restore: (endpoint: string, rps: number, at: number) => void restored.push([endpoint, rps, at]), learned: () => ({ requestsPerSecond: 47.5, learnedAt }) };
    await run(settings({ rate }));
    expect(restored).toEqual([]);
    const file = JSON.parse(await readFile(cacheFile(), 'utf8')) as { endpoints: Record<string, { rateLimit?: unknown }> };
    expect(file.endpoints[emulator.url]?.rateLimit).toEqual({ requestsPerSecond: 47.5, learnedAt });

    // A run that learned nothing new keeps what the file remembers, with its date (so it expires).
    t += HOUR;
    await run(settings({ rate: { restore: rate.restore, learned: () => undefined } }));
    expect(restored).toEqual([[emulator.url, 47.5, learnedAt]]);
    const again = JSON.parse(await readFile(cacheFile(), 'utf8')) as typeof file;
    expect(again.endpoints[emulator.url]?.rateLimit).toEqual({ requestsPerSecond: 47.5, learnedAt });
  });
});
