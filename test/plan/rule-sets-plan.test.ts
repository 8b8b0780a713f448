import { beforeEach, describe, expect, it } from 'vitest';
import { computePlan } from '../../src/plan/compute-plan.js';
import { desiredHash, liveFingerprint } from '../../src/plan/fingerprint.js';
import type { CreateRuleChange, Plan, SwitchRulesChange, UpdateRuleChange } from '../../src/plan/types.js';
import { instanceKey } from '../../src/domain.js';
import { P1, REGION, at } from './builders.js';
import { CANARY_SELECTOR, FILE, PROD_SELECTOR, SETS_FILE, ruleSetInputs, ruleSetPlan } from './rule-set-plan.js';

const PROJECT = `${REGION}/${P1}`;

describe('planning instances that rule sets and selectors declare', () => {
  // Planned per test, not while collecting: code run outside a test counts for none, and
  // `npm run mutate` would then run every test against each of its mutants.
  let plan: Plan;
  beforeEach(() => {
    plan = ruleSetPlan();
  });

  it('carries each rule\'s provenance on its create, update and switch', () => {
    const change = <T>(id: string): T => plan.changes.find((c) => c.id === `${PROJECT}/${id}`) as T;
    expect(change<UpdateRuleChange>('prod-a#update:drop-table').source).toEqual({
      ...at(9, SETS_FILE),
      ruleSet: 'baseline',
      appliedAt: at(14, FILE),
    });
    expect(change<CreateRuleChange>('prod-b#create:bulk-delete').source).toEqual({
      ...at(12, SETS_FILE),
      ruleSet: 'baseline',
      appliedAt: at(14, FILE),
      overriddenAt: at(17, FILE),
    });
    expect(change<CreateRuleChange>('prod-b#create:own-rule').source).toEqual(at(20, FILE));
    expect(change<SwitchRulesChange>('prod-a#switch:ON').rules).toEqual([
      { id: 'sys2-Slow_SQL', name: 'Slow_SQL_detection', system: true, source: { ...at(6, SETS_FILE), ruleSet: 'baseline', appliedAt: at(14, FILE) } },
    ]);
  });

  it('lists what each selector matched, marks the instances it found, and warns about one that matches nothing', () => {
    expect(plan.selectors).toEqual([
      {
        key: `${PROJECT}/match:canary-*`,
        selector: 'canary-*',
        region: REGION,
        projectId: P1,
        source: at(30, FILE),
        matched: [],
        skipped: [],
      },
      {
        key: `${PROJECT}/match:prod-*`,
        selector: 'prod-*',
        region: REGION,
        projectId: P1,
        source: at(12, FILE),
        matched: ['prod-a', 'prod-b'],
        skipped: [{ name: 'prod-main', reason: `declared at ${FILE}:5:5` }],
      },
    ]);
    expect(plan.targets.map((t) => [t.instanceName, t.selector])).toEqual([
      ['prod-a', 'prod-*'],
      ['prod-b', 'prod-*'],
      ['prod-main', undefined],
    ]);
    expect(plan.notes.filter((n) => n.target.includes('match:'))).toEqual([
      { target: `${PROJECT}/match:canary-*`, message: `warning: selector "canary-*" (${FILE}:30:5) matches no ACTIVE instance of project ${P1} (${REGION})` },
    ]);
    expect(plan.errors).toEqual([]);
  });

  it('turns a selector that could not be resolved into a plan error', () => {
    const { desired, live } = ruleSetInputs();
    const failed = { ...live, selectors: live.selectors?.map((s) => (s.key.endsWith('canary-*') ? { ...s, error: 'GET …/instances: 403 forbidden' } : s)) };
    expect(computePlan(desired, failed, { toolVersion: 't' }).errors).toEqual([
      { target: `${PROJECT}/match:canary-*`, message: `selector "canary-*" (${FILE}:30:5) could not be resolved: listing instances: GET …/instances: 403 forbidden` },
    ]);
  });

  it('plans a newly matched instance to receive the baseline: the live state changed, the policies did not', () => {
    const before = ruleSetPlan(false);
    expect(before.changes.filter((c) => c.target.endsWith('/prod-b'))).toEqual([]);
    expect(plan.changes.filter((c) => c.target.endsWith('/prod-b')).map((c) => c.id.split('#')[1])).toEqual([
      'create:bulk-delete',
      'create:drop-table',
      'create:own-rule',
      'reorder',
    ]);
    expect(plan.desiredHash).toBe(before.desiredHash);
    expect(plan.liveFingerprint).not.toBe(before.liveFingerprint);
  });
});

describe('fingerprints with rule sets and selectors', () => {
  const { declared, desired, live } = ruleSetInputs();

  it('hash the declared selectors, not their source locations, provenance or matches', () => {
    const moved = {
      ...declared,
      selectors: declared.selectors?.map((s) => ({
        ...s,
        source: at(99, 'elsewhere.yaml'),
        riskRules: s.riskRules.map(({ origin: _origin, ...r }) => ({ ...r, source: at(1, 'inline.yaml') })),
        systemRules: s.systemRules.map(({ origin: _origin, ...r }) => r),
      })),
    };
    expect(desiredHash(moved)).toBe(desiredHash(declared));
    expect(desiredHash(desired)).toBe(desiredHash(declared));
    const changed = { ...declared, selectors: [{ ...PROD_SELECTOR, prune: true }, CANARY_SELECTOR] };
    expect(desiredHash(changed)).not.toBe(desiredHash(declared));
    const renamed = { ...declared, selectors: [{ ...PROD_SELECTOR, pattern: 'prod-?' }, CANARY_SELECTOR] };
    expect(desiredHash(renamed)).not.toBe(desiredHash(declared));
  });

  it('fingerprint the matches in scope only', () => {
    const fp = liveFingerprint(live, desired);
    const withoutB = { ...desired, instances: desired.instances.filter((d) => instanceKey(d) !== `${PROJECT}/prod-b`) };
    // prod-b out of scope (another shard, say): its match does not count.
    expect(liveFingerprint(live, withoutB)).toBe(liveFingerprint({ ...live, selectors: ruleSetInputs(false).live.selectors }, withoutB));
    expect(liveFingerprint({ ...live, selectors: ruleSetInputs(false).live.selectors }, desired)).not.toBe(fp);
  });
});
