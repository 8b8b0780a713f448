import type { Change, Plan, PlanTarget } from '../../src/plan/types.js';
import { INSTANCE, PROJECT } from '../api/helpers/client.js';

/** The one instance of the apply tests that talk to a test server (testClient's project and instance). */
export const TARGET = `cn-north-4/${PROJECT}/prod`;
export const NO_REVIEW = { weakening: false, reasons: [] };
/** Its target; the project's own (summary tasks) is `PROJECT_TARGET`. */
export const INSTANCE_TARGET: PlanTarget = { key: TARGET, region: 'cn-north-4', projectId: PROJECT, instanceId: INSTANCE, instanceName: 'prod' };
export const PROJECT_TARGET: PlanTarget = { key: `cn-north-4/${PROJECT}`, region: 'cn-north-4', projectId: PROJECT };

/** A plan of `changes` on those targets, with placeholder fingerprints (applyPlan does not check them). */
export function testPlan(changes: Change[], targets: PlanTarget[] = [INSTANCE_TARGET]): Plan {
  return { formatVersion: 1, toolVersion: 'test', liveFingerprint: 'x', desiredHash: 'y', targets, changes, notes: [], errors: [], refusals: [], selectors: [] };
}
