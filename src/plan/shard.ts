import { createHash } from 'node:crypto';
import { UsageError } from '../errors.js';
import type { DesiredState } from '../policy/types.js';
import { instanceKey } from '../domain.js';

/**
 * Parts of the estate a CI job plans: `--shard I/N` (disjoint parts by a hash of the instance
 * key) and `--credential NAME` (the projects one credential signs, so each job has its own
 * request budget at the gateway).
 */

/** One of N disjoint parts of the estate (`--shard I/N`, 1-based). */
export interface Shard {
  /** This part, 1..count. */
  readonly index: number;
  /** Number of parts. */
  readonly count: number;
}

/** Parses `I/N` (1 ≤ I ≤ N). */
export function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (!m || index < 1 || index > count) {
    throw new UsageError(`--shard must be I/N with 1 <= I <= N (e.g. 2/4), got "${text}"`);
  }
  return { index, count };
}

/**
 * The shard a key belongs to: a stable hash of the key, so an instance stays in its shard when
 * others are added or removed, and every key is in exactly one shard.
 */
export function shardOf(key: string, count: number): number {
  const h = createHash('sha256').update(key).digest();
  return (h.readUInt32BE(0) % count) + 1;
}

/**
 * Keeps the instances (by instance key) and summary tasks (by `region/project`) of one shard.
 * Apply it after selectors are resolved (see ReadLiveOptions.scope): an instance a selector
 * matched has an instance key like any other, and the shard follows that key.
 */
export function selectShard(desired: DesiredState, shard: Shard | undefined): DesiredState {
  if (!shard || shard.count === 1) return desired;
  const mine = (key: string): boolean => shardOf(key, shard.count) === shard.index;
  return {
    ...desired,
    instances: desired.instances.filter((d) => mine(instanceKey(d))),
    summaryTasks: desired.summaryTasks.filter((t) => mine(`${t.region}/${t.projectId}`)),
  };
}

/** `--credential NAME`: the credentials whose projects a run plans, and which credential signs a project. */
export interface CredentialScope {
  /** The names given (a CI matrix job's credential). */
  readonly only: readonly string[];
  /** The credential that signs a project (the config file's map). */
  nameOf(region: string, projectId: string): string;
}

/**
 * Keeps the instances, selectors and summary tasks of the projects `scope`'s credentials sign.
 * Whole projects go or stay, so it applies before selectors are resolved: a job never lists a
 * project whose keys it was not given.
 */
export function selectCredentials(desired: DesiredState, scope: CredentialScope | undefined): DesiredState {
  if (!scope) return desired;
  const mine = (x: { readonly region: string; readonly projectId: string }): boolean => scope.only.includes(scope.nameOf(x.region, x.projectId));
  return {
    ...desired,
    instances: desired.instances.filter(mine),
    summaryTasks: desired.summaryTasks.filter(mine),
    ...(desired.selectors ? { selectors: desired.selectors.filter(mine) } : {}),
  };
}
