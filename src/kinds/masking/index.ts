import type { DesiredKind, Kind, KindApi, KindTarget, LiveKind } from '../kind.js';
import { maskingShows, planMasking } from './compare.js';
import { exportMasking } from './export.js';
import { checkMasking, desiredMasking, POLICY_KEYS } from './policy.js';
import { ALL_PARTS, partsOf, readMasking } from './read.js';
import { MASKING_SCHEMA } from './schema.js';
import { writeMasking } from './write.js';

/**
 * Privacy masking (dbss-api-more.md §3): the instance-wide masking and result-set storage
 * switches, custom mask rules (regex → replacement, status) and built-in mask rules switched
 * by name.
 */
export const masking: Kind & {
  /** Reads only what `declared` needs (each switch one GET, the list only for rules); everything without it. */
  read(api: KindApi, target: KindTarget, declared?: DesiredKind): Promise<LiveKind>;
} = {
  name: 'masking',
  label: 'mask rule',
  policyKeys: POLICY_KEYS,
  schema: MASKING_SCHEMA,
  desired: desiredMasking,
  check: checkMasking,
  read: (api: KindApi, target: KindTarget, declared?: DesiredKind) => readMasking(api, target, declared ? partsOf(declared) : ALL_PARTS),
  plan: planMasking,
  write: writeMasking,
  shows: maskingShows,
  export: exportMasking,
};
