import { describe, expect, it } from 'vitest';
import type { LiveInstance, LiveState } from '../../src/live/types.js';
import { computePlan } from '../../src/plan/compute-plan.js';
import { desiredHash, liveFingerprint } from '../../src/plan/fingerprint.js';
import { at, desired, instance, live, liveState, liveTask, rule, task } from './builders.js';

const a = instance('a', { riskRules: [rule('r1'), rule('r2')], systemRules: [{ name: 'Slow_SQL_detection', status: 'ON', source: at(2) }] });
const b = instance('b', { riskRules: [rule('q', { clientIps: ['10.0.0.0/8', '2001:db8::1'] })] });
const base = (): LiveState =>
  liveState(
    [live(a, [{ id: 'id-r1', name: 'r1' }, { id: 'id-r2', name: 'r2' }]), live(b, [{ id: 'id-q', name: 'q', clientIps: ['10.0.0.0/8', '2001:db8::1'] }])],
    [liveTask('risk', true)],
  );
const withInstance = (s: LiveState, key: string, f: (i: LiveInstance) => LiveInstance): LiveState => ({
  ...s,
  instances: s.instances.map((i) => (i.key.endsWith(key) ? f(i) : i)),
});

describe('liveFingerprint', () => {
  it('is a sha256 that ignores read order and list order inside details', () => {
    const s = base();
    const fp = liveFingerprint(s);
    expect(fp).toMatch(/^[0-9a-f]{64}$/);
    const shuffled: LiveState = {
      ...s,
      instances: [...s.instances].reverse().map((i) => ({
        ...i,
        rules: [...i.rules].reverse(),
        details: Object.fromEntries(
          Object.entries(i.details)
            .reverse()
            .map(([id, d]) => [id, { ...d, clientIps: [...d.clientIps].reverse().map((ip) => ip.toUpperCase()) }]),
        ),
      })),
    };
    expect(liveFingerprint(shuffled)).toBe(fp);
  });

  it.each([
    ['a rule switched', (s: LiveState) => withInstance(s, '/a', (i) => ({ ...i, rules: i.rules.map((r) => (r.name === 'r1' ? { ...r, status: 'OFF' as const } : r)) }))],
    ['a rank changed', (s: LiveState) => withInstance(s, '/a', (i) => ({ ...i, rules: i.rules.map((r) => (r.name === 'r2' ? { ...r, rank: 99 } : r)) }))],
    ['a detail changed', (s: LiveState) => withInstance(s, '/b', (i) => ({ ...i, details: { 'id-q': { ...i.details['id-q']!, affectRows: { symbol: 'GREATER' as const, value: 7 } } } }))],
    ['a rule added', (s: LiveState) => withInstance(s, '/a', (i) => ({ ...i, rules: [...i.rules, { ...i.rules[4]!, id: 'id-new', name: 'new', rank: 7 }] }))],
    ['a task switched', (s: LiveState) => ({ ...s, summaryTasks: [liveTask('risk', false)] })],
    ['an instance no longer readable', (s: LiveState) => ({ ...s, instances: s.instances.slice(1), errors: [{ key: s.instances[0]!.key, message: 'x' }] })],
  ])('changes when %s', (_what, change) => {
    expect(liveFingerprint(change(base()))).not.toBe(liveFingerprint(base()));
  });

  it('with the desired state, ignores what it does not declare', () => {
    const scope = desired([a], [task('risk', true)]);
    const extra = liveState([...base().instances, live(instance('other'), [{ id: 'id-z', name: 'z' }])], [liveTask('risk', true), liveTask('audit', false)]);
    expect(liveFingerprint(extra, scope)).toBe(liveFingerprint(base(), scope));
    expect(liveFingerprint(extra)).not.toBe(liveFingerprint(base()));
  });
});

describe('desiredHash', () => {
  // Computed in each test, not while collecting: mutation testing attributes it to the test then.
  const hash = (): string => desiredHash(desired([a, b], [task('risk', true)]));

  it('ignores source locations and declaration order of instances and system rules', () => {
    const moved = desired([{ ...b, source: at(90, 'policies/other.yaml') }, { ...a, riskRules: a.riskRules.map((r, i) => ({ ...r, source: at(70 + i) })) }], [task('risk', true, { source: at(3) })]);
    expect(desiredHash(moved)).toBe(hash());
  });

  it.each([
    ['the rule priority order', desired([{ ...a, riskRules: [...a.riskRules].reverse() }, b], [task('risk', true)])],
    ['a value', desired([a, { ...b, riskRules: [rule('q', { riskLevel: 'LOW' })] }], [task('risk', true)])],
    ['prune', desired([{ ...a, prune: true }, b], [task('risk', true)])],
    ['a task', desired([a, b], [task('risk', false)])],
  ])('changes with %s', (_what, changed) => {
    expect(desiredHash(changed)).not.toBe(hash());
  });

  it('is what computePlan records, with the live fingerprint of the planned scope', () => {
    const d = desired([a, b], [task('risk', true)]);
    const plan = computePlan(d, base(), { toolVersion: '1.2.3' });
    expect(plan).toMatchObject({ formatVersion: 1, toolVersion: '1.2.3', desiredHash: desiredHash(d), liveFingerprint: liveFingerprint(base(), d) });
  });
});
