import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isLoopbackHost, resolveEndpoint } from '../api/endpoint.js';
import { systemClock } from '../api/clock.js';
import { awaitRunLocksFree } from '../apply/lock-wait.js';
import type { LockWait } from '../apply/lock-wait.js';
import type { Plan } from '../plan/types.js';
import type { DesiredState } from '../policy/types.js';
import type { RunInputs } from '../run/reconcile.js';
import type { CliIO } from './io.js';
import { escapeText } from '../render/escape.js';
import { parseDuration } from './run-deadline.js';

/** Where run locks live: `DBSS_POLICY_LOCK_DIR`, else `dbss-policy-locks` in the OS temp directory. */
export function lockDir(io: CliIO): string {
  return io.env['DBSS_POLICY_LOCK_DIR'] || join(io.env['TMPDIR'] || tmpdir(), 'dbss-policy-locks');
}

/**
 * One spelling per endpoint, so that two spellings of one estate take one lock: scheme and host
 * in lower case, the default port left out, a trailing dot and slashes dropped, and every
 * loopback host (`localhost`, `127.0.0.1`, `[::1]`, ...) written `localhost`: a server on this
 * machine may answer on all of them, and one lock too many only makes a run wait. Other names
 * are not resolved (DNS answers change); an unreadable value is kept as given.
 */
export function canonicalEndpoint(endpoint: string): string {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return endpoint;
  }
  const host = isLoopbackHost(url.hostname) ? 'localhost' : url.hostname.replace(/\.$/, '');
  const port = url.port === '' ? '' : `:${url.port}`;
  return `${url.protocol}//${host}${port}${url.pathname.replace(/\/+$/, '')}`;
}

/**
 * The lock of a region/project: at an endpoint other than the region's own when one is given
 * (two emulators are two estates), written the canonical way.
 */
export function projectLockTarget(region: string, projectId: string, endpoint: string | undefined): string {
  const project = `${region}/${projectId}`;
  if (!endpoint) return project;
  const at = canonicalEndpoint(endpoint);
  const own = (() => {
    try {
      return resolveEndpoint(region).origin;
    } catch {
      return undefined;
    }
  })();
  return at === own ? project : `${project} at ${at}`;
}

/** What a run lock covers: the region/project a change's target belongs to (see projectLockTarget). */
export function lockTarget(plan: Plan, key: string, endpoint: string | undefined): string {
  const t = plan.targets.find((x) => x.key === key);
  if (t) return projectLockTarget(t.region, t.projectId, endpoint);
  return endpoint ? `${key} at ${canonicalEndpoint(endpoint)}` : key;
}

/**
 * `--lock-timeout D` as RunInputs members: how long apply waits for a held lock, and a wait
 * before anything is read for the locks of every project the policies declare (so a plan is not
 * made of state another run is changing). Absent flag: nothing (a held lock stops apply at once).
 */
export function lockWaitInputs(value: unknown, io: CliIO, endpoint: string | undefined): Pick<RunInputs, 'lockWait' | 'beforeRead'> {
  if (typeof value !== 'string') return {};
  const lockWait: LockWait = {
    timeoutMs: parseDuration('lock-timeout', value),
    text: value,
    clock: io.waitClock ?? systemClock,
    onWait: (message) => io.stderr.write(`${escapeText(message)}\n`),
  };
  const beforeRead = async (declared: DesiredState): Promise<void> => {
    const projects = [...declared.instances, ...(declared.selectors ?? []), ...declared.summaryTasks];
    await awaitRunLocksFree(lockDir(io), projects.map((p) => projectLockTarget(p.region, p.projectId, endpoint)), lockWait);
  };
  return { lockWait, beforeRead };
}
