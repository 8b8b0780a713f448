import { EMULATED_KINDS } from '../kinds/registry.js';

/** The open-point options of the emulated kinds (src/kinds/NAME/emulator.ts), for profiles. */

/** Every kind option with its allowed values. */
export function kindOptionChoices(): Record<string, readonly string[]> {
  return Object.fromEntries(EMULATED_KINDS.flatMap((k) => Object.entries(k.options)));
}

/** The default (first) value of a kind option; undefined for an unknown one. */
export const defaultKindOption = (option: string): string | undefined => kindOptionChoices()[option]?.[0];

/** The kind options a named profile bundles (absent options take their defaults). */
export function kindOptionsOfProfile(name: string): Record<string, string> {
  return Object.assign({}, ...EMULATED_KINDS.map((k) => k.profiles[name] ?? {})) as Record<string, string>;
}

