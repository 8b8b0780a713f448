import { pluralOf } from '../kinds/kind.js';
import { rulesManageable, type AuditInstance } from '../api/types.js';
import { instanceKey } from '../domain.js';
import { KINDS } from '../kinds/registry.js';
import type { ClientPool } from '../live/client-pool.js';
import type { InstanceList } from '../live/instance-lists.js';
import { instanceLister, projectOf } from '../live/instance-lists.js';
import { liveRuleList } from '../live/rule-kinds.js';
import { expandSelectors, matchSelectors } from '../live/selectors.js';
import type { DesiredInstance, DesiredState } from '../policy/types.js';

/**
 * `dbss-policy coverage`: how much of an estate the policies manage (the driftctl question).
 * Per project: every ACTIVE instance no entry declares or matches; per managed instance, every
 * live custom object no policy owns (risk rules and each other kind); per kind, the share of
 * ACTIVE instances whose entry declares it. Lists only: no rule detail is shown, nothing written.
 */

/** The kind a share is about: risk rules, or another kind's name. */
export const RISK_RULES = 'risk-rule';

/** One instance no policy declares or matches. */
export interface UnmanagedInstance {
  readonly region: string;
  readonly projectId: string;
  readonly id: string;
  readonly name: string;
}

/** Custom objects of one kind on one managed instance that no policy declares. */
export interface UnownedObjects {
  /** Instance key (region/project/name). */
  readonly instance: string;
  /** `risk-rule` or another kind's name. */
  readonly kind: string;
  /** Their keys (names), sorted. */
  readonly keys: readonly string[];
}

/** Coverage of one project. */
export interface ProjectCoverage {
  readonly region: string;
  readonly projectId: string;
  /** ACTIVE instances listed. */
  readonly active: number;
  /** ACTIVE instances an entry declares or a selector matches. */
  readonly managed: number;
  /** Per kind (`risk-rule` and every registered kind): ACTIVE instances whose entry declares it. */
  readonly byKind: Readonly<Record<string, number>>;
  /** Why the project could not be read; absent when it was. */
  readonly error?: string;
}

/** The whole coverage report. */
export interface Coverage {
  readonly projects: readonly ProjectCoverage[];
  readonly unmanaged: readonly UnmanagedInstance[];
  readonly unowned: readonly UnownedObjects[];
  /** Reads that failed, each naming what (the rest is still reported). */
  readonly errors: readonly string[];
  /** API requests the report took. */
  readonly requests?: number;
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** Whether an entry declares risk rules (its rules are managed): rules, switches, or prune. */
const declaresRules = (d: DesiredInstance): boolean => d.riskRules.length > 0 || d.systemRules.length > 0 || d.prune;

/** Reads the coverage of the projects the policies declare, plus `extra` (`region/project`). */
export async function readCoverage(desired: DesiredState, pool: ClientPool, extra: readonly { region: string; projectId: string }[] = []): Promise<Coverage> {
  const projects = new Map<string, { region: string; projectId: string }>();
  for (const p of [...desired.instances, ...(desired.selectors ?? []), ...desired.summaryTasks, ...extra]) projects.set(projectOf(p), { region: p.region, projectId: p.projectId });
  const lister = instanceLister(pool);
  const lists = new Map<string, InstanceList>();
  await Promise.all([...projects].map(async ([key, p]) => lists.set(key, await lister(p.region, p.projectId))));
  const expanded = expandSelectors(desired, matchSelectors(desired, lists).matches);

  const unmanaged: UnmanagedInstance[] = [];
  const unowned: UnownedObjects[] = [];
  const errors: string[] = [];
  const out: ProjectCoverage[] = [];
  for (const [key, p] of [...projects].sort((a, b) => cmp(a[0], b[0]))) {
    const list = lists.get(key)!;
    const zero = Object.fromEntries([RISK_RULES, ...KINDS.map((k) => k.name)].map((k) => [k, 0]));
    if ('error' in list) {
      out.push({ ...p, active: 0, managed: 0, byKind: zero, error: list.error });
      continue;
    }
    const entries = expanded.instances.filter((d) => projectOf(d) === key);
    const entryOf = (i: AuditInstance): DesiredInstance | undefined => entries.find((d) => (d.ref.kind === 'id' ? d.ref.id === i.id : d.ref.name === i.name));
    const active = list.instances.filter((i) => rulesManageable(i.status));
    const byKind: Record<string, number> = { ...zero };
    let managed = 0;
    const reads: Promise<void>[] = [];
    for (const i of active) {
      const d = entryOf(i);
      if (!d) {
        unmanaged.push({ ...p, id: i.id, name: i.name });
        continue;
      }
      managed++;
      if (declaresRules(d)) byKind[RISK_RULES]! += 1;
      for (const k of KINDS) if (d.kinds?.[k.name] !== undefined) byKind[k.name]! += 1;
      reads.push(unownedOn(d, i, pool, unowned, errors));
    }
    await Promise.all(reads);
    out.push({ ...p, active: active.length, managed, byKind });
  }
  return {
    projects: out,
    unmanaged: unmanaged.sort((a, b) => cmp(`${a.region}/${a.projectId}/${a.name}`, `${b.region}/${b.projectId}/${b.name}`)),
    unowned: unowned.sort((a, b) => cmp(a.instance, b.instance) || cmp(a.kind, b.kind)),
    errors: errors.sort(cmp),
  };
}

/** The custom objects of a managed instance that its entry does not declare: risk rules, and every kind (one list each). */
async function unownedOn(d: DesiredInstance, inst: AuditInstance, pool: ClientPool, unowned: UnownedObjects[], errors: string[]): Promise<void> {
  const client = pool.client(d.region, d.projectId);
  const key = instanceKey(d);
  const add = (kind: string, keys: readonly string[]): void => {
    if (keys.length > 0) unowned.push({ instance: key, kind, keys: [...new Set(keys)].sort(cmp) });
  };
  const declared = new Set(d.riskRules.map((r) => r.name));
  const rules = client.listRules(d.projectId, inst.id).then(
    (listed) => add(RISK_RULES, liveRuleList(listed).filter((r) => r.ruleType === 'CUSTOMIZE' && !declared.has(r.name)).map((r) => r.name)),
    (err: unknown) => void errors.push(`${key}: listing risk rules: ${messageOf(err)}`),
  );
  const kinds = KINDS.map(async (k) => {
    try {
      const live = await k.read(client.kinds, { projectId: d.projectId, instanceId: inst.id });
      const mine = new Set(d.kinds?.[k.name]?.objects.map((o) => o.key) ?? []);
      add(k.name, live.objects.filter((o) => !o.builtIn && !mine.has(o.key)).map((o) => o.key));
    } catch (err) {
      errors.push(`${key}: reading ${pluralOf(k)}: ${messageOf(err)}`);
    }
  });
  await Promise.all([rules, ...kinds]);
}
