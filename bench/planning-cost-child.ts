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
 * with a share argv[5] (default 0.2) of its rules changed, and times one computePlan over them
 * (then, apart, the two stale-plan fingerprints, which a plan computes only when it is saved or
 * applied). Only the planner's inputs stay alive when the measurement starts.
 */
function plannerInputs(instances: number, rules: number, seed: number, share: number) {
  const state = generateState({ projects: 1, instancesPerProject: instances, rulesPerInstance: rules, seed });
  const policy = policyOfState(state);
  const desired = desiredStateOf(share > 0 ? changePolicy(policy, seed, share).projects : policy);
  return { desired, live: liveStateOf(state, desired) };
}

function msOf(fn: () => unknown): number {
  const started = performance.now();
  fn();
  return Math.round(performance.now() - started);
}

const [instances, rules, seed, share = 0.2] = process.argv.slice(2).map(Number) as [number, number, number, number?];
const { desired, live } = plannerInputs(instances, rules, seed, share);
await measureAndReport(
  () => computePlan(desired, live, { toolVersion: toolVersion() }),
  (plan) => ({
    changes: plan.changes.length,
    errors: plan.errors.length,
    refusals: plan.refusals.length,
    // after the measurement: the two fingerprints a saved or applied plan adds
    liveFingerprintMs: msOf(() => liveFingerprint(live, desired)),
    desiredHashMs: msOf(() => desiredHash(desired)),
  }),
);
