import type { DbssClient } from '../api/types.js';
import type { ListedRule } from './observe-list.js';
import { listedRules } from './observe-list.js';
import type { RawApi } from './raw-api.js';
import type { Observation } from './types.js';

/**
 * What the probe's steps share: the client (for writes, exactly as the reconciler makes them),
 * the raw reader (to see answers before interpretation), where it probes, and the interrupt.
 * The probe knows these few paths itself on purpose: it checks the client, so it does not read
 * through the client's wire mapping.
 */
export interface ProbeContext {
  /** The DBSS client: creates, rank calls and deletes go through it. */
  readonly client: DbssClient;
  /** Raw reads. */
  readonly raw: RawApi;
  /** Project id. */
  readonly projectId: string;
  /** Instance id. */
  readonly instanceId: string;
  /** Aborted on SIGINT/SIGTERM: no new step starts, cleanup still runs. */
  readonly signal: AbortSignal | undefined;
  /** Records an observation. */
  observe(o: Observation | readonly Observation[]): void;
}

/** Paths of the reads the probe makes (dbss-api.md §2-§4). */
export const PROBE_PATHS = {
  instances: '/v1/{project_id}/audit/instances',
  rules: '/v1/{project_id}/audit/{instance_id}/rule/risk',
  show: '/v2/{project_id}/audit/{instance_id}/rule/risk/{id}',
  delete: '/v1/{project_id}/audit/{instance_id}/rule/risk/{id}',
  task: '/v3/{project_id}/audit/summary/{busi_type}/task-status',
} as const;

/** Thrown between steps once the probe was interrupted. */
export class ProbeInterrupted extends Error {
  constructor() {
    super('interrupted');
    this.name = 'ProbeInterrupted';
  }
}

/** Throws ProbeInterrupted when the signal has fired. */
export function checkInterrupt(ctx: Pick<ProbeContext, 'signal'>): void {
  if (ctx.signal?.aborted) throw new ProbeInterrupted();
}

const PAGE = 1000;
const MAX_PAGES = 100;

/** Every item of a paged list answer under `key` (offset/limit, until `total` or an empty page). */
export async function rawPaged(
  raw: RawApi,
  pathTemplate: string,
  params: Record<string, string>,
  projectId: string,
  keyOf: (body: Record<string, unknown>) => string | undefined,
): Promise<{ items: unknown[]; first: Record<string, unknown> }> {
  const items: unknown[] = [];
  let first: Record<string, unknown> | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const body = await raw.get(pathTemplate, params, projectId, [['offset', String(items.length)], ['limit', String(PAGE)]]);
    first ??= body;
    const key = keyOf(body);
    const got = key !== undefined && Array.isArray(body[key]) ? (body[key] as unknown[]) : [];
    items.push(...got);
    const total = typeof body.total === 'number' ? body.total : undefined;
    if (got.length === 0 || (total !== undefined && items.length >= total) || (total === undefined && got.length < PAGE)) break;
  }
  return { items, first: first ?? {} };
}

/** The instance's rules as listed now. */
export async function listRules(ctx: ProbeContext): Promise<ListedRule[]> {
  const { items } = await rawPaged(ctx.raw, PROBE_PATHS.rules, { project_id: ctx.projectId, instance_id: ctx.instanceId }, ctx.projectId, () => 'rules');
  return listedRules(items);
}

/** One rule's raw show answer. */
export function showRule(ctx: ProbeContext, id: string): Promise<Record<string, unknown>> {
  return ctx.raw.get(PROBE_PATHS.show, { project_id: ctx.projectId, instance_id: ctx.instanceId, id }, ctx.projectId);
}
