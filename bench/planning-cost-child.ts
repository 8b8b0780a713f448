import { generateState } from '../src/emulator/index.js';
import { computePlan } from '../src/plan/compute-plan.js';
import { desiredHash, liveFingerprint } from '../src/plan/fingerprint.js';
import { toolVersion } from '../src/version.js';
import { changePolicy } from './estate-changes.js';
import { desiredStateOf, liveStateOf } from './in-memory-state.js';
import { measureAndReport } from './measured-child.js';
import { policyOfState } from './policy-tree.js';

/**
 * Child of scenario 4: builds an estate of argv[2] instances × argv[3] rules in memory, a policy
 * with 20% of its rules changed, and times one computePlan over them (then, apart, the two
 * fingerprints it computes). Only the planner's inputs stay alive when the measurement starts.
 */
function plannerInputs(instances: number, rules: number, seed: number) {
  const state = generateState({ projects: 1, instancesPerProject: instances, rulesPerInstance: rules, seed });
  const desired = desiredStateOf(changePolicy(policyOfState(state), seed).projects);
  return { desired, live: liveStateOf(state, desired) };
}

function msOf(fn: () => unknown): number {
  const started = performance.now();
  fn();
  return Math.round(performance.now() - started);
}

const [instances, rules, seed] = process.argv.slice(2).map(Number) as [number, number, number];
const { desired, live } = plannerInputs(instances, rules, seed);
await measureAndReport(
  () => computePlan(desired, live, { toolVersion: toolVersion() }),
  (plan) => ({
    changes: plan.changes.length,
    errors: plan.errors.length,
    refusals: plan.refusals.length,
    // after the measurement, for the breakdown: the two fingerprints computePlan includes
    liveFingerprintMs: msOf(() => liveFingerprint(live, desired)),
    desiredHashMs: msOf(() => desiredHash(desired)),
  }),
);
