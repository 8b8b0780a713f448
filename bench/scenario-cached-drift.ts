import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RiskLevel, RiskRuleSpec } from '../src/domain.js';
import type { CacheSettings } from '../src/run/cached-plan.js';
import { prepareCachedPlan } from '../src/run/cached-plan.js';
import type { EmulatorState, GenerateStateOptions, RuleState } from '../src/emulator/index.js';
import { generateState } from '../src/emulator/index.js';
import type { ClientPool } from '../src/live/client-pool.js';
import type { Plan } from '../src/plan/types.js';
import { toolVersion } from '../src/version.js';
import type { EmulatorHandle } from './emulator-handle.js';
import { desiredStateOf } from './in-memory-state.js';
import { benchPool, timed } from './pipeline.js';
import { policyOfState, policyRuleOf } from './policy-tree.js';
import type { ScenarioResult } from './report.js';
import type { LoadSettings } from './scenario-plan.js';

/**
 * 7. Hourly cached drift run: `plan --cache` once cold, then every hour for a simulated day
 * (the cache's clock is injected: no waiting). Right after the cold run, drift is made behind
 * the tool's back through the API (as a console edit would): some rules get another risk level
 * (visible in the rule list), others another execution-time threshold (visible only in a show).
 * The emulator answers as fast as it can; the wall time at the API's 10 requests/s is projected
 * from the request counts.
 */

const HOUR = 3600_000;
const MAX_AGE = 24 * HOUR;
const RATE = 10;
const LIST_DRIFT = 5;
const SHOW_DRIFT = 20;

interface Drifted {
  readonly key: string;
  readonly kind: 'list' | 'show';
  foundAfter?: number;
}

/** A stored rule as the API's update takes it, with one field changed. */
function driftedSpec(rule: RuleState, kind: 'list' | 'show'): RiskRuleSpec {
  const r = policyRuleOf(rule);
  const riskLevel = (kind === 'list' ? (r.risk_level === 'HIGH' ? 'LOW' : 'HIGH') : r.risk_level) as RiskLevel;
  const executionTime = { symbol: r.execution_time.symbol, value: r.execution_time.value + (kind === 'show' ? 1 : 0) } as RiskRuleSpec['executionTime'];
  return {
    name: r.name,
    riskLevel,
    status: r.status,
    actions: r.actions as RiskRuleSpec['actions'],
    affectRows: r.affect_rows as RiskRuleSpec['affectRows'],
    executionTime,
    dbIds: [...r.db_ids],
    clientIps: [...r.client_ips],
    exceptionIps: [...r.exception_ips],
    schemas: r.schemas.map((s) => ({ ...s })),
    ignoreCase: r.ignore_case,
  };
}

/** Changes LIST_DRIFT + SHOW_DRIFT custom rules spread over the estate, through another client. */
async function injectDrift(state: EmulatorState, pool: ClientPool): Promise<Drifted[]> {
  const [projectId, project] = Object.entries(state.projects)[0]!;
  const drifted: Drifted[] = [];
  const n = project.instances.length;
  for (let k = 0; k < LIST_DRIFT + SHOW_DRIFT; k++) {
    const inst = project.instances[(k * 37 + 11) % n]!;
    const customs = inst.rules.filter((r) => r.ruleType === 'CUSTOMIZE');
    const rule = customs[(k * 13 + 5) % customs.length]!;
    const kind = k < LIST_DRIFT ? 'list' : 'show';
    await pool.client(project.region, projectId).updateRule(projectId, inst.id, rule.id, driftedSpec(rule, kind));
    drifted.push({ key: `${inst.name}/${rule.name}`, kind });
  }
  return drifted;
}

const updatedRules = (plan: Plan): Set<string> =>
  new Set(plan.changes.flatMap((c) => (c.kind === 'update' ? [`${c.target.split('/').pop()}/${c.rule}`] : [])));

/** Scenario 7. */
export async function cachedDrift(emulator: EmulatorHandle, s: LoadSettings, estate: GenerateStateOptions): Promise<ScenarioResult> {
  const state = generateState(estate);
  await emulator.generate(estate);
  await emulator.configure({ latency: null, rateLimit: null, faults: null });
  const declared = desiredStateOf(policyOfState(state));
  const dir = await mkdtemp(join(tmpdir(), 'dbss-bench-cache-'));
  let t = Date.parse('2026-03-02T00:17:00Z');
  const warnings: string[] = [];
  const cache: CacheSettings = { file: join(dir, 'live-cache.json'), maxAgeMs: MAX_AGE, now: () => t, endpointOf: () => emulator.url, warn: (m) => warnings.push(m) };
  const { pool } = benchPool({ endpoint: emulator.url, credential: s.credential, rateLimit: { requests: 5000, perMs: 1000 }, concurrency: s.concurrency });
  const { pool: console } = benchPool({ endpoint: emulator.url, credential: s.credential, rateLimit: { requests: 5000, perMs: 1000 }, concurrency: 4 });
  const run = async () => {
    const before = pool.stats().requests;
    const r = await timed(() => prepareCachedPlan({ declared, pool, scope: (d) => d, planOptions: { toolVersion: toolVersion() }, cache }));
    return { plan: r.value.plan, live: r.value.live, requests: pool.stats().requests - before, ms: r.ms };
  };
  try {
    const cold = await run();
    const drifted = await injectDrift(state, console);
    const hourly: { requests: number; ms: number; fromCache: number; oldest: number }[] = [];
    for (let hour = 1; hour <= 24; hour++) {
      t += HOUR;
      const r = await run();
      if (r.plan.errors.length + r.live.errors.length > 0) throw new Error(`hourly run ${hour}: ${JSON.stringify(r.plan.errors.slice(0, 3))}`);
      const updated = updatedRules(r.plan);
      for (const d of drifted) if (d.foundAfter === undefined && updated.has(d.key)) d.foundAfter = hour;
      const c = r.plan.coverage?.cache;
      hourly.push({ requests: r.requests, ms: r.ms, fromCache: c?.rulesFromCache ?? 0, oldest: c?.oldestAgeSeconds ?? 0 });
    }
    const found = (kind: Drifted['kind']): number => Math.max(...drifted.filter((d) => d.kind === kind).map((d) => d.foundAfter ?? Infinity));
    const maxRequests = Math.max(...hourly.map((h) => h.requests));
    const meanRequests = hourly.reduce((n, h) => n + h.requests, 0) / hourly.length;
    const rules = estate.projects * estate.instancesPerProject * estate.rulesPerInstance;
    // Conservative: the requests at 10/s plus the whole measured run (which already contains those
    // requests at the emulator's full speed, and all local work: computePlan, the cache file).
    const projected = Math.max(...hourly.map((h) => h.requests / RATE + h.ms / 1000));
    return {
      title: '7. hourly cached drift run',
      setup: {
        estate: `${estate.projects}×${estate.instancesPerProject} instances × ${estate.rulesPerInstance} custom rules`,
        runs: 'one cold, then 24 hourly (simulated clock)',
        'max-age': '24 h',
        drift: `${LIST_DRIFT} rules risk_level (list-visible), ${SHOW_DRIFT} rules execution_time (show-only), right after the cold run`,
        emulator: 'unthrottled, no latency; wall time projected at 10 req/s as requests / 10 + the measured run',
      },
      figures: [
        { name: 'cold run: requests', value: cold.requests, unit: 'req' },
        { name: 'hourly run: requests, mean', value: Math.round(meanRequests), unit: 'req' },
        { name: 'hourly run: requests, most', value: maxRequests, unit: 'req' },
        { name: 'hourly run: requests / 10 req/s, most', value: Math.round(maxRequests / RATE), unit: 's' },
        { name: 'hourly run: measured wall (unthrottled), most', value: Math.round(Math.max(...hourly.map((h) => h.ms))), unit: 'ms' },
        { name: 'hourly run: projected wall at 10 req/s, most', value: Math.round(projected), unit: 's', target: { op: '<', value: 600, source: 'issue 14: under 10 min' } },
        { name: 'rule details from the cache per run, mean', value: Math.round(hourly.reduce((n, h) => n + h.fromCache, 0) / hourly.length), unit: `of ${rules}` },
        { name: 'oldest cached detail used', value: Math.max(...hourly.map((h) => h.oldest)) / 3600, unit: 'h', target: { op: '<=', value: 24 } },
        { name: 'list-visible drift found after', value: found('list'), unit: 'h', target: { op: '<=', value: 1 } },
        { name: 'show-only drift found after, latest', value: found('show'), unit: 'h', target: { op: '<=', value: 24, source: '--max-age' } },
        { name: 'cache warnings', value: warnings.length, unit: '', target: { op: '=', value: 0 } },
      ],
      notes: [
        'every run lists the instances (1 request per 1000) and every rule list (1 per instance); shows: rules not cached, whose list fields changed, that a change touches, or whose max-age window turned over (about 1/24 per hourly run)',
        `show-only drift found after (h): ${drifted.filter((d) => d.kind === 'show').map((d) => d.foundAfter ?? 'never').join(', ')}`,
        'the drifted rules stay drifted (a drift run only plans): each later run shows them fresh again, because a change touches them',
      ],
    };
  } finally {
    await pool.close();
    await console.close();
    await rm(dir, { recursive: true, force: true });
  }
}
