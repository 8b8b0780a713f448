import { MAX_LISTED_ITEMS } from '../api/list-consistency.js';
import type { Clock } from '../api/clock.js';
import { settledListing } from '../api/settle.js';
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
  /** How long a listing may lag a create (src/api/settle.ts), and the clock its waits use. */
  readonly settle: ProbeSettle;
  /** Records an observation. */
  observe(o: Observation | readonly Observation[]): void;
}

/** The settle window of the probe's listings. */
export interface ProbeSettle {
  /** Window in ms (listings spread over it until the rules expected are listed). */
  readonly windowMs: number;
  /** Clock of the waits. */
  readonly clock: Clock;
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

/** How a raw listing was paged: what the probe reports about page caps and totals. */
export interface PagingFacts {
  /** The limit each page asked for. */
  readonly limit: number;
  /** Items in each page, in order (the last one is empty, or reached the total). */
  readonly pageSizes: readonly number[];
  /** Whether the first page carried a numeric `total`. */
  readonly totalGiven: boolean;
}

/**
 * Every item of a paged list answer under `key` (offset/limit). A short page is not the end
 * (a gateway may cap pages below the limit): the listing ends at an empty page or at `total`,
 * and is refused past MAX_LISTED_ITEMS, as the client's own paging does.
 */
export async function rawPaged(
  raw: RawApi,
  pathTemplate: string,
  params: Record<string, string>,
  projectId: string,
  keyOf: (body: Record<string, unknown>) => string | undefined,
): Promise<{ items: unknown[]; first: Record<string, unknown>; paging: PagingFacts }> {
  const items: unknown[] = [];
  const pageSizes: number[] = [];
  let first: Record<string, unknown> | undefined;
  for (;;) {
    const body = await raw.get(pathTemplate, params, projectId, [['offset', String(items.length)], ['limit', String(PAGE)]]);
    first ??= body;
    const key = keyOf(body);
    const got = key !== undefined && Array.isArray(body[key]) ? (body[key] as unknown[]) : [];
    items.push(...got);
    pageSizes.push(got.length);
    if (items.length > MAX_LISTED_ITEMS) throw new Error(`${pathTemplate}: more than ${MAX_LISTED_ITEMS} items listed (the most one listing may hold)`);
    const total = typeof body.total === 'number' ? body.total : undefined;
    if (got.length === 0 || (total !== undefined && items.length >= total)) break;
  }
  return { items, first: first ?? {}, paging: { limit: PAGE, pageSizes, totalGiven: typeof first?.total === 'number' } };
}

/** The instance's rules as listed now, with how the listing was paged. */
export async function listRulesPaged(ctx: ProbeContext): Promise<{ rules: ListedRule[]; paging: PagingFacts }> {
  const { items, paging } = await rawPaged(ctx.raw, PROBE_PATHS.rules, { project_id: ctx.projectId, instance_id: ctx.instanceId }, ctx.projectId, () => 'rules');
  return { rules: listedRules(items), paging };
}

/** The instance's rules as listed now. */
export async function listRules(ctx: ProbeContext): Promise<ListedRule[]> {
  return (await listRulesPaged(ctx)).rules;
}

/**
 * The instance's rules once every name of `expected` is listed (as often as it occurs), listing
 * again over the settle window: a rule just created may show in listings only later.
 */
export function listRulesWith(ctx: ProbeContext, expected: readonly string[]): Promise<ListedRule[]> {
  const listed = (rules: readonly ListedRule[]) => expected.every((n) => rules.filter((r) => r.name === n).length >= expected.filter((e) => e === n).length);
  return settledListing(() => listRules(ctx), listed, ctx.settle.windowMs, ctx.settle.clock);
}

/** One rule's raw show answer. */
export function showRule(ctx: ProbeContext, id: string): Promise<Record<string, unknown>> {
  return ctx.raw.get(PROBE_PATHS.show, { project_id: ctx.projectId, instance_id: ctx.instanceId, id }, ctx.projectId);
}
