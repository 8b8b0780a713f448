import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RiskRuleSpec } from '../../src/domain.js';
import { instanceKey, SYSTEM_RULE_NAMES } from '../../src/domain.js';
import { computePlan } from '../../src/plan/compute-plan.js';
import { normaliseIps, normaliseRule } from '../../src/plan/normalise.js';
import type { DesiredInstance, DesiredState } from '../../src/policy/types.js';
import { DbssModel } from './api-model.js';
import { content } from './arbitraries.js';
import { at, P1, REGION } from './builders.js';

const NAMES = ['n0', 'n1', 'n2', 'n3', 'n4', 'n5', 'n6'];
const named = (names: string[]) => fc.tuple(...names.map((name) => content.map((c): RiskRuleSpec => ({ name, ...c }))));

const instanceScenario = (name: string) =>
  fc.record({
    name: fc.constant(name),
    liveRules: fc.shuffledSubarray(NAMES).chain(named),
    systemOn: fc.tuple(...SYSTEM_RULE_NAMES.map(() => fc.boolean())),
    prune: fc.boolean(),
    wanted: fc.shuffledSubarray(NAMES).chain(named),
    keepLive: fc.array(fc.boolean(), { minLength: NAMES.length, maxLength: NAMES.length }),
    systemWanted: fc.shuffledSubarray([...SYSTEM_RULE_NAMES]).chain((ns) => fc.tuple(...ns.map((n) => fc.record({ name: fc.constant(n), on: fc.boolean() })))),
  });

const scenario = fc.record({
  instances: fc.tuple(instanceScenario('prod-audit'), instanceScenario('staging-audit')),
  liveTasks: fc.tuple(fc.boolean(), fc.boolean()),
  wantedTasks: fc.tuple(fc.option(fc.boolean()), fc.option(fc.boolean())),
  reassert: fc.boolean(),
});
type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

/** Seeds the model with the live side and returns the desired side. */
function setUp(s: Scenario, model: DbssModel): DesiredState {
  const instances = s.instances.map((i): DesiredInstance => {
    const d: DesiredInstance = {
      region: REGION,
      projectId: P1,
      ref: { kind: 'name', name: i.name },
      prune: i.prune,
      systemRules: i.systemWanted.map((w) => ({ name: w.name, status: w.on ? 'ON' : 'OFF', source: at(2) })),
      // Half of the declared rules keep their live content (exception IPs aside), so "no change" paths run too.
      riskRules: i.wanted.map((w, k) => {
        const same = i.keepLive[k] ? i.liveRules.find((l) => l.name === w.name) : undefined;
        return { ...(same ?? w), exceptionIps: w.exceptionIps, source: at(10 + k) };
      }),
      source: at(1),
    };
    const system = SYSTEM_RULE_NAMES.map((name, k) => ({
      id: model.newId(),
      ruleType: 'SYSTEM' as const,
      spec: { ...i.liveRules[0], ...i.wanted[0], name, status: i.systemOn[k] ? 'ON' : 'OFF', riskLevel: 'HIGH' } as RiskRuleSpec,
    }));
    const customs = i.liveRules.map((spec) => ({ id: model.newId(), ruleType: 'CUSTOMIZE' as const, spec }));
    model.instances.set(instanceKey(d), { key: instanceKey(d), region: REGION, projectId: P1, id: `id-${i.name}`, name: i.name, rules: [...system, ...customs] });
    return d;
  });
  const busi = ['risk', 'audit'] as const;
  busi.forEach((b, k) => model.tasks.set(`${REGION}/${P1}/${b}`, s.liveTasks[k]!));
  const summaryTasks = busi.flatMap((busiType, k) => {
    const wanted = s.wantedTasks[k];
    return wanted === null || wanted === undefined ? [] : [{ region: REGION, projectId: P1, busiType, enabled: wanted, source: at(50) }];
  });
  return { instances, summaryTasks };
}

describe('plan → apply → plan converges', () => {
  it('reaches the desired state on the API model, and a second plan is empty', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const model = new DbssModel();
        const desired = setUp(s, model);
        const plan = computePlan(desired, model.liveState(desired), { toolVersion: 't', reassertWriteOnly: s.reassert });
        expect(plan.errors).toEqual([]);
        model.apply(plan);

        const again = computePlan(desired, model.liveState(desired), { toolVersion: 't' });
        expect(again.changes).toEqual([]);

        for (const d of desired.instances) {
          const rules = model.instances.get(instanceKey(d))!.rules;
          const customs = rules.filter((r) => r.ruleType === 'CUSTOMIZE');
          const declared = d.riskRules.map((r) => r.name);
          expect(customs.map((r) => r.spec.name).filter((n) => declared.includes(n))).toEqual(declared);
          if (d.prune) expect(customs.map((r) => r.spec.name)).toEqual(declared);
          for (const want of d.riskRules) {
            const got = customs.find((r) => r.spec.name === want.name)!.spec;
            expect(normaliseRule(got)).toEqual(normaliseRule(want));
            if (s.reassert && want.exceptionIps.length > 0) expect(normaliseIps(got.exceptionIps)).toEqual(normaliseIps(want.exceptionIps));
          }
          for (const sys of d.systemRules) expect(rules.find((r) => r.spec.name === sys.name)!.spec.status).toBe(sys.status);
        }
        for (const t of desired.summaryTasks) expect(model.tasks.get(`${t.region}/${t.projectId}/${t.busiType}`)).toBe(t.enabled);
      }),
      { numRuns: 300 },
    );
  });

  it('re-plans exactly the write-only re-sends when asked to reassert after converging', () => {
    const model = new DbssModel();
    const desired = setUp(
      {
        instances: [
          { name: 'prod-audit', liveRules: [], systemOn: [true, true, true, true], prune: true, wanted: [], keepLive: [], systemWanted: [] },
          { name: 'staging-audit', liveRules: [], systemOn: [true, true, true, true], prune: false, wanted: [], keepLive: [], systemWanted: [] },
        ],
        liveTasks: [false, false],
        wantedTasks: [null, null],
        reassert: false,
      } as Scenario,
      model,
    );
    const withRules: DesiredState = {
      ...desired,
      instances: desired.instances.map((d, k) => ({
        ...d,
        riskRules: [
          { ...ruleOf('a', k === 0 ? ['10.0.0.5'] : []), source: at(10) },
          { ...ruleOf('b', []), source: at(11) },
        ],
      })),
    };
    model.apply(computePlan(withRules, model.liveState(withRules), { toolVersion: 't' }));
    const reassert = computePlan(withRules, model.liveState(withRules), { toolVersion: 't', reassertWriteOnly: true });
    expect(reassert.changes.map((c) => c.id)).toEqual([`${REGION}/${P1}/prod-audit#update:a`]);
  });
});

function ruleOf(name: string, exceptionIps: string[]): RiskRuleSpec {
  return {
    name,
    riskLevel: 'HIGH',
    status: 'ON',
    actions: [],
    affectRows: { symbol: 'GREATER_EQUAL', value: 0 },
    executionTime: { symbol: 'GREATER_EQUAL', value: 0 },
    dbIds: [],
    clientIps: [],
    exceptionIps,
    schemas: [],
    ignoreCase: false,
  };
}
