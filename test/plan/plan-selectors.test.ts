import { describe, expect, it } from 'vitest';
import type { LiveSelectorMatch } from '../../src/live/types.js';
import { planSelectors } from '../../src/plan/plan-selectors.js';
import type { DesiredSelector } from '../../src/policy/types.js';
import { at, desired, liveState, P1, REGION } from './builders.js';

const sel = (pattern: string, line: number): DesiredSelector => ({
  region: REGION,
  projectId: P1,
  pattern,
  prune: false,
  systemRules: [],
  riskRules: [],
  source: at(line),
});
const match = (pattern: string, over: Partial<LiveSelectorMatch> = {}): LiveSelectorMatch => ({
  key: `${REGION}/${P1}/match:${pattern}`,
  region: REGION,
  projectId: P1,
  matched: [],
  skipped: [],
  ...over,
});
const ref = (name: string) => ({ name, id: `id-${name}` });

describe('planSelectors', () => {
  it('lists each resolved selector in key order with its matches and skips; an unresolved one is left out', () => {
    const state = {
      ...liveState([]),
      selectors: [
        match('prod-*', { matched: [ref('prod-a'), ref('prod-b')], skipped: [{ ...ref('prod-c'), reason: 'SHUTOFF, not ACTIVE' }] }),
        match('bi-*', { matched: [ref('bi-1')] }),
      ],
    };
    const report = planSelectors({ ...desired([]), selectors: [sel('prod-*', 7), sel('out-of-scope-*', 8), sel('bi-*', 9)] }, state);
    expect(report.selectors).toEqual([
      { key: `${REGION}/${P1}/match:bi-*`, selector: 'bi-*', region: REGION, projectId: P1, source: at(9), matched: ['bi-1'], skipped: [] },
      {
        key: `${REGION}/${P1}/match:prod-*`,
        selector: 'prod-*',
        region: REGION,
        projectId: P1,
        source: at(7),
        matched: ['prod-a', 'prod-b'],
        skipped: [{ name: 'prod-c', reason: 'SHUTOFF, not ACTIVE' }],
      },
    ]);
    expect(report.notes).toEqual([]);
    expect(report.errors).toEqual([]);
  });

  it('warns about a selector that matches nothing and turns a failed listing into an error, not a warning', () => {
    const state = { ...liveState([]), selectors: [match('none-*'), match('broken-*', { error: 'HTTP 403' })] };
    const report = planSelectors({ ...desired([]), selectors: [sel('none-*', 3), sel('broken-*', 4)] }, state);
    expect(report.notes).toEqual([
      { target: `${REGION}/${P1}/match:none-*`, message: `warning: selector "none-*" (policies/payments/cn-north-4.yaml:3:5) matches no ACTIVE instance of project ${P1} (${REGION})` },
    ]);
    expect(report.errors).toEqual([
      { target: `${REGION}/${P1}/match:broken-*`, message: 'selector "broken-*" (policies/payments/cn-north-4.yaml:4:5) could not be resolved: listing instances: HTTP 403' },
    ]);
    expect(report.selectors.map((s) => s.selector)).toEqual(['broken-*', 'none-*']);
  });

  it('reports nothing without selectors, or when the live read resolved none', () => {
    expect(planSelectors(desired([]), liveState([]))).toEqual({ selectors: [], notes: [], errors: [] });
    expect(planSelectors({ ...desired([]), selectors: [sel('a-*', 1)] }, liveState([]))).toEqual({ selectors: [], notes: [], errors: [] });
  });
});
