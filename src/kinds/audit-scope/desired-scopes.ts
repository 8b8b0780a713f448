import { declaredObjects, declaredSettings } from '../collection.js';
import type { DesiredKind, DesiredObject, Json, KindValues } from '../kind.js';
import type { ScopeDatabases, ScopeSpec } from './scope-spec.js';
import { ALL_DATABASES, FULL_AUDIT_KEY, LIST_FIELDS, normalList, SCOPES_KEY, specJson } from './scope-spec.js';

/**
 * The declared audit scopes of an instance entry, from validated YAML (schema.ts): defaults
 * filled in (all databases, every operation, user, address and port, no exception, ON), lists
 * normalised. Rule sets' scopes come first, then the entry's own; a later scope of the same name
 * replaces an earlier one in place.
 */

type YamlObject = { readonly [k: string]: Json };

const list = (v: Json | undefined): string[] => (Array.isArray(v) ? normalList(v as readonly Json[]) : []);

function databases(v: Json | undefined): ScopeDatabases {
  if (v === null || v === undefined || typeof v !== 'object' || Array.isArray(v)) return ALL_DATABASES;
  const o = v as YamlObject;
  return { ids: list(o.ids), names: list(o.names) };
}

/** The domain spec of one validated `audit_scopes` item. */
function scopeSpecOf(raw: YamlObject): ScopeSpec {
  const lists = Object.fromEntries(LIST_FIELDS.map((f) => [f, list(raw[f])])) as Record<(typeof LIST_FIELDS)[number], string[]>;
  return { databases: databases(raw.databases), ...lists, status: raw.status === 'OFF' ? 'OFF' : 'ON' };
}

/** The declared state of an entry's audit_scopes and full_audit; undefined when neither is declared. */
export function desiredScopes(values: readonly KindValues[], prune: boolean): DesiredKind | undefined {
  const declares = (key: string): boolean => values.some((v) => v.values[key] !== undefined);
  if (!declares(SCOPES_KEY) && !declares(FULL_AUDIT_KEY)) return undefined;
  const objects = declaredObjects(values, SCOPES_KEY, (raw, source): DesiredObject => {
    const item = raw as YamlObject;
    return { key: String(item.name), spec: specJson(scopeSpecOf(item)), source };
  });
  // prune is about the custom scopes: an entry that only sets full_audit deletes none
  return { objects, switches: [], settings: declaredSettings(values, [FULL_AUDIT_KEY]), prune: prune && declares(SCOPES_KEY) };
}
