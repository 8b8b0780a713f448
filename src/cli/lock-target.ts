import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Plan } from '../plan/types.js';
import type { CliIO } from './io.js';

/** Where run locks live: `DBSS_POLICY_LOCK_DIR`, else `dbss-policy-locks` in the OS temp directory. */
export function lockDir(io: CliIO): string {
  return io.env['DBSS_POLICY_LOCK_DIR'] || join(io.env['TMPDIR'] || tmpdir(), 'dbss-policy-locks');
}

/** The region/project a change's target belongs to (the unit a run lock covers). */
export function projectOfTarget(plan: Plan, key: string): string {
  const t = plan.targets.find((x) => x.key === key);
  return t ? `${t.region}/${t.projectId}` : key;
}
