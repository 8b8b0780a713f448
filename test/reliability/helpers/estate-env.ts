import { join } from 'node:path';
import { generateState } from '../../../src/emulator/index.js';
import type { EmulatorOptions, EmulatorState, GenerateStateOptions } from '../../../src/emulator/index.js';
import { changePolicy } from '../../../bench/estate-changes.js';
import { policyOfState, writePolicyTree } from '../../../bench/policy-tree.js';
import type { PolicyProject } from '../../../bench/policy-tree.js';
import { startEmulatorEnv } from '../../cli/emulator-env.js';
import type { EmulatorEnv } from '../../cli/emulator-env.js';

/** An emulator holding a generated estate, and a policy tree that changes part of it. */
export interface EstateEnv extends EmulatorEnv {
  /** The policies directory to pass as --policies. */
  readonly policies: string;
  /** The estate as it was before any run (a deep copy). */
  readonly initial: EmulatorState;
  /** What the policy declares. */
  readonly declared: readonly PolicyProject[];
}

/** How the estate and its policy are made. */
export interface EstateEnvOptions {
  /** The generated estate. */
  readonly estate: GenerateStateOptions;
  /** Share of the declared rules the policy changes. */
  readonly share: number;
  /** Seed of the changes. */
  readonly seed: number;
  /** Emulator options (faults, latency, rate limit...). */
  readonly emulator?: EmulatorOptions;
}

/**
 * Starts an emulator (signature auth) on a generated estate of one project and writes a policy
 * that declares its first instance with prune: true and its second with prune: false, each with
 * `share` of the rules changed (creates, updates, deletes, switches, reorders); any further
 * instance stays undeclared. Under prune: false the "deleted" rules simply become undeclared.
 */
export async function startEstateEnv(o: EstateEnvOptions): Promise<EstateEnv> {
  const state = generateState(o.estate);
  const [project] = policyOfState(state);
  const [first, second] = project!.instances;
  const declaredAsIs: PolicyProject = { ...project!, instances: [first!, ...(second ? [{ ...second, prune: false }] : [])] };
  const declared = changePolicy([declaredAsIs], o.seed, o.share).projects;
  const env = await startEmulatorEnv({ state, ...o.emulator });
  const policies = join(env.dir, 'policies');
  await writePolicyTree(policies, declared);
  return { ...env, policies, initial: structuredClone(state), declared };
}
