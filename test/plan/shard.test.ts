import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseShard, selectCredentials, selectShard, shardOf } from '../../src/plan/shard.js';
import { credentialNameOf } from '../../src/api/credential-map.js';
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

describe('--credential NAME', () => {
  // projects 0 and 1 are "prod"; everything in cn-east-3 is "east"; the rest is the environment's ("default")
  const rules = [
    { name: 'prod', projects: ['0'.repeat(32), '1'.repeat(32)], accessKeyEnv: 'P_AK', secretKeyEnv: 'P_SK', at: 'c.yaml:2' },
    { name: 'east', regions: ['cn-east-3'], accessKeyEnv: 'E_AK', secretKeyEnv: 'E_SK', at: 'c.yaml:6' },
  ];
  const nameOf = (region: string, projectId: string): string => credentialNameOf(rules, region, projectId);
  const withSelectors = (d: DesiredState): DesiredState => ({
    ...d,
    selectors: [
      { region: 'cn-north-4', projectId: '1'.repeat(32), pattern: 'prod-*', prune: false, systemRules: [], riskRules: [], source: loc },
      { region: 'cn-north-4', projectId: '3'.repeat(32), pattern: 'bi-*', prune: false, systemRules: [], riskRules: [], source: loc },
    ] as unknown as DesiredState['selectors'],
  });

  it('splits the estate into one disjoint part per credential, whole projects at a time', () => {
    const all = withSelectors(estate(40));
    const parts = ['prod', 'east', 'default'].map((name) => selectCredentials(all, { only: [name], nameOf }));
    const keys = (d: DesiredState) => d.instances.map((i) => (i.ref.kind === 'name' ? i.ref.name : i.ref.id));
    expect(parts.flatMap(keys).sort()).toEqual(keys(all).sort());
    expect(parts.reduce((n, p) => n + p.summaryTasks.length, 0)).toBe(all.summaryTasks.length);
    for (const [i, name] of ['prod', 'east', 'default'].entries()) {
      const part = parts[i]!;
      for (const x of [...part.instances, ...part.summaryTasks, ...(part.selectors ?? [])]) expect(nameOf(x.region, x.projectId)).toBe(name);
    }
    expect(parts[0]!.selectors).toHaveLength(1);
    expect(parts[2]!.selectors).toHaveLength(1);
    expect(parts[1]!.instances.length).toBeGreaterThan(0);
    expect(parts[1]!.instances.every((d) => d.region === 'cn-east-3')).toBe(true);
  });

  it('several names keep each of their projects; no scope keeps everything', () => {
    const all = estate(40);
    const two = selectCredentials(all, { only: ['prod', 'default'], nameOf });
    expect(two.instances).toHaveLength(all.instances.length - selectCredentials(all, { only: ['east'], nameOf }).instances.length);
    expect(selectCredentials(all, undefined)).toBe(all);
  });

  it('combines with --shard: the projects of a credential split again', () => {
    const prod = selectCredentials(estate(200), { only: ['prod'], nameOf });
    const halves = [1, 2].map((index) => selectShard(prod, { index, count: 2 }).instances.length);
    expect(halves[0]! + halves[1]!).toBe(prod.instances.length);
    expect(Math.min(...halves)).toBeGreaterThan(0);
  });
});
