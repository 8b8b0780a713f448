import type { Json, LiveKind } from '../kind.js';
import { WHITELIST_KEY } from './desired.js';

/** A database id the policy schema takes (dbIdList). */
const DB_ID = /^[^,\s]{1,255}$/;

/**
 * The policy YAML of a live whitelist: every entry whose SQL text and enabled could be read, in
 * list order, its SQL in the normal form (the key the plan compares), `enabled` always written
 * (the API's default is unsettled, so the export does not lean on the policy's), databases and
 * description only when set. An entry listed twice is exported once (the plan reports the
 * ambiguity); an unreadable one (or one with a database id the schema refuses) stays undeclared, which with `prune: false` leaves it alone.
 */
export function exportWhitelist(live: LiveKind): { readonly [policyKey: string]: Json } {
  const seen = new Set<string>();
  const entries: Json[] = [];
  for (const o of live.objects) {
    const { databases, description, enabled } = o.spec;
    if (o.builtIn || o.key === '' || seen.has(o.key) || typeof enabled !== 'boolean' || !Array.isArray(databases)) continue;
    if (!databases.every((d) => typeof d === 'string' && DB_ID.test(d))) continue;
    seen.add(o.key);
    entries.push({
      sql: o.key,
      ...(databases.length > 0 ? { databases } : {}),
      ...(typeof description === 'string' && description !== '' ? { description } : {}),
      enabled,
    });
  }
  return entries.length > 0 ? { [WHITELIST_KEY]: entries } : {};
}
