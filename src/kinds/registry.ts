import type { EmulatedKind } from './emulated-kind.js';
import type { Kind } from './kind.js';
import { maskingEmulator } from './masking/emulator.js';
import { masking } from './masking/index.js';

/**
 * Every kind of audit-policy object besides risk rules, system rules and summary tasks, in the
 * order apply runs them within an instance. Adding a kind is its folder and one line in each list.
 */
export const KINDS: readonly Kind[] = [masking];

/** Their emulator parts (the embedded emulator serves their routes). */
export const EMULATED_KINDS: readonly EmulatedKind[] = [maskingEmulator];

/** The kind of a name; undefined when no kind has it. */
export const kindNamed = (name: string): Kind | undefined => KINDS.find((k) => k.name === name);
