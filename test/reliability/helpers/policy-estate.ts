import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EmulatorOptions, InstanceState, RuleState } from '../../../src/emulator/index.js';
import { DEMO_INSTANCES, DEMO_PROJECTS } from '../../../src/emulator/index.js';
import type { ProfileEstate } from '../../convergence/profile-estate.js';
import { startProfileEstate } from '../../convergence/profile-estate.js';

/** The convergence estate (demo state, signature auth) under a policy the test writes and rewrites. */
export interface PolicyEstate extends ProfileEstate {
  /** Replaces the policy tree by one document for the payments project declaring `instances` (YAML list items). */
  declare(instances: string): Promise<void>;
  /** prod-audit as the emulator holds it now. */
  prod(): InstanceState;
  /** A prod-audit rule by name. */
  rule(name: string): RuleState | undefined;
}

/** Starts the estate with `options` (e.g. hostile answers). */
export async function startPolicyEstate(options: EmulatorOptions): Promise<PolicyEstate> {
  const e = await startProfileEstate(options);
  const prod = (): InstanceState => e.emulator.state.projects[DEMO_PROJECTS.payments]!.instances.find((i) => i.id === DEMO_INSTANCES.prodAudit)!;
  return {
    ...e,
    close: () => e.close(),
    declare: (instances) => writeFile(join(e.policies, 'payments.yaml'), `version: 1\nregion: cn-north-4\nproject_id: ${DEMO_PROJECTS.payments}\ninstances:\n${instances}`),
    prod,
    rule: (name) => prod().rules.find((r) => r.name === name),
  };
}
