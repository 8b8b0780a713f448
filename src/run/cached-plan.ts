import { shownRuleMismatch } from '../api/list-consistency.js';
import { liveDetail } from '../live/rule-kinds.js';
import type { LiveRuleDetail } from '../live/types.js';
import type { ClientPool } from '../live/client-pool.js';
import { cacheKey, cachedReads, updatedEndpoint } from '../live/cache-freshness.js';
import type { CachedEndpoint, LiveCache } from '../live/live-cache.js';
import { CACHE_FORMAT, CACHE_VERSION, loadCache, saveCache } from '../live/live-cache.js';
import { plannedInstances, readLiveState } from '../live/read-live.js';
import type { ReadProgressEvent } from '../live/read-live.js';
import type { LiveInstance, LiveReadError, LiveState } from '../live/types.js';
import type { PlanOptions } from '../plan/compute-plan.js';
import { computePlan } from '../plan/compute-plan.js';
import type { Plan, PlanCoverage } from '../plan/types.js';
import type { DesiredState } from '../policy/types.js';

/**
 * A plan that takes rule details from the live-state cache (`--cache FILE`) where they are
 * fresh enough, so that a scheduled drift run fits its hour. Every run still lists every
 * instance and rule (cheap, and the list fields catch most drift); details are shown when new,
 * changed in the list, or due by age. The cache is advisory: every rule a change touches is
 * shown fresh and the plan computed again, so no write is planned from cached details alone.
 */

/** How the cache is used. */
export interface CacheSettings {
  /** The cache file (read at the start, written atomically at the end). */
  readonly file: string;
  /** --max-age: a cached detail older than this is never used. */
  readonly maxAgeMs: number;
  /** The clock (epoch ms); injectable so tests and the bench simulate hours without waiting. */
  readonly now: () => number;
  /** The endpoint URL of a region (the cache is keyed by endpoint). */
  readonly endpointOf: (region: string) => string;
  /** Where warnings go (an unusable cache file, a failed write). */
  readonly warn: (message: string) => void;
  /**
   * The endpoint's remembered request rate (learned with --rate-limit auto), handed over after
   * the file is loaded; and the rate to remember when the run ends. Both optional.
   */
  readonly rate?: {
    /** Called once per endpoint found in the file with a remembered rate (and when it was learned). */
    readonly restore?: (endpoint: string, requestsPerSecond: number, learnedAt: number) => void;
    /** The rate to remember for an endpoint at the end of the run, and when it was learned, if one was. */
    readonly learned?: (endpoint: string) => { readonly requestsPerSecond: number; readonly learnedAt: number } | undefined;
  };
}

/** What a cached plan is computed from. */
export interface CachedPlanInputs {
  /** The validated desired state (selectors not yet resolved). */
  readonly declared: DesiredState;
  /** The run's clients. */
  readonly pool: ClientPool;
  /** --shard / --instance narrowing. */
  readonly scope: (desired: DesiredState) => DesiredState;
  /** Planner options. */
  readonly planOptions: PlanOptions;
  /** The cache. */
  readonly cache: CacheSettings;
  /** Told how the live read progresses (the CLI's progress line). */
  readonly onProgress?: (event: ReadProgressEvent) => void;
}

const ruleRef = (i: { projectId: string; id: string }, ruleId: string): string => `${cacheKey(i)}/${ruleId}`;

/** Ids of the custom rules whose change a plan bases on a detail, per target key. */
function touchedRules(plan: Plan): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const add = (target: string, id: string): void => void out.set(target, [...(out.get(target) ?? []), id]);
  for (const c of plan.changes) {
    if (c.kind === 'update') add(c.target, c.ruleId);
    if (c.kind === 'switch') for (const r of c.rules) if (!r.system) add(c.target, r.id);
  }
  return out;
}

/** Reads, plans, shows fresh the cached rules the plan would change, plans again; then updates the cache. */
export async function prepareCachedPlan(inputs: CachedPlanInputs): Promise<{ desired: DesiredState; live: LiveState; plan: Plan }> {
  const { cache, pool } = inputs;
  const now = cache.now();
  const file = await loadCache(cache.file, now, cache.warn);
  for (const [endpoint, e] of Object.entries(file.endpoints)) if (e.rateLimit) cache.rate?.restore?.(endpoint, e.rateLimit.requestsPerSecond, e.rateLimit.learnedAt);

  const readAt = new Map<string, number>(); // rule ref → when its cached detail was read
  let shown = 0;
  const live0 = await readLiveState(inputs.declared, {
    pool,
    scope: inputs.scope,
    ...(inputs.onProgress ? { onProgress: inputs.onProgress } : {}),
    details: (key, instance, wanted) => {
      const [region, projectId] = key.split('/') as [string, string];
      const entry = file.endpoints[cache.endpointOf(region)]?.instances[cacheKey({ projectId, id: instance.id })];
      const reads = cachedReads(entry, wanted, now, cache.maxAgeMs);
      for (const [id, at] of Object.entries(reads.readAt)) readAt.set(ruleRef({ projectId, id: instance.id }, id), at);
      shown += reads.show.length;
      return reads;
    },
  });
  const desired = plannedInstances(inputs.declared, live0, inputs.scope);
  let live = live0;
  let plan = computePlan(desired, live, inputs.planOptions);
  // One round makes every rule with a change fresh (a rule's diff depends on its own detail only);
  // a second round is a guard, not expected to find anything.
  for (let round = 0; round < 2; round++) {
    const stale = [...touchedRules(plan)].flatMap(([target, ids]) => {
      const inst = live.instances.find((i) => i.key === target);
      return inst ? [{ inst, ids: ids.filter((id) => readAt.has(ruleRef(inst, id))) }].filter((x) => x.ids.length > 0) : [];
    });
    if (stale.length === 0) break;
    const errors: LiveReadError[] = [];
    const refreshed = new Map<string, Record<string, LiveRuleDetail>>();
    await Promise.all(
      stale.map(async ({ inst, ids }) => {
        try {
          const summaries = new Map(inst.rules.map((r) => [r.id, r]));
          const details = await Promise.all(
            ids.map(async (id) => {
              const listed = summaries.get(id)!;
              const shown = await pool.client(inst.region, inst.projectId).showRule(inst.projectId, inst.id, id);
              // The same checks as a plain read: the answer is about this rule, gaps filled from the list.
              const mismatch = shownRuleMismatch(listed, shown);
              if (mismatch) throw new Error(`inconsistent read of rule ${JSON.stringify(listed.name)}: ${mismatch}; the instance is not planned`);
              return liveDetail(listed, shown);
            }),
          );
          refreshed.set(inst.key, Object.fromEntries(details.map((d, n) => [ids[n]!, d])));
          shown += ids.length;
          for (const id of ids) readAt.delete(ruleRef(inst, id));
        } catch (err) {
          errors.push({ key: inst.key, message: err instanceof Error ? err.message : String(err) });
        }
      }),
    );
    const failed = new Set(errors.map((e) => e.key));
    const instances = live.instances
      .filter((i) => !failed.has(i.key))
      .map((i): LiveInstance => (refreshed.has(i.key) ? { ...i, details: { ...i.details, ...refreshed.get(i.key) } } : i));
    live = { ...live, instances, errors: [...live.errors, ...errors] };
    plan = computePlan(desired, live, inputs.planOptions);
  }

  const ages = [...readAt.values()].map((at) => Math.round((now - at) / 1000));
  const coverage: PlanCoverage = {
    cache: {
      rulesFromCache: readAt.size,
      rulesShown: shown,
      ...(ages.length > 0 ? { oldestAgeSeconds: Math.max(...ages) } : {}),
      maxAgeSeconds: Math.round(cache.maxAgeMs / 1000),
    },
  };
  await writeCache(file, live, new Set(readAt.keys()), inputs.cache, now);
  return { desired, live, plan: Object.assign(plan, { coverage }) };
}

/** Writes the updated cache; a failed write is a warning (the cache is advisory), never a failed plan. */
async function writeCache(previous: LiveCache, live: LiveState, fromCache: ReadonlySet<string>, cache: CacheSettings, now: number): Promise<void> {
  const byEndpoint = new Map<string, LiveInstance[]>();
  for (const i of live.instances) {
    const url = cache.endpointOf(i.region);
    byEndpoint.set(url, [...(byEndpoint.get(url) ?? []), i]);
  }
  const endpoints: Record<string, CachedEndpoint> = { ...previous.endpoints };
  const keepMs = 7 * cache.maxAgeMs;
  for (const url of new Set([...Object.keys(endpoints), ...byEndpoint.keys()])) {
    const updated = updatedEndpoint(endpoints[url], byEndpoint.get(url) ?? [], fromCache, now, keepMs);
    const learned = cache.rate?.learned?.(url);
    // Otherwise the file's rate stays as it was: each run's restore judges its bounds and age again.
    endpoints[url] = learned !== undefined ? { ...updated, rateLimit: { requestsPerSecond: learned.requestsPerSecond, learnedAt: learned.learnedAt } } : updated;
  }
  try {
    await saveCache(cache.file, { format: CACHE_FORMAT, version: CACHE_VERSION, writtenAt: now, endpoints });
  } catch (err) {
    cache.warn(`could not write the live-state cache ${cache.file}: ${err instanceof Error ? err.message : String(err)}`);
  }
}
