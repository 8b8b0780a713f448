import { describe, expect, it } from 'vitest';
import type { AuditInstance } from '../../src/api/types.js';
import type { InstanceList } from '../../src/live/instance-lists.js';
import { expandSelectors, matchSelectors } from '../../src/live/selectors.js';
import type { DesiredSelector, DesiredState } from '../../src/policy/types.js';
import { instanceKey } from '../../src/domain.js';
import { at, instance, P1, REGION, rule } from '../plan/builders.js';

const PROJECT = `${REGION}/${P1}`;

const selector = (pattern: string, over: Partial<DesiredSelector> = {}): DesiredSelector => ({
  region: REGION,
  projectId: P1,
  pattern,
  prune: true,
  systemRules: [{ name: 'Slow_SQL_detection', status: 'ON', source: at(3) }],
  riskRules: [rule('baseline-rule')],
  source: at(20),
  ...over,
});

const listed = (...entries: [string, string, string?][]): InstanceList => ({
  instances: entries.map(([name, id, status]): AuditInstance => ({ name, id, status: status ?? 'ACTIVE' })),
});

const state = (selectors: DesiredSelector[], instances = [instance('prod-audit')]): DesiredState => ({ instances, summaryTasks: [], selectors });

describe('matchSelectors', () => {
  const lists = new Map([[PROJECT, listed(['prod-b', 'id-b'], ['prod-a', 'id-a'], ['prod-audit', 'id-pa'], ['prod-old', 'id-o', 'SHUTOFF'], ['staging', 'id-s'])]]);

  it('takes the ACTIVE instances whose name matches, in name order, leaving explicit entries and inactive ones out', () => {
    const { matches, conflicts } = matchSelectors(state([selector('prod-*')]), lists);
    expect(conflicts).toEqual([]);
    expect(matches).toEqual([
      {
        key: `${PROJECT}/match:prod-*`,
        region: REGION,
        projectId: P1,
        matched: [
          { name: 'prod-a', id: 'id-a' },
          { name: 'prod-b', id: 'id-b' },
        ],
        skipped: [
          { name: 'prod-audit', id: 'id-pa', reason: `declared at ${at(1).file}:1:5` },
          { name: 'prod-old', id: 'id-o', reason: 'SHUTOFF, not ACTIVE' },
        ],
      },
    ]);
  });

  it('lets an entry by id win over a selector too', () => {
    const { matches } = matchSelectors(state([selector('prod-?')], [instance('x', { id: 'id-b' })]), lists);
    expect(matches[0]?.matched.map((m) => m.name)).toEqual(['prod-a']);
    expect(matches[0]?.skipped.map((m) => m.name)).toEqual(['prod-b']);
  });

  it('reports an instance matched by two selectors once, naming both', () => {
    const first = selector('prod-*', { source: at(20) });
    const second = selector('*-b', { source: { file: 'other.yaml', line: 4, col: 5 } });
    const { matches, conflicts } = matchSelectors(state([first, second]), lists);
    expect(matches.map((m) => m.matched.map((i) => i.name))).toEqual([['prod-a', 'prod-b'], ['prod-b']]);
    expect(conflicts).toEqual([
      {
        key: `${PROJECT}/prod-b`,
        message: `matched by two selectors, "prod-*" (${at(20).file}:20:5) and "*-b" (other.yaml:4:5); make them disjoint, or declare the instance by name (that entry wins)`,
      },
    ]);
  });

  it('says why a selector could not be resolved, and matches nothing in another project', () => {
    const failing = new Map([[PROJECT, { error: 'GET /v1/…/dbss/audit/instances: 403 forbidden' }]]);
    expect(matchSelectors(state([selector('prod-*')]), failing).matches[0]).toMatchObject({ matched: [], error: 'GET /v1/…/dbss/audit/instances: 403 forbidden' });
    const elsewhere = selector('prod-*', { projectId: 'f'.repeat(32) });
    expect(matchSelectors(state([elsewhere]), lists).matches[0]).toMatchObject({ matched: [], error: 'the instance list was not read' });
  });

  it('keeps one entry per name when two live instances share it (the read reports the ambiguity)', () => {
    const twins = new Map([[PROJECT, listed(['prod-x', 'id-1'], ['prod-x', 'id-2'])]]);
    expect(matchSelectors(state([selector('prod-*')]), twins).matches[0]?.matched).toEqual([{ name: 'prod-x', id: 'id-1' }]);
  });
});

describe('expandSelectors', () => {
  it('adds one instance per match, keyed by its live name, with the selector\'s settings and source', () => {
    const s = selector('prod-*');
    const declared = state([s]);
    const { matches } = matchSelectors(declared, new Map([[PROJECT, listed(['prod-a', 'id-a'], ['prod-audit', 'id-pa'])]]));
    const expanded = expandSelectors(declared, matches);
    expect(expanded.instances.map(instanceKey)).toEqual([`${PROJECT}/prod-audit`, `${PROJECT}/prod-a`]);
    expect(expanded.instances[1]).toEqual({
      region: REGION,
      projectId: P1,
      ref: { kind: 'name', name: 'prod-a' },
      selector: 'prod-*',
      prune: true,
      systemRules: s.systemRules,
      riskRules: s.riskRules,
      source: s.source,
    });
    expect(expanded.selectors).toBe(declared.selectors);
  });

  it('adds an instance that two selectors match once, from the first', () => {
    const declared = state([selector('prod-*'), selector('*-a', { prune: false })], []);
    const { matches } = matchSelectors(declared, new Map([[PROJECT, listed(['prod-a', 'id-a'])]]));
    const expanded = expandSelectors(declared, matches);
    expect(expanded.instances.map((i) => [instanceKey(i), i.selector, i.prune])).toEqual([[`${PROJECT}/prod-a`, 'prod-*', true]]);
  });
});
