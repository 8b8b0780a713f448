import { parseArgs } from 'node:util';
import { UsageError } from '../errors.js';
import { flagError } from './flag-errors.js';

/**
 * The flags shared by plan, apply and reconcile, parsed once. Each verb adds its own; unknown
 * flags are a usage error that names the flag.
 */
export const COMMON_OPTIONS = {
  policies: { type: 'string', default: 'policies' },
  endpoint: { type: 'string' },
  emulator: { type: 'boolean', default: false },
  concurrency: { type: 'string' },
  'rate-limit': { type: 'string' },
  timeout: { type: 'string' },
  'max-attempts': { type: 'string' },
  settle: { type: 'string' },
  'max-duration': { type: 'string' },
  'lock-timeout': { type: 'string' },
  instance: { type: 'string', multiple: true, default: [] },
  'summary-tasks': { type: 'boolean', default: false },
  shard: { type: 'string' },
  credential: { type: 'string', multiple: true, default: [] },
  'no-color': { type: 'boolean', default: false },
  force: { type: 'boolean', default: false },
  'max-change-ratio': { type: 'string' },
  'min-rules': { type: 'string' },
  'reassert-write-only': { type: 'boolean', default: false },
  'fail-on-weakening': { type: 'boolean', default: false },
  'fail-on-guardrail': { type: 'boolean', default: false },
} as const;

/** The flags of the verbs that write (apply, reconcile). */
export const APPLY_OPTIONS = {
  yes: { type: 'boolean', default: false },
  'auto-approve': { type: 'boolean', default: false },
} as const;

/** Usage text of APPLY_OPTIONS. */
export const APPLY_USAGE = `  --yes, --auto-approve apply without asking. When a person can be asked (CI unset; stdin a
                        terminal, whatever stdout is, or else the controlling terminal) the plan is
                        shown and "Apply these N changes ...? Only 'yes' is accepted" asked; with
                        no terminal at all (CI, cron) it applies without asking, as always`;

/** Usage text of the shared flags. */
export const COMMON_USAGE = `Options shared by plan, apply and reconcile:
  --policies DIR          policy tree (default: policies)
  --instance NAME         only this instance (name, id or key); repeatable. Summary tasks are
                          left out unless --summary-tasks is given too
  --summary-tasks         with --instance: also plan the summary tasks of those instances' projects
  --endpoint URL          DBSS endpoint (default https://dbss.{region}.myhuaweicloud.com; env DBSS_ENDPOINT);
                          http:// only for loopback (the emulator)
  --shard I/N             only the I-th of N disjoint parts of the instances and summary tasks (CI matrix)
  --credential NAME       only the projects signed by this entry of the config file's credentials map
                          (default: the projects no entry matches); repeatable. A CI matrix job per
                          credential gets that credential's own request budget and needs only its secrets
  --emulator              run against an in-process emulator seeded with the demo state
  --concurrency N         parallel API calls per endpoint (default 8)
  --rate-limit R          request budget per endpoint, e.g. 10/s, 600/min (default 10/s; 100/s with --emulator);
                          auto: start at that budget, probe upward, adopt 95% of the limit the gateway
                          states in its first 429
  --timeout MS            per-request deadline in ms (default 30000)
  --max-attempts N        attempts per request, first included (default 5; creates are never resent blindly)
  --settle MS             how long a listing may lag a create, in ms (0-60000, default 5000): a create whose
                          answer was lost is resent only when listings spread over this window all lack it,
                          and the check after an apply waits as long for the rules it created
  --max-duration D        send nothing after D (90s, 10m, 1h) from the start: unread targets are errors, unsent changes not-attempted
  --lock-timeout D        while another run on this machine holds the lock of a project, wait up to D
                          (30s, 5m) before reading and again before applying; without it plan does
                          not wait and apply stops at once
  --force                 apply even when a safety threshold refuses the plan
  --max-change-ratio F    refuse when deletes+updates exceed this share of an instance's rules (default 0.3)
  --min-rules N           ... for instances with at least N custom rules (default 10)
  --reassert-write-only   re-send write-only fields (exception_ips) of rules that declare them
  --fail-on-weakening     exit 1 when the plan weakens auditing
  --fail-on-guardrail     exit 1 when a guardrail of severity error is violated (declared or live state)
  --no-color              no ANSI colours (also NO_COLOR; FORCE_COLOR=1 colours a pipe or CI log)
Progress: while reading, a line on stderr (redrawn on a terminal, every ~30 s in a log).
Credentials (environment): HUAWEICLOUD_SDK_AK + HUAWEICLOUD_SDK_SK [+ HUAWEICLOUD_SDK_SECURITY_TOKEN],
  or HW_ACCESS_KEY + HW_SECRET_KEY [+ HW_SECURITY_TOKEN], or HUAWEICLOUD_AUTH_TOKEN; per project or
  region, the variables the config file's credentials map names (docs/security.md).`;

type OptionSpec = Record<string, { type: 'string' | 'boolean'; multiple?: boolean; default?: unknown; short?: string }>;

/** parseArgs with strict checking, turning its errors into a UsageError that suggests the flag meant. */
export function parseFlags<T extends OptionSpec>(argv: readonly string[], options: T, verb: string, allowPositionals = false) {
  try {
    return parseArgs({ args: [...argv], options: options as never, strict: true, allowPositionals }) as unknown as {
      values: Record<string, string | boolean | string[] | undefined>;
      positionals: string[];
    };
  } catch (err) {
    throw flagError(err, options, verb);
  }
}

/** A positive integer flag value. */
export function intFlag(name: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--${name} must be a positive integer, got "${String(value)}"`);
  return n;
}

/** A whole number of milliseconds from 0 to `max`. */
export function msFlag(name: string, value: unknown, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (typeof value !== 'string' || value.trim() === '' || !Number.isInteger(n) || n < 0 || n > max) {
    throw new UsageError(`--${name} must be a whole number of milliseconds from 0 to ${max}, got "${String(value).slice(0, 40)}"`);
  }
  return n;
}

/** A ratio flag value in (0, 1]. */
export function ratioFlag(name: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!(n > 0 && n <= 1)) throw new UsageError(`--${name} must be a number in (0, 1], got "${String(value)}"`);
  return n;
}
