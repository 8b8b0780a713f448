import { expandSelectors } from '../../src/live/selectors.js';
import type { LiveSelectorMatch, LiveState } from '../../src/live/types.js';
import { computePlan } from '../../src/plan/compute-plan.js';
import type { Plan } from '../../src/plan/types.js';
import type { DesiredSelector, DesiredState, RuleSetOrigin } from '../../src/policy/types.js';
import { selectorKey } from '../../src/domain.js';
import { at, instance, live, liveState, P1, REGION, rule } from './builders.js';

/**
 * A small estate that uses rule sets and selectors, for the planner, the renderers and the plan
 * JSON: selector `prod-*` applies the `baseline` set (one rule overridden) plus an own rule to
 * prod-a (exists, drifted) and prod-b (new); prod-main is declared by name, so the selector
 * skips it; selector `canary-*` matches nothing.
 */

export const SETS_FILE = 'policies/baseline.yaml';
export const FILE = 'policies/payments/prod.yaml';

const viaBaseline: RuleSetOrigin = { ruleSet: 'baseline', appliedAt: at(14, FILE) };

export const PROD_SELECTOR: DesiredSelector = {
  region: REGION,
  projectId: P1,
  pattern: 'prod-*',
  prune: false,
  systemRules: [{ name: 'Slow_SQL_detection', status: 'ON', source: at(6, SETS_FILE), origin: viaBaseline }],
  riskRules: [
    rule('drop-table', { actions: ['DROP_TABLE'], source: at(9, SETS_FILE), origin: viaBaseline }),
    rule('bulk-delete', { riskLevel: 'MEDIUM', actions: ['DELETE'], source: at(12, SETS_FILE), origin: { ...viaBaseline, overriddenAt: at(17, FILE) } }),
    rule('own-rule', { riskLevel: 'LOW', source: at(20, FILE) }),
  ],
  source: at(12, FILE),
};

export const CANARY_SELECTOR: DesiredSelector = { ...PROD_SELECTOR, pattern: 'canary-*', riskRules: [], systemRules: [], source: at(30, FILE) };

/** What the live read found for the two selectors (prod-b only when `withB`). */
export function selectorMatches(withB = true): LiveSelectorMatch[] {
  const base = { region: REGION, projectId: P1 };
  return [
    {
      ...base,
      key: selectorKey(PROD_SELECTOR),
      matched: [{ name: 'prod-a', id: 'inst-prod-a' }, ...(withB ? [{ name: 'prod-b', id: 'inst-prod-b' }] : [])],
      skipped: [{ name: 'prod-main', id: 'inst-prod-main', reason: `declared at ${FILE}:5:5` }],
    },
    { ...base, key: selectorKey(CANARY_SELECTOR), matched: [], skipped: [] },
  ];
}

/** The declared state (before selectors are resolved) and the live state of the estate. */
export function ruleSetInputs(withB = true): { declared: DesiredState; desired: DesiredState; live: LiveState } {
  const main = instance('prod-main', { riskRules: [rule('main-rule', { source: at(6, FILE) })] });
  const declared: DesiredState = { instances: [main], summaryTasks: [], selectors: [PROD_SELECTOR, CANARY_SELECTOR] };
  const matches = selectorMatches(withB);
  const desired = expandSelectors(declared, matches);
  const [, a, b] = desired.instances;
  const liveA = live(a!, [
    { id: 'id-drop', name: 'drop-table', actions: ['DROP_TABLE'], riskLevel: 'MEDIUM' },
    { id: 'id-bulk', name: 'bulk-delete', riskLevel: 'MEDIUM', actions: ['DELETE'] },
    { id: 'id-own', name: 'own-rule', riskLevel: 'LOW' },
  ], { systemOff: ['Slow_SQL_detection'], id: 'inst-prod-a' });
  const instances = [live(main, [{ id: 'id-main', name: 'main-rule' }], { id: 'inst-prod-main' }), liveA, ...(b ? [live(b, [], { id: 'inst-prod-b' })] : [])];
  return { declared, desired, live: { ...liveState(instances), selectors: matches } };
}

/** The plan of the estate. */
export function ruleSetPlan(withB = true): Plan {
  const { desired, live: l } = ruleSetInputs(withB);
  return computePlan(desired, l, { toolVersion: '0.1.0' });
}
