import { pluralOf } from '../kinds/kind.js';
import { randomBytes } from 'node:crypto';
import { systemClock } from '../api/clock.js';
import { DEFAULT_SETTLE_MS } from '../api/settle.js';
import type { DbssClient } from '../api/types.js';
import type { ApiProfile } from '../emulator/api-profile.js';
import { matchProfile } from './match-profile.js';
import type { ListedInstance } from './observe-answers.js';
import { existingShowObservations, instanceListObservation, instanceListPage, taskSwitchObservation, unknownIdObservation } from './observe-answers.js';
import { listFieldObservations, numberingObservations, systemNameObservations } from './observe-list.js';
import type { ProbeContext, ProbeSettle } from './probe-context.js';
import { checkInterrupt, listRulesPaged, PROBE_PATHS, ProbeInterrupted, rawPaged, showRule } from './probe-context.js';
import { pagingObservations } from './observe-paging.js';
import { probeWrites } from './probe-writes.js';
import type { RawApi } from './raw-api.js';
import type { Kind, KindTarget } from '../kinds/kind.js';
import { KINDS } from '../kinds/registry.js';
import type { Observation, ProbeCleanup, ProbeReport } from './types.js';

/** What to probe. */
export interface ProbeOptions {
  /** Region (for the report). */
  readonly region: string;
  /** Project id. */
  readonly projectId: string;
  /** Instance name or id, as in the project's instance list. */
  readonly instance: string;
  /** Create, rank and delete two temporary rules (explicit opt-in). */
  readonly write: boolean;
  /** Aborted on SIGINT/SIGTERM. */
  readonly signal?: AbortSignal;
  /** At most this many existing rules are shown in read-only checks (default 20). */
  readonly maxShows?: number;
  /** Name prefix of the temporary rules (default `dbss-policy-probe-<8 random hex>`). */
  readonly prefix?: string;
  /** How long a listing may lag a create (default 5 s on the system clock; tests inject a fake clock). */
  readonly settle?: ProbeSettle;
}

/** A rule id that no instance has (20 characters, like DBSS ids): its show is a harmless read. */
const NEVER_AN_ID = 'dbssPolicyProbeNoId0';

const describe = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/**
 * `dbss-policy probe`: first contact with a region. Reads the instance list, the instance's
 * rules, some shows and the summary tasks, and reports how each open point of the API is
 * answered; with `write`, also the checks only writes can make (probe-writes.ts).
 */
export async function runProbe(client: DbssClient, raw: RawApi, options: ProbeOptions): Promise<ProbeReport> {
  const observations: Observation[] = [];
  const errors: string[] = [];
  const observe = (o: Observation | readonly Observation[]) => void observations.push(...(Array.isArray(o) ? o : [o as Observation]));
  let instance: ListedInstance | undefined;
  let cleanup: ProbeCleanup | undefined;
  let interrupted = false;
  const { projectId } = options;
  try {
    instance = await findInstance(raw, options, observe);
    const settle = options.settle ?? { windowMs: DEFAULT_SETTLE_MS, clock: systemClock };
    const ctx: ProbeContext = { client, raw, projectId, instanceId: instance.id, signal: options.signal, observe, settle };
    for (const busiType of ['risk', 'audit']) {
      checkInterrupt(ctx);
      // A task read that fails (e.g. no permission) is one point unobserved, not the end of the probe.
      const answer = await raw.attempt('GET', PROBE_PATHS.task, { project_id: projectId, busi_type: busiType }, projectId);
      if (answer.ok) observe(taskSwitchObservation(busiType, answer.body ?? {}));
      else observe({ point: `task_switch (${busiType})`, observed: `not read: ${answer.error.message}` });
    }
    if (instance.status !== 'ACTIVE') throw new Error(`instance is ${instance.status}: rules can only be read on an ACTIVE instance`);
    checkInterrupt(ctx);
    const { rules, paging } = await listRulesPaged(ctx);
    observe([...pagingObservations(paging), ...listFieldObservations(rules), ...systemNameObservations(rules), ...numberingObservations(rules)]);
    const shown = [...rules.filter((r) => !r.system).slice(0, options.maxShows ?? 20), ...rules.filter((r) => r.system).slice(0, 1)];
    const bodies: Record<string, unknown>[] = [];
    for (const rule of shown) {
      checkInterrupt(ctx);
      bodies.push(await showRule(ctx, rule.id));
    }
    observe(existingShowObservations(bodies));
    checkInterrupt(ctx);
    const path = { project_id: projectId, instance_id: instance.id, id: NEVER_AN_ID };
    observe(unknownIdObservation('show of an id that never existed', await raw.attempt('GET', PROBE_PATHS.show, path, projectId)));
    for (const kind of KINDS) {
      checkInterrupt(ctx);
      observe(await kindObservations(kind, client, { projectId, instanceId: instance.id }));
    }
    if (options.write) {
      const prefix = options.prefix ?? `dbss-policy-probe-${randomBytes(4).toString('hex')}`;
      const known = new Set(observations.map((o) => o.option).filter((k): k is keyof ApiProfile => k !== undefined));
      const outcome = await probeWrites(ctx, prefix, known);
      cleanup = outcome.cleanup;
      errors.push(...outcome.cleanupErrors.map((e) => `cleanup: ${e}`));
      if (outcome.failure instanceof ProbeInterrupted) interrupted = true;
      else if (outcome.failure !== undefined) errors.push(`write checks stopped: ${describe(outcome.failure)}`);
    }
  } catch (err) {
    if (err instanceof ProbeInterrupted) interrupted = true;
    else errors.push(describe(err));
  }
  return {
    formatVersion: 1,
    mode: options.write ? 'write' : 'read-only',
    region: options.region,
    projectId,
    ...(instance ? { instance } : {}),
    observations,
    emulatorProfile: matchProfile(observations),
    ...(cleanup ? { cleanup } : {}),
    interrupted: interrupted || options.signal?.aborted === true,
    errors,
  };
}

async function findInstance(raw: RawApi, options: ProbeOptions, observe: (o: Observation) => void): Promise<ListedInstance> {
  let shape: 'servers' | 'instances' | undefined;
  const { items, first } = await rawPaged(raw, PROBE_PATHS.instances, { project_id: options.projectId }, options.projectId, (body) => {
    shape ??= instanceListPage(body).shape;
    return shape;
  });
  if (!shape) throw new Error(`the instance list has neither "servers" nor "instances" (keys: ${Object.keys(first).slice(0, 10).join(', ') || 'none'})`);
  observe(instanceListObservation(shape, items[0] as Record<string, unknown> | undefined));
  const listed = instanceListPage({ [shape]: items }).items;
  const matches = listed.filter((i) => i.id === options.instance || i.name === options.instance);
  if (matches.length > 1) throw new Error(`${matches.length} instances are named "${options.instance}": give the id instead`);
  const found = matches[0];
  if (!found) throw new Error(`no instance "${options.instance}" in project ${options.projectId}; it has: ${listed.map((i) => i.name || i.id).slice(0, 20).join(', ') || 'none'}`);
  return found;
}

/** What reading one other kind shows of its open points: its observations, and the emulator options it settled. */
async function kindObservations(kind: Kind, client: DbssClient, target: KindTarget): Promise<Observation[]> {
  try {
    const live = await kind.read(client.kinds, target);
    const custom = live.objects.filter((o) => !o.builtIn).length;
    const seen: Observation = { point: `${pluralOf(kind)}`, observed: `${live.objects.length} listed (${custom} custom, ${live.objects.length - custom} built in)` };
    const learned = Object.entries(live.learned ?? {}).map(([name, value]): Observation => ({ point: `${pluralOf(kind)}: ${name}`, observed: value, kindOption: { name, value } }));
    return [seen, ...live.observations.map((o): Observation => ({ point: `${pluralOf(kind)}`, observed: o })), ...learned];
  } catch (err) {
    return [{ point: `${pluralOf(kind)}`, observed: `not read: ${describe(err)}` }];
  }
}
