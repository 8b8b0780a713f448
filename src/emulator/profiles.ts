import { readFile } from 'node:fs/promises';
import { ConfigError } from '../errors.js';
import type { ApiProfile } from './api-profile.js';
import { checkProfile, DEFAULT_PROFILE } from './api-profile.js';
import { defaultKindOption, kindOptionChoices, kindOptionsOfProfile } from './kind-options.js';

/**
 * Named bundles of readings of the API's open points. The convergence tests run the client
 * against each of them; `dbss-policy probe` names the one a real region behaves like.
 */
export const PROFILES = {
  /** The SDK's current instance-list models, one dense shared numbering, null read-backs. */
  default: DEFAULT_PROFILE,
  /** Both new instance lists `instances` keyed `instance_id` (a reading of the Node.js SDK 3.1.204), the old list in camelCase. */
  'instances-list': { ...DEFAULT_PROFILE, instanceList: 'instances' },
  /** The emulator's earlier instance lists: `servers` keyed `id` (Go SDK ≤ 3.1.203), the old list in camelCase. */
  'servers-list': { ...DEFAULT_PROFILE, instanceList: 'servers' },
  /** Custom rules ranked 1..n on their own; system rules listed first without a rank; "" read-backs; duplicates accepted. */
  'custom-ranks': { ...DEFAULT_PROFILE, rankNumbering: 'custom', systemRanks: 'absent', systemPinned: true, anyOperation: 'empty', emptyFields: 'empty', duplicateName: 'accepted' },
  /** Custom rules ranked 1..n on their own; system rules ranked -s..-1. */
  'custom-ranks-negative': { ...DEFAULT_PROFILE, rankNumbering: 'custom', systemRanks: 'negative', systemPinned: true },
  /** Custom rules ranked 1..n on their own; system rules shown first with ranks 1..s of their own (overlapping). */
  'custom-ranks-own': { ...DEFAULT_PROFILE, rankNumbering: 'custom', systemRanks: 'own', systemPinned: true, anyOperation: 'empty' },
  /** One dense shared numbering, but system rules always stay on top (a rank above them is clamped below them); new rules go first. */
  'system-pinned': { ...DEFAULT_PROFILE, systemPinned: true, createdRank: 'first' },
  /** Ranks 10, 20, 30 ...; new_rank is a priority value, not a position; unknown ids answer 404. */
  gapped: { ...DEFAULT_PROFILE, rankStep: 10, newRank: 'value', unknownId: '404' },
  /** Only the required list fields; terse shows; absent read-backs; task_switch ON/OFF; 404 for unknown ids. */
  terse: { ...DEFAULT_PROFILE, listFields: 'required', showFields: 'terse', anyOperation: 'absent', emptyFields: 'absent', taskSwitch: 'upper', unknownId: '404' },
  /** The built-in rules go by other names than the guessed ones (only Database_drag_detection is documented). */
  'renamed-system-rules': { ...DEFAULT_PROFILE, systemRuleNames: 'variant' },
  /** Every unusual reading at once. */
  hostile: {
    instanceList: 'instances',
    rankNumbering: 'custom',
    systemRanks: 'own',
    systemPinned: true,
    rankStep: 10,
    newRank: 'value',
    createdRank: 'first',
    anyOperation: 'operate-all',
    emptyFields: 'empty',
    listFields: 'required',
    showFields: 'terse',
    taskSwitch: 'upper',
    unknownId: '404',
    duplicateName: 'accepted',
    // Renamed built-in rules without rule_type cannot be told from custom ones by any client: see docs/emulator.md (profile hostile).
    systemRuleNames: 'guessed',
    emptyWrite: 'kept',
    pageCap: 0,
    listTotal: 'present',
    createStatus: 'honoured',
  },
} as const satisfies Record<string, ApiProfile>;

/** A profile name. */
export type ProfileName = keyof typeof PROFILES;

/** Every profile name, default first. */
export const PROFILE_NAMES = Object.keys(PROFILES) as ProfileName[];

/** The profile of a name; a ConfigError listing the names when unknown. */
export function profileByName(name: string): ApiProfile {
  if (!Object.hasOwn(PROFILES, name)) throw new ConfigError(`unknown emulator profile "${name.slice(0, 60)}" (known: ${PROFILE_NAMES.join(', ')})`);
  const kinds = kindOptionsOfProfile(name);
  return Object.keys(kinds).length > 0 ? { ...PROFILES[name as ProfileName], kinds } : PROFILES[name as ProfileName];
}

/** The name of the profile equal to `profile` in every option, if any. */
export function nameOfProfile(profile: ApiProfile): ProfileName | undefined {
  return PROFILE_NAMES.find((name) => sameProfile(profileByName(name), profile));
}

/** True when two profiles agree on every option. */
export function sameProfile(a: ApiProfile, b: ApiProfile): boolean {
  const { kinds: ka, ...restA } = a;
  const { kinds: kb, ...restB } = b;
  const sameKinds = Object.keys({ ...ka, ...kb }).every((k) => (ka?.[k] ?? defaultKindOption(k)) === (kb?.[k] ?? defaultKindOption(k)));
  return sameKinds && (Object.keys(restA) as (keyof typeof restA)[]).every((k) => restA[k] === restB[k]);
}

/**
 * Reads a profile file: either a bare object of options, or what `dbss-policy probe --format
 * json` writes (its `emulatorProfile.options`). Missing options take the default reading.
 */
export async function loadProfileFile(file: string): Promise<ApiProfile> {
  let data: unknown;
  try {
    data = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    throw new ConfigError(`cannot read emulator profile ${file}: ${(err as Error).message}`, { cause: err });
  }
  const probed = typeof data === 'object' && data !== null ? (data as Record<string, unknown>).emulatorProfile : undefined;
  const options = typeof probed === 'object' && probed !== null ? (probed as Record<string, unknown>).options : data;
  const { profile, problems } = checkProfile(options, kindOptionChoices());
  if (!profile) throw new ConfigError(`emulator profile ${file}: ${problems.join('; ')}`);
  return profile;
}
