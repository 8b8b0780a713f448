import type { Kind } from '../kind.js';
import { checkScopes } from './check-scopes.js';
import { desiredScopes } from './desired-scopes.js';
import { exportScopes } from './export-scopes.js';
import { planScopes, scopeShows } from './plan-scopes.js';
import { readScopes } from './read-scopes.js';
import { FULL_AUDIT_KEY, KIND_NAME, LABEL, SCOPES_KEY } from './scope-spec.js';
import { SCOPE_SCHEMA } from './schema.js';
import { writeScopes } from './write-scopes.js';

/**
 * Audit scopes (dbss-api-more.md §1): what DBSS audits at all. Custom scopes are a named
 * collection without an order (`audit_scopes`); the built-in full-audit scope is switched only,
 * by `full_audit`. Its emulator part is ./emulator.ts.
 */
export const AUDIT_SCOPE_KIND: Kind = {
  name: KIND_NAME,
  label: LABEL,
  policyKeys: [SCOPES_KEY, FULL_AUDIT_KEY],
  schema: SCOPE_SCHEMA,
  desired: desiredScopes,
  check: checkScopes,
  read: readScopes,
  plan: planScopes,
  write: writeScopes,
  shows: scopeShows,
  export: exportScopes,
};
