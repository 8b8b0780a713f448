import { describe, expect, it } from 'vitest';
import { ALARM_KIND as kind } from '../../../src/kinds/alarm/index.js';
import { desiredOf, HOSTILE_TOPIC, liveOf, OTHER_TOPIC, place, TOPIC } from './harness.js';

const LIVE = { enabled: 'ON', topic_urn: TOPIC, risk_levels: ['HIGH', 'MEDIUM'], cpu: 80, disk: 90, memory: 70, daily_limit: 100 } as const;

describe('planning the alarm setting', () => {
  it('plans nothing when every declared field equals the live one (risk levels as a set)', () => {
    const p = kind.plan(desiredOf({ enabled: 'ON', risk_levels: ['MEDIUM', 'HIGH', 'HIGH'], cpu: 80 }), liveOf(LIVE));
    expect(p).toEqual({ changes: [], notes: [], problems: [] });
  });

  it('writes the whole setting: declared fields merged over the live ones, the kept ones named in a note', () => {
    const p = kind.plan(desiredOf({ memory: 60, risk_levels: ['HIGH', 'MEDIUM', 'LOW'] }), liveOf(LIVE));
    expect(p.problems).toEqual([]);
    expect(p.changes).toHaveLength(1);
    const c = p.changes[0]!;
    expect(c.op).toBe('set');
    expect(c.subject).toBe('alarms');
    expect(c.fields).toEqual([
      { field: 'risk_levels', before: ['HIGH', 'MEDIUM'], after: ['HIGH', 'MEDIUM', 'LOW'] },
      { field: 'memory', before: 70, after: 60 },
    ]);
    expect(c.payload).toEqual({ ...LIVE, risk_levels: ['HIGH', 'MEDIUM', 'LOW'], memory: 60 });
    expect(c.weakening).toEqual([]);
    expect(p.notes).toEqual([`kept live enabled ON, topic urn ${JSON.stringify(TOPIC)}, cpu 80, disk 90, daily limit 100 (not declared; the set call sends every field)`]);
  });

  it('stops with a problem when a required field is neither declared nor readable', () => {
    const p = kind.plan(desiredOf({ cpu: 70 }), liveOf({ enabled: 'OFF', topic_urn: null, risk_levels: [], disk: 80 }, ['alarm_memory "x" is not a whole number: not read']));
    expect(p.changes).toEqual([]);
    expect(p.problems).toEqual(['cannot write the alarm setting: the set call sends every field, and the live memory, daily_limit could not be read; declare them under alarms']);
    expect(p.notes).toEqual(['alarm_memory "x" is not a whole number: not read']);
    // declared, the unreadable values no longer matter
    const full = kind.plan(desiredOf({ cpu: 70, memory: 80, daily_limit: 50 }), liveOf({ enabled: 'OFF', topic_urn: null, risk_levels: [], disk: 80 }));
    expect(full.problems).toEqual([]);
    expect(full.changes[0]!.fields).toEqual([{ field: 'cpu', after: 70 }, { field: 'memory', after: 80 }, { field: 'daily_limit', after: 50 }]);
  });

  it('does not guess unreadable risk levels or topic (sending none would drop the live ones)', () => {
    const { risk_levels: _, ...noLevels } = LIVE;
    expect(kind.plan(desiredOf({ cpu: 60 }), liveOf(noLevels)).problems).toEqual(['cannot write the alarm setting: the set call sends every field, and the live risk_levels could not be read; declare it under alarms']);
    const { topic_urn: __, ...noTopic } = LIVE;
    expect(kind.plan(desiredOf({ cpu: 60 }), liveOf(noTopic)).problems).toEqual(['cannot write the alarm setting: the set call sends every field, and the live topic_urn could not be read; declare it under alarms']);
    expect(kind.plan(desiredOf({ cpu: 60, topic_urn: TOPIC, risk_levels: [] }), liveOf({ ...noTopic, risk_levels: undefined as never })).changes[0]!.payload).toMatchObject({ topic_urn: TOPIC, risk_levels: [] });
  });

  it('stops when alarms would be ON without a topic', () => {
    const p = kind.plan(desiredOf({ enabled: 'ON' }), liveOf({ ...LIVE, enabled: 'OFF', topic_urn: null }));
    expect(p.problems).toEqual(['alarms ON need an SMN topic, and none is set live: declare alarms.topic_urn']);
    expect(kind.plan(desiredOf({ enabled: 'ON', topic_urn: TOPIC }), liveOf({ ...LIVE, enabled: 'OFF', topic_urn: null })).problems).toEqual([]);
  });

  it('says what weakens alarms: switched off, fewer levels, higher thresholds, fewer a day, the topic removed', () => {
    const weak = (alarms: Record<string, unknown>, live: Record<string, unknown> = LIVE) => kind.plan(desiredOf(alarms as never), liveOf(live as never)).changes[0]?.weakening;
    expect(weak({ enabled: 'OFF' })).toEqual(['alarms switched OFF']);
    expect(weak({ risk_levels: ['HIGH'] })).toEqual(['no more alarms at risk level MEDIUM']);
    expect(weak({ cpu: 81, disk: 89 })).toEqual(['cpu alarm threshold raised 80% → 81%']);
    expect(weak({ memory: 95 })).toEqual(['memory alarm threshold raised 70% → 95%']);
    expect(weak({ daily_limit: 99 })).toEqual(['fewer alarms a day 100 → 99']);
    expect(weak({ enabled: 'OFF', topic_urn: null })).toEqual(['alarms switched OFF', 'the SMN topic removed (alarms have nowhere to go)']);
    expect(weak({ enabled: 'OFF' }, { ...LIVE, enabled: undefined })).toEqual(['alarms switched OFF (their live state was not read)']);
    // strengthening and neutral changes
    expect(weak({ cpu: 50, daily_limit: 500, risk_levels: ['HIGH', 'MEDIUM', 'LOW'], topic_urn: OTHER_TOPIC })).toEqual([]);
    expect(weak({ enabled: 'ON' }, { ...LIVE, enabled: 'OFF' })).toEqual([]);
  });

  it('a change is shown done only when the read shows every field sent', () => {
    const c = kind.plan(desiredOf({ cpu: 60 }), liveOf(LIVE)).changes[0]!;
    expect(kind.shows(c, liveOf({ ...LIVE, cpu: 60 }))).toBe(true);
    expect(kind.shows(c, liveOf({ ...LIVE, cpu: 60, risk_levels: ['MEDIUM', 'HIGH'] }))).toBe(true);
    expect(kind.shows(c, liveOf(LIVE))).toBe(false);
    expect(kind.shows(c, liveOf({ ...LIVE, cpu: 60, disk: 91 }))).toBe(false);
    const { memory: _, ...unread } = LIVE;
    expect(kind.shows(c, liveOf({ ...unread, cpu: 60 }))).toBe(false);
  });
});

describe('declaring alarms', () => {
  it('takes each field from the last place that sets it, with where it is declared', () => {
    const d = kind.desired(
      [place({ alarms: { enabled: 'ON', risk_levels: ['LOW', 'HIGH'], cpu: 80 } }, 'sets/baseline.yaml', 'baseline'), place({ alarms: { topic_urn: TOPIC, cpu: 70 } }, 'entry.yaml')],
      false,
    )!;
    expect(Object.fromEntries(Object.entries(d.settings).map(([k, v]) => [k, v.value]))).toEqual({ enabled: 'ON', risk_levels: ['HIGH', 'LOW'], cpu: 70, topic_urn: TOPIC });
    expect(d.settings['enabled']!.source).toEqual({ file: 'sets/baseline.yaml', line: 3, col: 1, ruleSet: 'baseline', appliedAt: { file: 'entry.yaml', line: 9, col: 3 } });
    expect(d.settings['cpu']!.source).toEqual({ file: 'entry.yaml', line: 3, col: 1 });
    expect(kind.desired([place({})], false)).toBeUndefined();
    expect(kind.desired([place({ alarms: {} })], true)).toBeUndefined();
    expect(kind.desired([place({ alarms: { cpu: 1 } })], true)!.prune).toBe(true);
    // the change names where its first differing field is declared
    const c = kind.plan(d, liveOf({ ...LIVE, enabled: 'OFF' })).changes[0]!;
    expect(c.source).toEqual(d.settings['enabled']!.source);
  });

  it('checks the topic is an SMN topic URN, that ON keeps a topic, and warns of a 0 the API may refuse', () => {
    expect(kind.check!({ alarms: { enabled: 'ON', topic_urn: TOPIC, cpu: 80 } })).toEqual([]);
    expect(kind.check!({ alarms: null })).toEqual([]);
    expect(kind.check!({ alarms: [] })).toEqual([]);
    expect(kind.check!({ alarms: { enabled: 'OFF', topic_urn: null, cpu: 100 } })).toEqual([]);
    for (const bad of ['arn:aws:sns:us-east-1:123:x', 'urn:smn:cn-north-4:short:topic', `urn:smn:cn-north-4:${'a'.repeat(32)}:-starts-with-dash`, `urn:smn:north:${'a'.repeat(32)}:t`, `urn:smn:cn-north-4:${'a'.repeat(32)}:a b`, HOSTILE_TOPIC]) {
      const f = kind.check!({ alarms: { topic_urn: bad } });
      expect(f, bad).toEqual([{ path: ['alarms', 'topic_urn'], message: expect.stringContaining('is not an SMN topic URN (urn:smn:{region}:{project_id}:{topic}') }]);
    }
    expect(kind.check!({ alarms: { enabled: 'ON', topic_urn: null } })).toEqual([
      { path: ['alarms', 'topic_urn'], message: 'alarms are ON but the topic is removed: DBSS needs a topic to send alarms to while they are ON' },
    ]);
    expect(kind.check!({ alarms: { cpu: 0, daily_limit: 0, disk: 1 } })).toEqual([
      { path: ['alarms', 'cpu'], message: expect.stringContaining('cpu 0: whether DBSS accepts 0 is not documented'), warning: true },
      { path: ['alarms', 'daily_limit'], message: expect.stringContaining('daily_limit 0'), warning: true },
    ]);
  });
});

describe('exporting alarms', () => {
  it('writes every field read, and plans nothing against the same live state', () => {
    const live = liveOf({ ...LIVE, risk_levels: ['LOW'] });
    const y = kind.export(live);
    expect(y).toEqual({ alarms: { ...LIVE, risk_levels: ['LOW'] } });
    expect(kind.plan(desiredOf(y['alarms'] as never), live).changes).toEqual([]);
  });

  it('leaves out what was not read, no topic and a topic no policy could declare; still an empty plan', () => {
    for (const live of [liveOf({ enabled: 'OFF', topic_urn: null, risk_levels: [], cpu: 80 }), liveOf({ ...LIVE, topic_urn: HOSTILE_TOPIC })]) {
      const y = kind.export(live);
      expect(y['alarms']).not.toHaveProperty('topic_urn');
      expect(kind.check!(y)).toEqual([]);
      expect(kind.plan(desiredOf(y['alarms'] as never), live)).toEqual({ changes: [], notes: [], problems: [] });
    }
    expect(kind.export(liveOf({}))).toEqual({});
  });
});
