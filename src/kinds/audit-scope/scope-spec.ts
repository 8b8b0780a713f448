import type { Switch } from '../../domain.js';
import type { Json } from '../kind.js';

/**
 * The domain form of an audit scope (dbss-api-more.md §1), shared by the policy side, the
 * planner and export: the API's comma-joined strings are lists, "all databases" is the value
 * `ALL`, and every list is normalised (trimmed, duplicates dropped, sorted) so that equal scopes
 * compare equal whatever order the API or the YAML lists them in.
 */

/** The kind's machine name. */
export const KIND_NAME = 'audit-scope';

/** What people call one object. */
export const LABEL = 'audit scope';

/** The policy key of the custom scopes. */
export const SCOPES_KEY = 'audit_scopes';

/** The policy key (and setting name) of the built-in full-audit scope's switch. */
export const FULL_AUDIT_KEY = 'full_audit';

/** "Every database" in the domain form. */
export const ALL_DATABASES = 'ALL';

/** The databases a scope audits: every one, or the listed ids and names. */
export type ScopeDatabases = typeof ALL_DATABASES | { readonly ids: readonly string[]; readonly names: readonly string[] };

/** The list fields of a scope, in display order (empty = any). */
export const LIST_FIELDS = ['actions', 'db_users', 'source_ips', 'source_ports', 'exception_ips'] as const;

/** One list field. */
export type ScopeListField = (typeof LIST_FIELDS)[number];

/** The compared fields of a scope, in display order (status is switched, not compared). */
export const SCOPE_FIELDS = ['databases', ...LIST_FIELDS] as const;

/** A custom audit scope in the domain form. */
export interface ScopeSpec {
  /** Databases audited. */
  readonly databases: ScopeDatabases;
  /** Operation tokens audited (wire `action`); empty = every operation. */
  readonly actions: readonly string[];
  /** Database accounts audited (wire `db_users`); empty = every account. */
  readonly db_users: readonly string[];
  /** Client addresses audited (wire `source_ips`); empty = every address. */
  readonly source_ips: readonly string[];
  /** Client ports audited (wire `source_ports`, as text); empty = every port. */
  readonly source_ports: readonly string[];
  /** Client addresses never audited (wire `exception_ips`). */
  readonly exception_ips: readonly string[];
  /** ON or OFF; another word when the API answered one this kind does not know. */
  readonly status: Switch | string;
}

/** A list as the domain keeps it: each item as text, trimmed, empty items and duplicates dropped, sorted. */
export function normalList(items: readonly unknown[]): string[] {
  const texts = items.map((i) => String(i).trim()).filter((s) => s !== '');
  return [...new Set(texts)].sort();
}

/** A scope spec as the plain JSON a change carries. */
export function specJson(spec: ScopeSpec): { readonly [field: string]: Json } {
  return {
    databases: spec.databases === ALL_DATABASES ? ALL_DATABASES : { ids: [...spec.databases.ids], names: [...spec.databases.names] },
    actions: [...spec.actions],
    db_users: [...spec.db_users],
    source_ips: [...spec.source_ips],
    source_ports: [...spec.source_ports],
    exception_ips: [...spec.exception_ips],
    status: spec.status,
  };
}

/** The databases value of a change's JSON (anything unreadable reads as ALL, the API's default). */
export function databasesOf(value: Json | undefined): ScopeDatabases {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return ALL_DATABASES;
  const o = value as { readonly [k: string]: Json };
  const list = (v: Json | undefined): string[] => (Array.isArray(v) ? (v as readonly Json[]).map(String) : []);
  return { ids: list(o.ids), names: list(o.names) };
}

/** A list field of a change's JSON. */
export function listOf(value: Json | undefined): string[] {
  return Array.isArray(value) ? (value as readonly Json[]).map(String) : [];
}
