import { describe, expect, it } from 'vitest';
import type { LiveState } from '../../src/live/types.js';
import { computePlan } from '../../src/plan/compute-plan.js';
import { desiredHash, liveFingerprint } from '../../src/plan/fingerprint.js';
import { parsePlan, serializePlan } from '../../src/plan/plan-json.js';
import { desired, instance, live, liveState, liveTask, rule, task } from './builders.js';

const a = instance('a', { riskRules: [rule('r1'), rule('r2', { status: 'OFF' })] });
const want = desired([a], [task('risk', true)]);
const state = (): LiveState => liveState([live(a, [{ id: 'id-r1', name: 'r1' }, { id: 'id-r2', name: 'r2' }])], [liveTask('risk', false)]);

describe('stale-plan fingerprints of computePlan', () => {
  it('are the fingerprints of the planned scope when the plan is saved', () => {
    const plan = computePlan(want, state(), { toolVersion: 't' });
    const saved = parsePlan(serializePlan(plan));
    expect(saved.liveFingerprint).toBe(liveFingerprint(state(), want));
    expect(saved.desiredHash).toBe(desiredHash(want));
    expect(Object.keys(saved).slice(0, 4)).toEqual(['formatVersion', 'toolVersion', 'liveFingerprint', 'desiredHash']);
  });

  it('read the live state as it was planned, even when it is read later', () => {
    const live = state();
    const plan = computePlan(want, live, { toolVersion: 't' });
    const first = plan.liveFingerprint;
    expect(plan.liveFingerprint).toBe(first);
    expect({ ...plan }).toEqual(computePlan(want, state(), { toolVersion: 't' }));
  });

  it('differ between two plans of different live states', () => {
    const changed = liveState([live(a, [{ id: 'id-r1', name: 'r1' }, { id: 'id-r2', name: 'r2', status: 'OFF' }])], [liveTask('risk', false)]);
    expect(computePlan(want, changed, { toolVersion: 't' }).liveFingerprint).not.toBe(computePlan(want, state(), { toolVersion: 't' }).liveFingerprint);
  });
});
