import { resolve } from 'node:path';
import type { CacheSettings } from '../run/cached-plan.js';
import { UsageError } from '../errors.js';
import { DEFAULT_MAX_AGE_MS } from '../live/cache-freshness.js';
import { parseRuleTarget } from '../plan/rule-target.js';
import type { RuleTarget } from '../plan/rule-target.js';
import type { CliIO } from './io.js';

/**
 * The flags that decide how much of the live state a plan reads and plans: `--changed-since REF`
 * (only what changed since a git ref), `--cache FILE` with `--max-age D` (rule details from the
 * live-state cache while fresh enough) and `--target INSTANCE/RULE` (only some rules).
 */

type Flags = Record<string, string | boolean | string[] | undefined>;

/** parseArgs declarations of `--cache` and `--max-age` (plan and reconcile). */
export const CACHE_OPTIONS = {
  cache: { type: 'string' },
  'max-age': { type: 'string' },
} as const;

/** parseArgs declaration of `--changed-since` (plan only). */
export const CHANGED_SINCE_OPTIONS = {
  'changed-since': { type: 'string' },
} as const;

/** parseArgs declaration of `--target` (plan, apply, reconcile). */
export const TARGET_OPTIONS = {
  target: { type: 'string', multiple: true, default: [] },
} as const;

/** Usage lines of --target. */
export const TARGET_USAGE = `  --target INST/RULE    only the changes of these rules; globs on the instance (declared or live name
                        or id) and the rule name, e.g. prod-*/drop-table. Repeatable. Leaves out
                        reorders and summary tasks; a saved plan keeps its targets for apply`;

/** The parsed --target patterns (empty when none). */
export function ruleTargets(flags: Flags): RuleTarget[] {
  const given = flags['target'];
  return Array.isArray(given) ? given.map(parseRuleTarget) : [];
}

/** Usage lines of the cache flags. */
export const CACHE_USAGE = `  --cache FILE          live-state cache kept between runs: rule details are shown again when their list
                        fields changed, when a change touches them, or when older than --max-age
  --max-age D           how old a cached rule detail may be: 24h (default), 90m, 3600s, 2d`;

/** Usage line of --changed-since. */
export const CHANGED_SINCE_USAGE = `  --changed-since REF   read and plan only the targets whose policies changed since the git ref REF
                        (pull-request previews); the plan says what it did not read`;

const UNITS: Readonly<Record<string, number>> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** A duration like `24h`, `90m`, `3600s` or `2d`, in ms. */
export function parseDuration(flag: string, value: string): number {
  const m = /^(\d+(?:\.\d+)?)([smhd])$/.exec(value.trim());
  const ms = m ? Number(m[1]) * UNITS[m[2]!]! : NaN;
  if (!(ms >= 1000)) throw new UsageError(`--${flag} must be a duration of at least 1s like 24h, 90m, 3600s or 2d, got "${value}"`);
  return ms;
}

/** The cache settings of the flags, or undefined without --cache. */
export function cacheSettings(
  flags: Flags,
  io: CliIO,
  endpointOf: (region: string) => string,
  now: () => number = Date.now,
): CacheSettings | undefined {
  const file = flags['cache'];
  const maxAge = flags['max-age'];
  if (typeof file !== 'string') {
    if (typeof maxAge === 'string') throw new UsageError('--max-age needs --cache FILE');
    return undefined;
  }
  if (file.trim() === '') throw new UsageError('--cache needs a file name');
  if (typeof flags['changed-since'] === 'string') throw new UsageError('--changed-since and --cache cannot be combined: a pull-request preview reads only the change');
  return {
    file: resolve(io.cwd, file),
    maxAgeMs: typeof maxAge === 'string' ? parseDuration('max-age', maxAge) : DEFAULT_MAX_AGE_MS,
    now,
    endpointOf,
    warn: (message) => io.stderr.write(`warning: ${message}\n`),
  };
}

/** The git ref of --changed-since, or undefined. */
export function changedSince(flags: Flags): string | undefined {
  const ref = flags['changed-since'];
  if (ref === undefined) return undefined;
  if (typeof ref !== 'string' || ref.trim() === '') throw new UsageError('--changed-since needs a git ref (a branch, tag or commit)');
  return ref;
}
