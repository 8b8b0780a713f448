import { declaredObjects } from '../collection.js';
import type { DesiredKind, Json, KindFinding, KindValues } from '../kind.js';
import { normaliseSql } from './sql-text.js';

/** The policy key of the whitelist (a list of entries). */
export const WHITELIST_KEY = 'sql_whitelist';

/** The policy default of `enabled` (the API's default for an absent `enabled` is unsettled, so the client always sends it). */
export const ENABLED_DEFAULT = true;

/** An entry as the validated YAML holds it. */
interface EntryYaml {
  readonly sql: string;
  readonly databases?: readonly string[];
  readonly description?: string;
  readonly enabled?: boolean;
}

/**
 * The domain form of an entry: databases (db_ids; empty = every database), description (desc;
 * '' when none) and enabled. The key is the normalised SQL text.
 */
export function entrySpec(raw: Json): { readonly key: string; readonly spec: { readonly databases: string[]; readonly description: string; readonly enabled: boolean } } {
  const e = raw as unknown as EntryYaml;
  return {
    key: normaliseSql(e.sql),
    spec: { databases: [...new Set(e.databases ?? [])].sort(), description: e.description ?? '', enabled: e.enabled ?? ENABLED_DEFAULT },
  };
}

/** The declared whitelist of an entry (rule sets first, then the entry's own; a later entry of the same SQL replaces an earlier one). */
export function desiredWhitelist(values: readonly KindValues[], prune: boolean): DesiredKind | undefined {
  if (!values.some((v) => v.values[WHITELIST_KEY] !== undefined)) return undefined;
  const objects = declaredObjects(values, WHITELIST_KEY, (raw, source) => ({ ...entrySpec(raw), source }));
  return { objects, switches: [], settings: {}, prune };
}

/** One place's whitelist problems the schema cannot see: an SQL text of whitespace only, or declared twice (after normalisation). */
export function checkWhitelist(values: { readonly [policyKey: string]: Json }): KindFinding[] {
  const list = values[WHITELIST_KEY];
  if (!Array.isArray(list)) return [];
  const findings: KindFinding[] = [];
  const first = new Map<string, number>();
  (list as readonly Json[]).forEach((raw, i) => {
    const sql = raw !== null && typeof raw === 'object' && !Array.isArray(raw) ? (raw as { readonly [k: string]: Json }).sql : undefined;
    if (typeof sql !== 'string') return;
    const key = normaliseSql(sql);
    if (key === '') {
      findings.push({ path: [WHITELIST_KEY, i, 'sql'], message: 'the SQL text is whitespace only' });
      return;
    }
    const at = first.get(key);
    if (at === undefined) first.set(key, i);
    else findings.push({ path: [WHITELIST_KEY, i, 'sql'], message: `whitelist entry ${JSON.stringify(key)} is declared twice in this list (first at item ${at + 1}; SQL texts are compared with whitespace outside quotes collapsed)` });
  });
  return findings;
}
