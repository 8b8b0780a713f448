import { ALARM_KIND } from './alarm/index.js';
import { EMULATED_ALARM } from './alarm/emulator.js';
import { EMULATED_AUDIT_SCOPES } from './audit-scope/emulator.js';
import { AUDIT_SCOPE_KIND } from './audit-scope/index.js';
import type { EmulatedKind } from './emulated-kind.js';
import type { Kind } from './kind.js';
import { EMULATED_SQL_INJECTION } from './sql-injection/emulator.js';
import { SQL_INJECTION_KIND } from './sql-injection/index.js';
import { EMULATED_WHITELIST } from './whitelist/emulator.js';
import { WHITELIST_KIND } from './whitelist/index.js';
import { maskingEmulator } from './masking/emulator.js';
import { masking } from './masking/index.js';

/**
 * Every kind of audit-policy object besides risk rules, system rules and summary tasks, in the
 * order apply runs them within an instance. Adding a kind is its folder and one line in each list.
 */
export const KINDS: readonly Kind[] = [AUDIT_SCOPE_KIND, SQL_INJECTION_KIND, WHITELIST_KIND, ALARM_KIND, masking];

/** Their emulator parts (the embedded emulator serves their routes). */
export const EMULATED_KINDS: readonly EmulatedKind[] = [EMULATED_AUDIT_SCOPES, EMULATED_SQL_INJECTION, EMULATED_WHITELIST, EMULATED_ALARM, maskingEmulator];

/** The kind of a name; undefined when no kind has it. */
export const kindNamed = (name: string): Kind | undefined => KINDS.find((k) => k.name === name);
