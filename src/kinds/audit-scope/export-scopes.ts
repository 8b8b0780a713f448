import type { Json, LiveKind, LiveObject } from '../kind.js';
import { ALL_DATABASES, databasesOf, FULL_AUDIT_KEY, LIST_FIELDS, listOf, SCOPES_KEY } from './scope-spec.js';

/**
 * The policy YAML of a live state: `full_audit` from the built-in full-audit scope (when exactly
 * one is listed with ON/OFF), and `audit_scopes` with only the values that differ from the
 * policy defaults (all databases, empty lists, status ON), so the loader's defaults give the
 * live scopes back and the plan of the export is empty. A name listed twice is written once
 * (the plan reports the pair); a scope without a name cannot be declared and is left out.
 */

function scopeEntry(o: LiveObject): { readonly [k: string]: Json } {
  const entry: { [k: string]: Json } = { name: o.key };
  const dbs = databasesOf(o.spec.databases ?? ALL_DATABASES);
  if (dbs !== ALL_DATABASES) {
    entry.databases = { ...(dbs.ids.length > 0 ? { ids: dbs.ids } : {}), ...(dbs.names.length > 0 ? { names: dbs.names } : {}) };
  }
  for (const f of LIST_FIELDS) {
    const items = listOf(o.spec[f]);
    if (items.length > 0) entry[f] = items;
  }
  if (o.spec.status === 'OFF') entry.status = 'OFF';
  return entry;
}

/** The `audit_scopes` and `full_audit` values of a live state (keys absent when nothing is worth writing). */
export function exportScopes(live: LiveKind): { readonly [policyKey: string]: Json } {
  const out: { [k: string]: Json } = {};
  const builtIns = live.objects.filter((o) => o.builtIn);
  const full = builtIns[0]?.spec.status;
  if (builtIns.length === 1 && (full === 'ON' || full === 'OFF')) out[FULL_AUDIT_KEY] = full;
  const seen = new Set<string>();
  const scopes = live.objects.filter((o) => !o.builtIn && o.key !== '' && !seen.has(o.key) && seen.add(o.key)).map(scopeEntry);
  if (scopes.length > 0) out[SCOPES_KEY] = scopes;
  return out;
}
