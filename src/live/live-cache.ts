import { randomBytes } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import type { RuleSummary } from '../api/types.js';
import type { LiveRuleDetail } from './types.js';

/**
 * The live-state cache file (`--cache FILE`): what earlier runs read, so that a scheduled run
 * need not show every rule every hour. Versioned JSON keyed by endpoint, project and instance;
 * it holds only what the API returned about rules (and a learned request rate), never
 * credentials. Advisory: anything odd about the file means "no cache", with a warning.
 */

/** `format` of the file: anything else is not ours. */
export const CACHE_FORMAT = 'dbss-policy-live-cache';
/** The version this build reads and writes. */
export const CACHE_VERSION = 1;

/** The list fields a cached detail was read with; a change in any of them means the rule changed. */
export interface CachedListFields {
  /** Rule name. */
  readonly name: string;
  /** ON or OFF. */
  readonly status: string;
  /** Risk level; absent when the list did not send one (optional in the SDK). */
  readonly riskLevel?: string;
  /** The list's feature summary; absent when the API did not send one. */
  readonly feature?: string;
}

/** One rule's cached detail. */
export interface CachedRule {
  /** The list fields seen when the detail was shown. */
  readonly list: CachedListFields;
  /** The detail as the show answered it. */
  readonly detail: LiveRuleDetail;
  /** When it was shown (epoch ms, the run's clock). */
  readonly readAt: number;
}

/** One endpoint's part of the cache. */
export interface CachedEndpoint {
  /** Rules by `project/instance`, then by rule id. */
  readonly instances: Readonly<Record<string, Readonly<Record<string, CachedRule>>>>;
  /** A request rate learned from the gateway (`--rate-limit auto`), if any. */
  readonly rateLimit?: {
    /** Requests per second. */
    readonly requestsPerSecond: number;
    /** When it was learned (epoch ms). */
    readonly learnedAt: number;
  };
}

/** The whole cache. */
export interface LiveCache {
  /** Always CACHE_FORMAT. */
  readonly format: typeof CACHE_FORMAT;
  /** Always CACHE_VERSION. */
  readonly version: typeof CACHE_VERSION;
  /** When the file was written (epoch ms). */
  readonly writtenAt: number;
  /** By endpoint URL. */
  readonly endpoints: Readonly<Record<string, CachedEndpoint>>;
}

/** An empty cache. */
export const emptyCache = (now: number): LiveCache => ({ format: CACHE_FORMAT, version: CACHE_VERSION, writtenAt: now, endpoints: {} });

/** The list fields of a rule as the cache keeps them. */
export const listFields = (r: RuleSummary): CachedListFields => ({
  name: r.name,
  status: r.status,
  ...(r.riskLevel !== undefined ? { riskLevel: r.riskLevel } : {}),
  ...(r.feature !== undefined ? { feature: r.feature } : {}),
});

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const optionalString = (x: unknown): boolean => x === undefined || typeof x === 'string';
const isStringList = (x: unknown): boolean => x === undefined || (Array.isArray(x) && x.every((s) => typeof s === 'string'));
const isThreshold = (x: unknown): boolean => x === undefined || (isObject(x) && typeof x['symbol'] === 'string' && Number.isInteger(x['value']));

/** Why a cached rule entry is unusable, or undefined when it is fine. */
function ruleProblem(r: unknown): string | undefined {
  if (!isObject(r) || !isObject(r['list']) || !isObject(r['detail']) || typeof r['readAt'] !== 'number') return 'malformed rule entry';
  const l = r['list'];
  if (typeof l['name'] !== 'string' || typeof l['status'] !== 'string' || !optionalString(l['riskLevel'])) return 'malformed list fields';
  const d = r['detail'];
  const ok =
    typeof d['id'] === 'string' &&
    typeof d['name'] === 'string' &&
    typeof d['status'] === 'string' &&
    optionalString(d['riskLevel']) &&
    (d['rank'] === undefined || typeof d['rank'] === 'number') &&
    isStringList(d['actions']) &&
    isStringList(d['dbIds']) &&
    isStringList(d['clientIps']) &&
    isThreshold(d['affectRows']) &&
    isThreshold(d['executionTime']) &&
    (d['schemas'] === undefined || (Array.isArray(d['schemas']) && d['schemas'].every(isObject))) &&
    (d['ignoreCase'] === undefined || typeof d['ignoreCase'] === 'boolean');
  return ok ? undefined : 'malformed rule detail';
}

/** The cache in `text`, or why it cannot be used. */
export function parseCache(text: string): LiveCache | { problem: string } {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return { problem: 'not JSON (corrupt?)' };
  }
  if (!isObject(data) || data['format'] !== CACHE_FORMAT) return { problem: `not a ${CACHE_FORMAT} file` };
  if (data['version'] !== CACHE_VERSION) return { problem: `cache version ${JSON.stringify(data['version'])}, this build uses ${CACHE_VERSION}` };
  if (!isObject(data['endpoints']) || typeof data['writtenAt'] !== 'number') return { problem: 'malformed cache' };
  for (const [url, e] of Object.entries(data['endpoints'])) {
    if (!isObject(e) || !isObject(e['instances'])) return { problem: `malformed entry for ${url}` };
    const rate = e['rateLimit'];
    if (rate !== undefined && !(isObject(rate) && typeof rate['requestsPerSecond'] === 'number' && rate['requestsPerSecond'] > 0)) {
      return { problem: `malformed rate limit for ${url}` };
    }
    for (const rules of Object.values(e['instances'])) {
      if (!isObject(rules)) return { problem: `malformed instance entry for ${url}` };
      for (const r of Object.values(rules)) {
        const problem = ruleProblem(r);
        if (problem) return { problem: `${problem} for ${url}` };
      }
    }
  }
  return data as unknown as LiveCache;
}

/**
 * Loads the cache. A missing file is a first run (empty cache, no warning); a corrupt, foreign
 * or other-version file is ignored: `warn` says why, and the run reads everything.
 */
export async function loadCache(file: string, now: number, warn: (message: string) => void): Promise<LiveCache> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') warn(`cannot read the live-state cache ${file}: ${(err as Error).message}; reading everything`);
    return emptyCache(now);
  }
  const parsed = parseCache(text);
  if ('problem' in parsed) {
    warn(`ignoring the live-state cache ${file}: ${parsed.problem}; reading everything`);
    return emptyCache(now);
  }
  return parsed;
}

/** Writes the cache atomically (a temporary file in the same directory, then rename). */
export async function saveCache(file: string, cache: LiveCache): Promise<void> {
  const tmp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeFile(tmp, `${JSON.stringify(cache)}\n`, { mode: 0o600 });
    await rename(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}
