import { describe, expect, it } from 'vitest';
import { computePlan } from '../../src/plan/compute-plan.js';
import { WRITE_ONLY_NOTE } from '../../src/plan/rule-diff.js';
import type { UpdateRuleChange } from '../../src/plan/types.js';
import { desired, instance, live, liveState, rule } from './builders.js';

const opts = { toolVersion: '0.1.0' };
const key = (d: ReturnType<typeof instance>): string => `${d.region}/${d.projectId}/prod-audit`;

describe('exception_ips (write-only)', () => {
  it('is sent on create', () => {
    const d = instance('prod-audit', { riskRules: [rule('r', { exceptionIps: ['10.8.0.0/16'] })] });
    const [c] = computePlan(desired([d]), liveState([live(d)]), opts).changes;
    expect(c?.kind === 'create' && c.after.exceptionIps).toEqual(['10.8.0.0/16']);
  });

  it('rides along on an update that happens anyway, shown as write-only', () => {
    const d = instance('prod-audit', { riskRules: [rule('r', { riskLevel: 'HIGH', exceptionIps: ['10.0.0.5'] })] });
    const plan = computePlan(desired([d]), liveState([live(d, [{ id: 'id-r', name: 'r', riskLevel: 'MEDIUM' }])]), opts);
    const u = plan.changes[0] as UpdateRuleChange;
    expect(u.fields).toEqual([
      { field: 'riskLevel', before: 'MEDIUM', after: 'HIGH' },
      { field: 'exceptionIps', after: ['10.0.0.5'], writeOnly: true },
    ]);
    expect(u.after.exceptionIps).toEqual(['10.0.0.5']);
    expect(u.review).toEqual({ weakening: false, reasons: [] });
    expect(plan.notes).toEqual([]);
  });

  it('is not a permanent diff: an otherwise identical rule gets a note, not a change', () => {
    const d = instance('prod-audit', { riskRules: [rule('r', { exceptionIps: ['10.0.0.5'] })] });
    const plan = computePlan(desired([d]), liveState([live(d, [{ id: 'id-r', name: 'r' }])]), opts);
    expect(plan.changes).toEqual([]);
    expect(plan.notes).toEqual([{ target: key(d), rule: 'r', message: WRITE_ONLY_NOTE }]);
    expect(WRITE_ONLY_NOTE).toBe('exception_ips is write-only (not verifiable); --reassert-write-only re-sends it');
  });

  it('is re-sent alone with reassertWriteOnly', () => {
    const d = instance('prod-audit', { riskRules: [rule('r', { exceptionIps: ['10.0.0.5'] }), rule('plain')] });
    const l = live(d, [
      { id: 'id-r', name: 'r' },
      { id: 'id-p', name: 'plain' },
    ]);
    const plan = computePlan(desired([d]), liveState([l]), { ...opts, reassertWriteOnly: true });
    expect(plan.changes.map((c) => c.id)).toEqual([`${key(d)}#update:r`]);
    expect((plan.changes[0] as UpdateRuleChange).fields).toEqual([{ field: 'exceptionIps', after: ['10.0.0.5'], writeOnly: true }]);
    expect(plan.notes).toEqual([]);
  });

  it('keeps a status-only difference a switch (with the note) unless reasserting, which folds it into the update', () => {
    const d = instance('prod-audit', { riskRules: [rule('r', { status: 'ON', exceptionIps: ['10.0.0.5'] })] });
    const l = live(d, [{ id: 'id-r', name: 'r', status: 'OFF' }]);
    const plain = computePlan(desired([d]), liveState([l]), opts);
    expect(plain.changes.map((c) => c.kind)).toEqual(['switch']);
    expect(plain.notes).toHaveLength(1);
    const reassert = computePlan(desired([d]), liveState([l]), { ...opts, reassertWriteOnly: true });
    expect(reassert.changes.map((c) => c.kind)).toEqual(['update']);
    expect((reassert.changes[0] as UpdateRuleChange).fields.map((f) => f.field)).toEqual(['status', 'exceptionIps']);
  });

  it('sends [] (clearing) and shows nothing when the rule declares none', () => {
    const d = instance('prod-audit', { riskRules: [rule('r', { riskLevel: 'LOW' })] });
    const plan = computePlan(desired([d]), liveState([live(d, [{ id: 'id-r', name: 'r' }])]), { ...opts, reassertWriteOnly: true });
    const u = plan.changes[0] as UpdateRuleChange;
    expect(u.after.exceptionIps).toEqual([]);
    expect(u.fields.map((f) => f.field)).toEqual(['riskLevel']);
    expect(plan.notes).toEqual([]);
  });
});
