import type { ApiProfile } from '../emulator/api-profile.js';
import { checkProfile, DEFAULT_PROFILE, PROFILE_KEYS } from '../emulator/api-profile.js';
import { PROFILE_NAMES, PROFILES } from '../emulator/profiles.js';
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
  const observed = PROFILE_KEYS.filter((k) => k in seen);
  const matches = PROFILE_NAMES.filter((name) => observed.every((k) => (PROFILES[name] as ApiProfile)[k] === seen[k]));
  const base: ApiProfile = matches.length === 1 ? PROFILES[matches[0]!] : DEFAULT_PROFILE;
  const merged = { ...base, ...seen };
  // Observed readings may combine in a way no check allows (a region is free to): fall back to the base then.
  const options = checkProfile(merged).profile ?? base;
  const assumed = PROFILE_KEYS.filter((k) => !(k in seen));
  const exact = matches.find((name) => PROFILE_KEYS.every((k) => (PROFILES[name] as ApiProfile)[k] === options[k]));
  const name = assumed.length === 0 ? (exact ?? null) : matches.length === 1 ? matches[0]! : null;
  return { name, matches, options, observed, assumed };
}
