import { createHash } from 'node:crypto';
import type { RuleSummary } from '../api/types.js';
import type { LiveRuleDetail } from './types.js';
import type { CachedEndpoint, CachedListFields, CachedRule } from './live-cache.js';
import { listFields } from './live-cache.js';
import type { DetailReads } from './read-live.js';
import type { LiveInstance } from './types.js';

/**
 * When a cached rule detail may stand in for a show (pure; the clock is a parameter). A rule is
 * shown again when its list fields changed since the cached read, or when its max-age window
 * turned over. Each rule's window is shifted by a hash of its id, so the refreshes of a large
 * estate spread evenly: an hourly run with a 24 h max-age refreshes about 1/24 of the rules,
 * instead of all of them once a day.
 */

/** Default --max-age: 24 hours. */
export const DEFAULT_MAX_AGE_MS = 24 * 3600 * 1000;

/** Where in the max-age window a rule's refresh falls: a deterministic offset from its id. */
export function phaseOf(ruleId: string, maxAgeMs: number): number {
  return createHash('sha256').update(ruleId).digest().readUIntBE(0, 6) % maxAgeMs;
}

/**
 * A detail read at `readAt` is due at `now` when it is at least `maxAgeMs` old, or when the
 * rule's own window boundary (shifted by phaseOf) passed since it was read. Either way no detail
 * is used past its max-age, and a run between two boundaries refreshes nothing needlessly.
 */
export function isDue(ruleId: string, readAt: number, now: number, maxAgeMs: number): boolean {
  if (now - readAt >= maxAgeMs) return true;
  const p = phaseOf(ruleId, maxAgeMs);
  return Math.floor((now + p) / maxAgeMs) > Math.floor((readAt + p) / maxAgeMs);
}

const sameList = (a: CachedListFields, b: CachedListFields): boolean =>
  a.name === b.name && a.status === b.status && a.riskLevel === b.riskLevel && a.feature === b.feature;

/** The shows a cached read makes for one instance, and which details it takes from the cache (with their read time). */
export interface CachedReads extends DetailReads {
  /** When each detail taken from the cache was read, by rule id. */
  readonly readAt: Readonly<Record<string, number>>;
}

/**
 * Which of `wanted` (declared custom rules present in the fresh list) to show: those not
 * cached, whose list fields changed, or that are due. The others take their cached detail with
 * the rank from today's list (the list is always fresh; rank alone needs no show).
 */
export function cachedReads(
  cached: Readonly<Record<string, CachedRule>> | undefined,
  wanted: readonly RuleSummary[],
  now: number,
  maxAgeMs: number,
): CachedReads {
  const show: RuleSummary[] = [];
  const known: Record<string, LiveRuleDetail> = {};
  const readAt: Record<string, number> = {};
  for (const r of wanted) {
    const c = cached?.[r.id];
    if (!c || c.detail.id !== r.id || !sameList(c.list, listFields(r)) || c.readAt > now || isDue(r.id, c.readAt, now, maxAgeMs)) {
      show.push(r);
      continue;
    }
    known[r.id] = { ...c.detail, rank: r.rank };
    readAt[r.id] = c.readAt;
  }
  return { show, known, readAt };
}

/** `project/instance`: an instance's key within its endpoint's cache. */
export const cacheKey = (i: { readonly projectId: string; readonly id: string }): string => `${i.projectId}/${i.id}`;

/**
 * The endpoint's cache after a run: each instance read gets its declared rules' details (fresh
 * ones stamped `now`, cached ones kept as they were); rules no longer listed drop out. Instances
 * not read in this run (another shard, a read error) keep their entries until they are older
 * than `keepMs`.
 */
export function updatedEndpoint(
  previous: CachedEndpoint | undefined,
  read: readonly LiveInstance[],
  fromCache: ReadonlySet<string>,
  now: number,
  keepMs: number,
): CachedEndpoint {
  const instances: Record<string, Record<string, CachedRule>> = {};
  for (const [key, rules] of Object.entries(previous?.instances ?? {})) {
    const newest = Math.max(...Object.values(rules).map((r) => r.readAt));
    if (now - newest < keepMs) instances[key] = { ...rules };
  }
  for (const inst of read) {
    const before = previous?.instances[cacheKey(inst)] ?? {};
    const rules: Record<string, CachedRule> = {};
    for (const r of inst.rules) {
      const detail = inst.details[r.id];
      if (!detail) continue;
      const kept = before[r.id];
      rules[r.id] = fromCache.has(`${cacheKey(inst)}/${r.id}`) && kept ? kept : { list: listFields(r), detail, readAt: now };
    }
    instances[cacheKey(inst)] = rules;
  }
  return { ...(previous?.rateLimit ? { rateLimit: previous.rateLimit } : {}), instances };
}
