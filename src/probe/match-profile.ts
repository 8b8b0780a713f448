import type { ApiProfile } from '../emulator/api-profile.js';
import { checkProfile, DEFAULT_PROFILE, PROFILE_KEYS } from '../emulator/api-profile.js';
import { defaultKindOption, kindOptionChoices, kindOptionsOfProfile } from '../emulator/kind-options.js';
import { PROFILE_NAMES, PROFILES, profileByName, sameProfile } from '../emulator/profiles.js';
import type { Observation, ProfileMatch } from './types.js';

/**
 * The emulator profile behind a set of observations. Every observed option must agree; an
 * option seen with two different values (e.g. two instances of the same region disagreeing)
 * keeps the first. The emitted options are complete so `emulator --profile-file` can load them.
 */
export function matchProfile(observations: readonly Observation[]): ProfileMatch {
  const seen: Partial<Record<keyof ApiProfile, unknown>> = {};
  for (const o of observations) {
    if (o.option !== undefined && o.value !== undefined && !(o.option in seen)) seen[o.option] = o.value;
  }
  const kindSeen: Record<string, string> = {};
  for (const o of observations) if (o.kindOption && !(o.kindOption.name in kindSeen)) kindSeen[o.kindOption.name] = o.kindOption.value;
  const kindKeys = Object.keys(kindOptionChoices());
  const kindOf = (name: string, k: string): string | undefined => kindOptionsOfProfile(name)[k] ?? defaultKindOption(k);
  const observed = PROFILE_KEYS.filter((k) => k in seen);
  const matches = PROFILE_NAMES.filter(
    (name) => observed.every((k) => (PROFILES[name] as ApiProfile)[k] === seen[k]) && Object.entries(kindSeen).every(([k, v]) => kindOf(name, k) === v),
  );
  const base: ApiProfile = matches.length === 1 ? profileByName(matches[0]!) : DEFAULT_PROFILE;
  const merged = { ...base, ...seen, kinds: { ...base.kinds, ...kindSeen } };
  // Observed readings may combine in a way no check allows (a region is free to): fall back to the base then.
  const options = checkProfile(merged, kindOptionChoices()).profile ?? base;
  const assumed = [...PROFILE_KEYS.filter((k) => !(k in seen)), ...kindKeys.filter((k) => !(k in kindSeen))];
  const exact = matches.find((name) => sameProfile(profileByName(name), options));
  const name = assumed.length === 0 ? (exact ?? null) : matches.length === 1 ? matches[0]! : null;
  return { name, matches, options, observed: [...observed, ...Object.keys(kindSeen)], assumed };
}
