import { createHash } from 'node:crypto';
import { UsageError } from '../errors.js';
import type { DesiredState } from '../policy/types.js';
import { instanceKey } from '../domain.js';

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
