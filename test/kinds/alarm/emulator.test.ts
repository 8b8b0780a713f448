import { describe, expect, it } from 'vitest';
import { Prng } from '../../../src/emulator/prng.js';
import type { ServiceContext } from '../../../src/emulator/service-context.js';
import type { InstanceState } from '../../../src/emulator/types.js';
import { ApiFailure } from '../../../src/emulator/wire-errors.js';
import { EMULATED_ALARM } from '../../../src/kinds/alarm/emulator.js';
import { TOPIC } from './harness.js';

/** The emulator part's two handlers on a fresh instance under `options`. */
function alarmService(options: Record<string, string> = {}) {
  const resolved: Record<string, string> = {};
  for (const [name, values] of Object.entries(EMULATED_ALARM.options)) resolved[name] = options[name] ?? values[0];
  const service = { ids: new Prng(1) } as unknown as ServiceContext;
  const state = EMULATED_ALARM.initial(service, resolved);
  const ctx = { service, instance: { id: 'i'.repeat(32), status: 'ACTIVE' } as InstanceState, state, options: resolved };
  const route = (method: string) => EMULATED_ALARM.routes.find((r) => r.method === method)!;
  const req = (body?: unknown) => ({ params: {}, query: new URLSearchParams(), body: Buffer.from(body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body)) });
  return {
    get: () => route('GET').handle(ctx, req()).body as Record<string, unknown>,
    set: (body: unknown) => route('POST').handle(ctx, req(body)),
  };
}

const BODY = { alarm_cpu: 70, alarm_disk: 80, alarm_memory: 90, alarm_num: 20, alarm_switch: 'ON', alarm_risk: ['high', 'low'], alarm_topic_urn: TOPIC };

const refusal = (f: () => unknown): ApiFailure => {
  try {
    f();
  } catch (e) {
    if (e instanceof ApiFailure) return e;
    throw e;
  }
  throw new Error('not refused');
};

describe('the alarm emulator part', () => {
  it('serves the documented paths and operation names, and every profile names only its options', () => {
    expect(EMULATED_ALARM.routes.map((r) => [r.operation, r.method, r.path, r.write, r.errors])).toEqual([
      ['ListAlarmTopicConfigInfoNew', 'GET', '/v2/{project_id}/audit/{instance_id}/alarm/topic', false, 'flat'],
      ['SetAlarmTopicConfigInfoNew', 'POST', '/v2/{project_id}/audit/{instance_id}/alarm/topic', true, 'flat'],
    ]);
    expect(Object.keys(EMULATED_ALARM.profiles)).toContain('hostile');
    for (const bundle of Object.values(EMULATED_ALARM.profiles)) {
      for (const [option, value] of Object.entries(bundle)) expect(EMULATED_ALARM.options[option]).toContain(value);
    }
  });

  it('reads the documented shape: thresholds as strings, lower-case risk levels, smn_effective', () => {
    const s = alarmService();
    expect(s.get()).toEqual({ alarm_switch: 'OFF', alarm_risk: ['high'], alarm_cpu: '80', alarm_disk: '80', alarm_memory: '80', alarm_num: '100', smn_effective: true });
    expect(s.set(BODY)).toEqual({ status: 200, body: { status: 'success' } });
    expect(s.get()).toEqual({ alarm_switch: 'ON', alarm_topic_urn: TOPIC, alarm_risk: ['high', 'low'], alarm_cpu: '70', alarm_disk: '80', alarm_memory: '90', alarm_num: '20', smn_effective: true });
  });

  it('reads under each other reading of the answer', () => {
    const upper = alarmService({ alarmRiskRead: 'upper', alarmThresholds: 'numbers', alarmSmnEffective: 'absent' });
    expect(upper.get()).toEqual({ alarm_switch: 'OFF', alarm_risk: ['HIGH'], alarm_cpu: 80, alarm_disk: 80, alarm_memory: 80, alarm_num: 100 });
    const title = alarmService({ alarmRiskRead: 'title', alarmThresholds: 'padded', alarmSmnEffective: 'false' });
    expect(title.get()).toEqual({ alarm_switch: 'OFF', alarm_risk: ['High'], alarm_cpu: ' 80', alarm_disk: ' 80', alarm_memory: ' 80', alarm_num: ' 100', smn_effective: false });
    expect(alarmService({ alarmInitial: 'unset' }).get()).toEqual({ alarm_switch: 'OFF', smn_effective: true });
  });

  it('answers 400 to a malformed body: not JSON, not an object, a required field missing or mistyped', () => {
    const s = alarmService();
    expect(refusal(() => s.set('{')).message).toBe('the request body is not JSON');
    expect(refusal(() => s.set([1])).message).toBe('the request body is not a JSON object');
    for (const field of ['alarm_cpu', 'alarm_disk', 'alarm_memory', 'alarm_num']) {
      const { [field]: _, ...missing } = BODY as Record<string, unknown>;
      expect(refusal(() => s.set(missing))).toMatchObject({ status: 400, message: `${field} is required and must be an int32` });
      expect(refusal(() => s.set({ ...BODY, [field]: '80' })).status).toBe(400);
      expect(refusal(() => s.set({ ...BODY, [field]: 80.5 })).status).toBe(400);
      expect(refusal(() => s.set({ ...BODY, [field]: 2147483648 })).status).toBe(400);
    }
    expect(refusal(() => s.set({ ...BODY, alarm_switch: 'on' })).message).toBe('alarm_switch is required: ON or OFF');
    expect(refusal(() => s.set({ ...BODY, alarm_risk: 'high' })).message).toBe('alarm_risk must be a list of strings');
    expect(refusal(() => s.set({ ...BODY, alarm_risk: [1] })).message).toBe('alarm_risk must be a list of strings');
    expect(refusal(() => s.set({ ...BODY, alarm_topic_urn: 7 })).message).toBe('alarm_topic_urn must be a string');
    expect(s.get()['alarm_switch']).toBe('OFF');
  });

  it('answers {"status":"fail"} to values it refuses, and changes nothing', () => {
    const fail = { status: 200, body: { status: 'fail' } };
    const wide = alarmService();
    for (const bad of [{ alarm_cpu: 101 }, { alarm_disk: -1 }, { alarm_memory: 200 }, { alarm_num: -1 }, { alarm_risk: ['critical'] }, { alarm_topic_urn: undefined }, { alarm_topic_urn: '' }]) {
      expect(wide.set({ ...BODY, ...bad }), JSON.stringify(bad)).toEqual(fail);
    }
    expect(wide.set({ ...BODY, alarm_cpu: 0, alarm_num: 0, alarm_risk: ['HIGH', 'Low'] })).toEqual({ status: 200, body: { status: 'success' } });
    expect(wide.get()['alarm_risk']).toEqual(['high', 'low']);
    const narrow = alarmService({ alarmRange: '1-100', alarmRiskWrite: 'lower' });
    for (const bad of [{ alarm_cpu: 0 }, { alarm_disk: 0 }, { alarm_memory: 0 }, { alarm_num: 0 }, { alarm_risk: ['HIGH'] }]) expect(narrow.set({ ...BODY, ...bad }), JSON.stringify(bad)).toEqual(fail);
    expect(narrow.set({ ...BODY, alarm_cpu: 1, alarm_disk: 100, alarm_num: 1 })).toEqual({ status: 200, body: { status: 'success' } });
    const noSmn = alarmService({ alarmSmnEffective: 'false' });
    expect(noSmn.set(BODY)).toEqual(fail);
    expect(noSmn.set({ ...BODY, alarm_switch: 'OFF' })).toEqual({ status: 200, body: { status: 'success' } });
    expect(alarmService().get()['alarm_cpu']).toBe('80');
  });

  it('a set without a topic clears it, or keeps it under alarmTopicOmitted=kept', () => {
    const { alarm_topic_urn: _, ...off } = { ...BODY, alarm_switch: 'OFF' };
    const cleared = alarmService();
    cleared.set(BODY);
    cleared.set(off);
    expect(cleared.get()).not.toHaveProperty('alarm_topic_urn');
    const kept = alarmService({ alarmTopicOmitted: 'kept' });
    kept.set(BODY);
    kept.set(off);
    expect(kept.get()['alarm_topic_urn']).toBe(TOPIC);
  });
});
