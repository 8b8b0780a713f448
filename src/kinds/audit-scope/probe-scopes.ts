import { DbssApiError, isUnknownIdError } from '../../api/errors.js';
import type { KindApi, KindCall, KindTarget, LiveObject } from '../kind.js';
import { listScopes } from './read-scopes.js';
import type { AllSpelling } from './wire.js';
import { SCOPES_PATH, SDK_ALL_SPELLING } from './wire.js';

/**
 * What only writes can tell of audit scopes (`probe --write`), learned on one temporary scope
 * that audits nothing real (one reserved client address, a database user no one has) and is
 * deleted afterwards: whether "all databases" in the SDK comment's spelling is accepted
 * (scopeAllDatabasesWrite), the status a created scope starts with (scopeCreatedStatus), and
 * whether an enabled scope may be edited (scopeEditEnabled). The temporary scope is ON only
 * for the one edit that needs it.
 */

/** The temporary scope's name; one left over by an interrupted probe is deleted first. */
export const PROBE_SCOPE_NAME = 'dbss-policy-probe-scope';

/** What a write probe learned, said, and could not clean up. */
export interface ScopeProbe {
  /** Emulator options settled (src/kinds/audit-scope/emulator.ts). */
  readonly learned: { readonly [option: string]: string };
  /** What was seen, for people. */
  readonly observations: readonly string[];
  /** Names of temporary scopes still listed afterwards. */
  readonly leftovers: readonly string[];
}

const refused = (err: unknown): boolean => err instanceof DbssApiError && (err.kind === 'business' || (err.kind === 'http' && err.status === 400 && !isUnknownIdError(err)));

const body = (all: AllSpelling, user: string) => ({
  rule_name: PROBE_SCOPE_NAME,
  db_ids: all.db_ids,
  db_names: all.db_names,
  action: 'LOGIN',
  db_users: user,
  source_ips: '10.255.255.254',
  source_ports: '',
  exception_ips: '',
});

const path = (v: string, rest = ''): string => `/${v}/{project_id}/audit/{instance_id}/rule/scopes${rest}`;

/** Probes one instance by writing; never throws for what it learns, only for calls that fail otherwise. */
export async function probeScopes(api: KindApi, target: KindTarget): Promise<ScopeProbe> {
  const learned: { [option: string]: string } = {};
  const observations: string[] = [];
  const ours = async (): Promise<LiveObject[]> => (await listScopes(api, target)).live.objects.filter((o) => !o.builtIn && o.key === PROBE_SCOPE_NAME);
  const switchTo = (id: string, status: 'ON' | 'OFF'): Promise<void> =>
    api.write(target, { operation: 'SetAuditScopeRuleSwitch', method: 'POST', path: path('v2', '/switch'), body: { ids: [id], status } });
  const remove = async (o: LiveObject): Promise<void> => {
    if (o.spec.status !== 'OFF') await switchTo(o.id, 'OFF');
    await api.write(target, { operation: 'DeleteAuditScope', method: 'DELETE', path: path('v1', '/{id}'), params: { id: o.id } });
  };
  for (const old of await ours()) await remove(old);

  const create = (all: AllSpelling): KindCall => ({ operation: 'CreateAuditScopeRule', method: 'POST', path: SCOPES_PATH, body: body(all, 'dbss_policy_probe') });
  let all = SDK_ALL_SPELLING;
  try {
    await api.write(target, create(all), async () => (await ours()).length > 0);
    learned.scopeAllDatabasesWrite = 'any';
  } catch (err) {
    const listed = (await listScopes(api, target)).spelling;
    if (!refused(err) || (listed.db_ids === all.db_ids && listed.db_names === all.db_names)) throw err;
    all = listed;
    await api.write(target, create(all), async () => (await ours()).length > 0);
    learned.scopeAllDatabasesWrite = 'listed';
    observations.push(`all databases in the SDK spelling (${SDK_ALL_SPELLING.db_ids}, ${SDK_ALL_SPELLING.db_names}) refused; the listed one (${all.db_ids}, ${all.db_names}) accepted`);
  }
  const made = (await api.settle(ours, (found) => found.length > 0))[0];
  if (made === undefined) return { learned, observations: [...observations, 'the temporary audit scope was not listed after its create'], leftovers: [] };
  const createdStatus = made.spec.status === 'ON' ? 'ON' : 'OFF';
  learned.scopeCreatedStatus = createdStatus;
  observations.push(`a created audit scope starts ${createdStatus}`);

  if (createdStatus === 'OFF') await switchTo(made.id, 'ON');
  try {
    await api.write(target, { operation: 'UpdateAuditScopeRule', method: 'POST', path: path('v3', '/{id}'), params: { id: made.id }, body: body(all, 'dbss_policy_probe_edited') });
    learned.scopeEditEnabled = 'allowed';
  } catch (err) {
    if (!refused(err)) throw err;
    learned.scopeEditEnabled = 'refused';
  }
  observations.push(`editing an enabled audit scope is ${learned.scopeEditEnabled}`);
  await switchTo(made.id, 'OFF');
  await remove({ ...made, spec: { ...made.spec, status: 'OFF' } });
  const left = await api.settle(ours, (found) => found.length === 0);
  return { learned, observations, leftovers: left.map((o) => o.key) };
}
