import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Plan } from '../plan/types.js';
import type { CliIO } from './io.js';

/** Where run locks live: `DBSS_POLICY_LOCK_DIR`, else `dbss-policy-locks` in the OS temp directory. */
export function lockDir(io: CliIO): string {
  return io.env['DBSS_POLICY_LOCK_DIR'] || join(io.env['TMPDIR'] || tmpdir(), 'dbss-policy-locks');
}

/**
 * What a run lock covers: the region/project a change's target belongs to, at an endpoint
 * other than the region's own when one is given (two emulators are two estates).
 */
export function lockTarget(plan: Plan, key: string, endpoint: string | undefined): string {
  const t = plan.targets.find((x) => x.key === key);
  const project = t ? `${t.region}/${t.projectId}` : key;
  return endpoint ? `${project} at ${endpoint}` : project;
}
