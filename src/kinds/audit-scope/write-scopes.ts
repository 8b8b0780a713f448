import { DbssApiError, isUnknownIdError } from '../../api/errors.js';
import { idProblem, unusableIdMessage } from '../../api/usable-id.js';
import type { Switch } from '../../domain.js';
import type { Json, KindApi, KindCall, KindChangeDraft, KindTarget, LiveKind, LiveObject } from '../kind.js';
import { listScopes, readScopes } from './read-scopes.js';
import type { ScopeSpec } from './scope-spec.js';
import { ALL_DATABASES, databasesOf, LABEL, listOf } from './scope-spec.js';
import type { AllSpelling } from './wire.js';
import { scopeBody, SCOPES_PATH, SDK_ALL_SPELLING } from './wire.js';

/**
 * The write calls of audit scopes (dbss-api-more.md §1.2-1.6), each confirmed afterwards by the
 * engine's read-back:
 * - create: POST the full RuleScopeRequest (it has no status); the answer has no id, so the new
 *   scope is found by listing (by name, over the settle window); when it was created with
 *   another status than declared (ON or OFF: unsettled), it is switched;
 * - update: POST /v3/…/{id}, a full replacement (every field sent);
 * - delete: DELETE /v1/…/{id};
 * - switch: POST /v2/…/switch {ids, status}, custom scopes in batches, full audit on its own.
 * Two open points are learned from a refusal (a 400 or FAILED, never a lost answer), by one
 * listing, and only when the API refuses:
 * - "all databases" is written as the SDK comment spells it ([ALL], [全部数据库]); when a write
 *   of it is refused and the list spells it otherwise, the write is resent in the list's
 *   spelling, which the rest of the run then uses;
 * - whether an ENABLED scope may be edited or deleted (the console says disable it first): when
 *   the edit or delete of a scope the list shows ON is refused, the scope is switched OFF, the
 *   write resent, and the scope switched back ON (or left OFF when so declared); a second
 *   refusal switches it back before the error is raised.
 */

const SCOPE_V1 = '/v1/{project_id}/audit/{instance_id}/rule/scopes/{id}';
const SCOPE_V3 = '/v3/{project_id}/audit/{instance_id}/rule/scopes/{id}';
const SWITCH_V2 = '/v2/{project_id}/audit/{instance_id}/rule/scopes/switch';

/** The spelling of "all databases" a run learned from a refusal, per client (one endpoint). */
const learned = new WeakMap<KindApi, AllSpelling>();

/** The spec a create or update change carries. */
function specOf(payload: Json): ScopeSpec {
  const p = payload as { readonly [f: string]: Json };
  return {
    databases: databasesOf(p.databases),
    actions: listOf(p.actions),
    db_users: listOf(p.db_users),
    source_ips: listOf(p.source_ips),
    source_ports: listOf(p.source_ports),
    exception_ips: listOf(p.exception_ips),
    status: p.status === 'OFF' ? 'OFF' : 'ON',
  };
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

/** What a write is about: its call in a spelling of "all databases", and the scope it addresses. */
interface ScopeWrite {
  /** The call, given the spelling to write "all databases" in. */
  readonly call: (all: AllSpelling) => KindCall;
  /** The spec sent (create, update); absent for a delete. */
  readonly spec?: ScopeSpec;
  /** The scope addressed (update, delete); absent for a create. */
  readonly id?: string;
  /** The status wanted afterwards when the scope had to be switched OFF for the write. */
  readonly after: Switch;
  /** For a create: whether a write whose answer was lost took effect. */
  readonly wasApplied?: () => Promise<boolean>;
}

const sameSpelling = (a: AllSpelling, b: AllSpelling): boolean => a.db_ids === b.db_ids && a.db_names === b.db_names;

/** Sends a write; on a refusal, learns by one listing whether another spelling or a disabled scope is what the API wants (see above). */
async function sendScopeWrite(api: KindApi, target: KindTarget, w: ScopeWrite): Promise<void> {
  let all = learned.get(api) ?? SDK_ALL_SPELLING;
  const send = (): Promise<void> => api.write(target, w.call(all), w.wasApplied);
  try {
    return await send();
  } catch (err) {
    if (!refused(err)) throw err;
    const { live, spelling } = await listScopes(api, target);
    const enabled = w.id !== undefined && live.objects.find((o) => o.id === w.id)?.spec.status === 'ON';
    const respell = w.spec?.databases === ALL_DATABASES && !sameSpelling(spelling, all);
    if (!respell && !enabled) throw err;
    if (respell) {
      learned.set(api, spelling);
      all = spelling;
      try {
        return await send();
      } catch (again) {
        if (!refused(again) || !enabled) throw again;
      }
    }
  }
  await switchScopes(api, target, [w.id!], 'OFF');
  try {
    await send();
  } catch (err) {
    await switchScopes(api, target, [w.id!], 'ON');
    throw err;
  }
  if (w.after === 'ON') await switchScopes(api, target, [w.id!], 'ON');
}

async function createScope(api: KindApi, target: KindTarget, change: KindChangeDraft): Promise<void> {
  const name = change.subject;
  const spec = specOf(change.payload);
  const listed = (): Promise<LiveKind> => api.settle(() => readScopes(api, target), (live) => customsNamed(live, name).length > 0);
  await sendScopeWrite(api, target, {
    call: (all) => ({ operation: 'CreateAuditScopeRule', method: 'POST', path: SCOPES_PATH, body: scopeBody(name, spec, all) }),
    spec,
    after: spec.status as Switch,
    wasApplied: async () => customsNamed(await listed(), name).length > 0,
  });
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
      const spec = specOf(change.payload);
      const call = (all: AllSpelling): KindCall => ({ operation: 'UpdateAuditScopeRule', method: 'POST', path: SCOPE_V3, params: { id }, body: scopeBody(change.subject, spec, all) });
      return sendScopeWrite(api, target, { call, spec, id, after: spec.status as Switch });
    }
    case 'delete':
      return sendScopeWrite(api, target, { call: () => ({ operation: 'DeleteAuditScope', method: 'DELETE', path: SCOPE_V1, params: { id } }), id, after: 'OFF' });
    case 'switch':
      return switchScopes(api, target, change.ids ?? [], (change.payload as { readonly status: Switch }).status);
    case 'set':
    case 'order':
      throw new Error(`${LABEL}: no ${change.op} call exists`);
  }
}
