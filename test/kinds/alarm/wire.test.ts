import { describe, expect, it } from 'vitest';
import { decodeAlarm, readCount, setBody } from '../../../src/kinds/alarm/wire.js';
import { TOPIC } from './harness.js';

describe('reading the alarm configuration tolerantly', () => {
  it('reads thresholds given as strings, padded strings or numbers the same', () => {
    for (const v of ['80', ' 80', '80 ', 80, '+80', '80.0']) expect(readCount(v), JSON.stringify(v)).toBe(80);
    for (const v of ['', 'abc', '8 0', '-1', -1, 80.5, '80.5', null, true, {}, [80], '1e3']) expect(readCount(v), JSON.stringify(v)).toBeUndefined();
  });

  it('decodes the documented answer into the domain form', () => {
    const live = decodeAlarm({ alarm_cpu: '80', alarm_disk: '90', alarm_memory: '70', alarm_num: '100', alarm_risk: ['high', 'low'], alarm_switch: 'ON', alarm_topic_urn: TOPIC, smn_effective: true });
    expect(live.settings).toEqual({ enabled: 'ON', topic_urn: TOPIC, risk_levels: ['HIGH', 'LOW'], cpu: 80, disk: 90, memory: 70, daily_limit: 100 });
    expect(live.observations).toEqual([]);
  });

  it('reads risk levels in any case, in a comma-joined string, in any order, and says when they were not lower case', () => {
    const upper = decodeAlarm({ alarm_risk: ['LOW', 'High', ' medium '], alarm_switch: 'off' });
    expect(upper.settings['risk_levels']).toEqual(['HIGH', 'MEDIUM', 'LOW']);
    expect(upper.settings['enabled']).toBe('OFF');
    expect(upper.observations.some((o) => o.includes('not the documented lower case'))).toBe(true);
    expect(decodeAlarm({ alarm_risk: 'high,low' }).settings['risk_levels']).toEqual(['HIGH', 'LOW']);
    expect(decodeAlarm({ alarm_risk: null }).settings['risk_levels']).toEqual([]);
    expect(decodeAlarm({ alarm_risk: ['high'] }).observations).toEqual(expect.not.arrayContaining([expect.stringContaining('lower case')]));
  });

  it('reads a boolean switch, and smn_effective false given as a string', () => {
    expect(decodeAlarm({ alarm_switch: true }).settings['enabled']).toBe('ON');
    expect(decodeAlarm({ alarm_switch: false }).settings['enabled']).toBe('OFF');
    expect(decodeAlarm({ alarm_switch: ' on ' }).settings['enabled']).toBe('ON');
    const l = decodeAlarm({ smn_effective: 'false' });
    expect(l.observations.some((o) => o.startsWith('smn_effective is false'))).toBe(true);
    expect(l.learned).toEqual({ alarmSmnEffective: 'false' });
    expect(decodeAlarm({ smn_effective: true }).observations.some((o) => o.startsWith('smn_effective'))).toBe(false);
  });

  it('leaves what it cannot understand unread, and says so, without failing', () => {
    const live = decodeAlarm({ alarm_cpu: 'eighty', alarm_disk: null, alarm_memory: { v: 1 }, alarm_risk: ['high', 'critical'], alarm_switch: 'maybe', alarm_topic_urn: 42 });
    expect(live.settings).toEqual({});
    expect(live.observations).toEqual([
      'alarm_switch "maybe" not understood: not read',
      'alarm_topic_urn 42 is not a string: not read',
      'alarm_risk ["high","critical"] holds a risk level other than high, medium, low: not read',
      'alarm_cpu "eighty" is not a whole number: not read',
      'alarm_disk not answered: not read',
      'alarm_memory {"v":1} is not a whole number: not read',
      'alarm_num not answered: not read',
    ]);
    expect(decodeAlarm({ alarm_switch: 'x'.repeat(500) }).observations[0]).toBe(`alarm_switch "${'x'.repeat(78)}… not understood: not read`);
    for (const answer of [null, 'text', [1], 7]) {
      const l = decodeAlarm(answer);
      expect(l.settings).toEqual({});
      expect(l.observations[0]).toMatch(/not an object/);
    }
  });

  it('reads an absent, null or empty topic as no topic, and says when thresholds come as numbers or SMN is not effective', () => {
    for (const t of [undefined, null, '', '  ']) expect(decodeAlarm({ alarm_topic_urn: t }).settings['topic_urn']).toBeNull();
    const l = decodeAlarm({ alarm_cpu: 80, alarm_disk: '80', alarm_memory: '80', alarm_num: '5', alarm_switch: 'ON', smn_effective: false });
    expect(l.observations).toContain('thresholds read as numbers (documented as strings)');
    expect(l.observations.some((o) => o.startsWith('smn_effective is false'))).toBe(true);
  });
});

describe('what a read settles of the emulator readings (for probe)', () => {
  it('learns the case of risk levels, the form of thresholds and whether smn_effective is answered', () => {
    expect(decodeAlarm({ alarm_risk: ['high'], alarm_cpu: '80', alarm_disk: '1', alarm_memory: '2', alarm_num: '3', smn_effective: true }).learned).toEqual({ alarmRiskRead: 'lower', alarmThresholds: 'strings', alarmSmnEffective: 'true' });
    expect(decodeAlarm({ alarm_risk: ['HIGH', 'LOW'], alarm_cpu: 80, smn_effective: false }).learned).toEqual({ alarmRiskRead: 'upper', alarmThresholds: 'numbers', alarmSmnEffective: 'false' });
    expect(decodeAlarm({ alarm_risk: ['High', 'Medium'], alarm_cpu: ' 80', alarm_num: ' 4' }).learned).toEqual({ alarmRiskRead: 'title', alarmThresholds: 'padded', alarmSmnEffective: 'absent' });
    // nothing to tell from, or mixed forms: not learned
    expect(decodeAlarm({ alarm_risk: [], alarm_cpu: '80', alarm_disk: 80 }).learned).toEqual({ alarmSmnEffective: 'absent' });
    expect(decodeAlarm({ alarm_risk: ['high', 'LOW'] }).learned).toEqual({ alarmSmnEffective: 'absent' });
    expect(decodeAlarm({ alarm_risk: ['hIGH'] }).learned).toEqual({ alarmSmnEffective: 'absent' });
  });
});

describe('the set call body', () => {
  it('sends every required field as an integer, risk levels in lower case, the topic only when there is one', () => {
    const s = { enabled: 'ON', topic_urn: TOPIC, risk_levels: ['HIGH', 'MEDIUM'], cpu: 80, disk: 90, memory: 70, daily_limit: 100 } as const;
    expect(setBody(s)).toEqual({ alarm_cpu: 80, alarm_disk: 90, alarm_memory: 70, alarm_num: 100, alarm_switch: 'ON', alarm_risk: ['high', 'medium'], alarm_topic_urn: TOPIC });
    expect(setBody({ ...s, enabled: 'OFF', topic_urn: null, risk_levels: [] })).toEqual({ alarm_cpu: 80, alarm_disk: 90, alarm_memory: 70, alarm_num: 100, alarm_switch: 'OFF', alarm_risk: [] });
  });
});
