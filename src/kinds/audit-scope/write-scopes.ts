import { DbssApiError, isUnknownIdError } from '../../api/errors.js';
import { idProblem, unusableIdMessage } from '../../api/usable-id.js';
import type { Switch } from '../../domain.js';
import type { Json, KindApi, KindCall, KindChangeDraft, KindTarget, LiveKind, LiveObject } from '../kind.js';
import { readScopes } from './read-scopes.js';
import type { ScopeSpec } from './scope-spec.js';
import { databasesOf, LABEL, listOf } from './scope-spec.js';
import type { AllSpelling } from './wire.js';
import { ALL_SPELLED_FIELD, scopeBody, SCOPES_PATH, SDK_ALL_SPELLING } from './wire.js';

/**
 * The write calls of audit scopes (dbss-api-more.md §1.2-1.6), each confirmed afterwards by the
 * engine's read-back:
 * - create: POST the full RuleScopeRequest (it has no status); the answer has no id, so the new
 *   scope is found by listing (by name, over the settle window); when it was created with
 *   another status than declared (ON or OFF: unsettled), it is switched;
 * - update: POST /v3/…/{id}, a full replacement (every field sent);
 * - delete: DELETE /v1/…/{id};
 * - switch: POST /v2/…/switch {ids, status}, custom scopes in batches, full audit on its own.
 * Whether an ENABLED scope may be edited or deleted is unsettled (the console says disable it
 * first): only when the API refuses the edit or delete of a scope the list shows ON is it
 * switched OFF, written, and switched back ON (or left OFF when so declared); a second refusal
 * switches it back before the error is raised.
 */

const SCOPE_V1 = '/v1/{project_id}/audit/{instance_id}/rule/scopes/{id}';
const SCOPE_V3 = '/v3/{project_id}/audit/{instance_id}/rule/scopes/{id}';
const SWITCH_V2 = '/v2/{project_id}/audit/{instance_id}/rule/scopes/switch';

/** The spec and wire spelling a create or update change carries. */
function specOf(payload: Json): { spec: ScopeSpec; all: AllSpelling } {
  const p = payload as { readonly [f: string]: Json };
  const spelled = p[ALL_SPELLED_FIELD] as { readonly [f: string]: Json } | undefined;
  const all: AllSpelling = {
    db_ids: typeof spelled?.db_ids === 'string' ? spelled.db_ids : SDK_ALL_SPELLING.db_ids,
    db_names: typeof spelled?.db_names === 'string' ? spelled.db_names : SDK_ALL_SPELLING.db_names,
  };
  const spec: ScopeSpec = {
    databases: databasesOf(p.databases),
    actions: listOf(p.actions),
    db_users: listOf(p.db_users),
    source_ips: listOf(p.source_ips),
    source_ports: listOf(p.source_ports),
    exception_ips: listOf(p.exception_ips),
    status: p.status === 'OFF' ? 'OFF' : 'ON',
  };
  return { spec, all };
}

/** A refusal by the API (a 400 other than "unknown id", or a FAILED answer), not a lost answer. */
const refused = (err: unknown): boolean =>
  err instanceof DbssApiError && (err.kind === 'business' || (err.kind === 'http' && err.status === 400 && !isUnknownIdError(err)));

const customsNamed = (live: LiveKind, name: string): LiveObject[] => live.objects.filter((o) => !o.builtIn && o.key === name);

async function switchScopes(api: KindApi, target: KindTarget, ids: readonly string[], status: Switch): Promise<void> {
  for (const id of ids) {
    const problem = idProblem(id);
    if (problem !== undefined) throw new Error(`SetAuditScopeRuleSwitch: ${unusableIdMessage(LABEL, id, problem)}; not sent`);
  }
  await api.write(target, { operation: 'SetAuditScopeRuleSwitch', method: 'POST', path: SWITCH_V2, body: { ids: [...ids], status } });
}

/** Sends `call` on scope `id`; when refused while the scope is ON, switches it OFF, resends, and switches it back ON unless `after` is OFF. */
async function writeOnDisabled(api: KindApi, target: KindTarget, id: string, call: KindCall, after: Switch): Promise<void> {
  try {
    await api.write(target, call);
    return;
  } catch (err) {
    if (!refused(err)) throw err;
    const live = await readScopes(api, target);
    if (live.objects.find((o) => o.id === id)?.spec.status !== 'ON') throw err;
  }
  await switchScopes(api, target, [id], 'OFF');
  try {
    await api.write(target, call);
  } catch (err) {
    await switchScopes(api, target, [id], 'ON');
    throw err;
  }
  if (after === 'ON') await switchScopes(api, target, [id], 'ON');
}

async function createScope(api: KindApi, target: KindTarget, change: KindChangeDraft): Promise<void> {
  const name = change.subject;
  const { spec, all } = specOf(change.payload);
  const listed = (): Promise<LiveKind> => api.settle(() => readScopes(api, target), (live) => customsNamed(live, name).length > 0);
  const call: KindCall = { operation: 'CreateAuditScopeRule', method: 'POST', path: SCOPES_PATH, body: scopeBody(name, spec, all) };
  await api.write(target, call, async () => customsNamed(await listed(), name).length > 0);
  const made = customsNamed(await listed(), name);
  // not listed, or listed twice: the engine's read-back says so
  if (made.length !== 1) return;
  const created = made[0]!;
  if (created.spec.status !== spec.status) await switchScopes(api, target, [created.id], spec.status as Switch);
}

/** Sends one planned audit-scope change. */
export async function writeScopes(api: KindApi, target: KindTarget, change: KindChangeDraft): Promise<void> {
  const id = change.ids?.[0] ?? '';
  switch (change.op) {
    case 'create':
      return createScope(api, target, change);
    case 'update': {
      const { spec, all } = specOf(change.payload);
      const call: KindCall = { operation: 'UpdateAuditScopeRule', method: 'POST', path: SCOPE_V3, params: { id }, body: scopeBody(change.subject, spec, all) };
      return writeOnDisabled(api, target, id, call, spec.status as Switch);
    }
    case 'delete':
      return writeOnDisabled(api, target, id, { operation: 'DeleteAuditScope', method: 'DELETE', path: SCOPE_V1, params: { id } }, 'OFF');
    case 'switch':
      return switchScopes(api, target, change.ids ?? [], (change.payload as { readonly status: Switch }).status);
    case 'set':
    case 'order':
      throw new Error(`${LABEL}: no ${change.op} call exists`);
  }
}
