import type { EmulatedKind } from './emulated-kind.js';
import type { Kind } from './kind.js';
import { EMULATED_SQL_INJECTION } from './sql-injection/emulator.js';
import { SQL_INJECTION_KIND } from './sql-injection/index.js';
import { maskingEmulator } from './masking/emulator.js';
import { masking } from './masking/index.js';

/**
 * Every kind of audit-policy object besides risk rules, system rules and summary tasks, in the
 * order apply runs them within an instance. Adding a kind is its folder and one line in each list.
 */
export const KINDS: readonly Kind[] = [SQL_INJECTION_KIND, masking];

/** Their emulator parts (the embedded emulator serves their routes). */
export const EMULATED_KINDS: readonly EmulatedKind[] = [EMULATED_SQL_INJECTION, maskingEmulator];

/** The kind of a name; undefined when no kind has it. */
export const kindNamed = (name: string): Kind | undefined => KINDS.find((k) => k.name === name);
