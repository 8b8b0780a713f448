import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseShard, selectShard, shardOf } from '../../src/plan/shard.js';
import type { DesiredState } from '../../src/policy/types.js';

const loc = { file: 'p.yaml', line: 1, col: 1 };
const estate = (n: number): DesiredState => ({
  instances: Array.from({ length: n }, (_, i) => ({
    region: i % 2 ? 'cn-north-4' : 'cn-east-3',
    projectId: `${String(i % 5).repeat(32)}`,
    ref: { kind: 'name' as const, name: `inst-${i}` },
    prune: false,
    systemRules: [],
    riskRules: [],
    source: loc,
  })),
  summaryTasks: Array.from({ length: 5 }, (_, i) => ({
    region: 'cn-north-4',
    projectId: String(i).repeat(32),
    busiType: 'risk' as const,
    enabled: true,
    source: loc,
  })),
});

describe('--shard I/N', () => {
  it('parses I/N and rejects anything else', () => {
    expect(parseShard('2/4')).toEqual({ index: 2, count: 4 });
    for (const bad of ['0/4', '5/4', '1/0', '1', 'a/b', '1/2/3', '']) {
      expect(() => parseShard(bad)).toThrow(/--shard must be I\/N/);
    }
  });

  it('puts every key in exactly one shard', () => {
    fc.assert(
      fc.property(fc.string(), fc.integer({ min: 1, max: 16 }), (key, n) => {
        const s = shardOf(key, n);
        expect(s).toBeGreaterThanOrEqual(1);
        expect(s).toBeLessThanOrEqual(n);
        expect(shardOf(key, n)).toBe(s);
      }),
    );
  });

  it('splits instances and summary tasks into disjoint shards whose union is the whole', () => {
    const all = estate(60);
    for (const n of [1, 2, 3, 7]) {
      const parts = Array.from({ length: n }, (_, i) => selectShard(all, { index: i + 1, count: n }));
      const instances = parts.flatMap((p) => p.instances);
      const tasks = parts.flatMap((p) => p.summaryTasks);
      expect(instances).toHaveLength(all.instances.length);
      expect(new Set(instances)).toEqual(new Set(all.instances));
      expect(tasks).toHaveLength(all.summaryTasks.length);
      expect(new Set(tasks)).toEqual(new Set(all.summaryTasks));
      if (n > 1) expect(parts.every((p) => p.instances.length < all.instances.length)).toBe(true);
      // Tasks follow their project's key: the five projects do not all land in one shard.
      if (n > 1) expect(parts.filter((p) => p.summaryTasks.length > 0).length).toBeGreaterThan(1);
    }
  });
});

describe('--shard I/N: edges', () => {
  it('reads several digits and ignores surrounding blanks', () => {
    expect(parseShard('10/12')).toEqual({ index: 10, count: 12 });
    expect(parseShard(' 3/3 ')).toEqual({ index: 3, count: 3 });
    expect(parseShard('1/1')).toEqual({ index: 1, count: 1 });
  });

  it('quotes the refused text', () => {
    expect(() => parseShard('x2/4')).toThrow('--shard must be I/N with 1 <= I <= N (e.g. 2/4), got "x2/4"');
    expect(() => parseShard('2/4x')).toThrow('got "2/4x"');
  });

  it('keeps everything in shard 1/1 and without a shard', () => {
    const all = estate(6);
    expect(selectShard(all, { index: 1, count: 1 })).toBe(all);
    expect(selectShard(all, undefined)).toBe(all);
  });
});
