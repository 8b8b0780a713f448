import { describe, expect, it } from 'vitest';
import { DbssApiError } from '../../../src/api/errors.js';
import { ALARM_KIND as kind } from '../../../src/kinds/alarm/index.js';
import { converge, desiredOf, directApi, HOSTILE_TOPIC, READINGS, TARGET, TOPIC } from './harness.js';

const FULL = { enabled: 'ON', topic_urn: TOPIC, risk_levels: ['HIGH', 'MEDIUM'], cpu: 85, disk: 90, memory: 75, daily_limit: 50 } as const;

describe('the alarm setting converges through its emulator part under every reading', () => {
  it.each(READINGS)('%s: set whole, then one field with the rest (a hostile live topic among them) kept', async (_, options) => {
    const { api, state } = directApi(options);
    const refusesOn = options['alarmSmnEffective'] === 'false';
    const first = refusesOn ? { ...FULL, enabled: 'OFF' } : FULL;
    const a = await converge(api, desiredOf(first));
    expect(a.sent).toHaveLength(1);
    expect(a.live.settings).toEqual({ ...first, risk_levels: ['HIGH', 'MEDIUM'] });

    state['topic'] = HOSTILE_TOPIC;
    const b = await converge(api, desiredOf({ cpu: 60, risk_levels: ['LOW', 'HIGH'] }));
    expect(b.sent.map((c) => c.fields)).toEqual([[{ field: 'risk_levels', before: ['HIGH', 'MEDIUM'], after: ['HIGH', 'LOW'] }, { field: 'cpu', before: 85, after: 60 }]]);
    expect(b.notes.at(-1)).toBe(`kept live enabled ${first.enabled}, topic urn ${JSON.stringify(HOSTILE_TOPIC)}, disk 90, memory 75, daily limit 50 (not declared; the set call sends every field)`);
    expect(b.live.settings).toEqual({ ...first, topic_urn: HOSTILE_TOPIC, risk_levels: ['HIGH', 'LOW'], cpu: 60 });

    if (options['alarmTopicOmitted'] !== 'kept') {
      const c = await converge(api, desiredOf({ enabled: 'OFF', topic_urn: null, daily_limit: 10 }));
      expect(c.sent[0]!.weakening).toEqual([...(refusesOn ? [] : ['alarms switched OFF']), 'the SMN topic removed (alarms have nowhere to go)', 'fewer alarms a day 50 → 10']);
      expect(c.live.settings['topic_urn']).toBeNull();
    }
  });

  it('a never-configured instance (alarmInitial=unset) needs the whole setting declared: a problem names what is missing, not a broken write', async () => {
    const { api, calls } = directApi({ alarmInitial: 'unset' });
    const live = await kind.read(api, TARGET);
    expect(live.settings).toEqual({ enabled: 'OFF', topic_urn: null, risk_levels: [] });
    expect(live.observations).toContain('alarm_cpu not answered: not read');
    const p = kind.plan(desiredOf({ enabled: 'ON', topic_urn: TOPIC, cpu: 80 }), live);
    expect(p.changes).toEqual([]);
    expect(p.problems).toEqual([expect.stringContaining('the live disk, memory, daily_limit could not be read; declare them under alarms')]);
    expect(calls.map((c) => c.operation)).toEqual(['ListAlarmTopicConfigInfoNew']);
  });

  it('0 is refused as "fail" where the API takes 1-100 only (alarmRange=1-100), and that counts as a failure', async () => {
    const { api } = directApi({ alarmRange: '1-100' });
    const p = kind.plan(desiredOf({ ...FULL, cpu: 0 }), await kind.read(api, TARGET));
    const err = await kind.write(api, TARGET, p.changes[0]!).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DbssApiError);
    expect((err as DbssApiError).message).toContain('status "fail"');
    expect(kind.shows(p.changes[0]!, await kind.read(api, TARGET))).toBe(false);
    await converge(directApi({ alarmRange: '0-100' }).api, desiredOf({ ...FULL, cpu: 0 }));
  });

  it('where a set without a topic keeps the old one (alarmTopicOmitted=kept), removing the topic is not confirmed by the read-back', async () => {
    const { api } = directApi({ alarmTopicOmitted: 'kept' });
    await converge(api, desiredOf(FULL));
    const p = kind.plan(desiredOf({ enabled: 'OFF', topic_urn: null }), await kind.read(api, TARGET));
    await kind.write(api, TARGET, p.changes[0]!);
    const back = await kind.read(api, TARGET);
    expect(back.settings['topic_urn']).toBe(TOPIC);
    expect(kind.shows(p.changes[0]!, back)).toBe(false);
  });

  it('upper-case risk levels are refused where the API takes lower case only: the client sends lower case', async () => {
    const { api, calls } = directApi({ alarmRiskWrite: 'lower', alarmRiskRead: 'upper' });
    await converge(api, desiredOf(FULL));
    expect(calls.find((c) => c.operation === 'SetAlarmTopicConfigInfoNew')!.body).toMatchObject({ alarm_risk: ['high', 'medium'] });
  });
});
