import { afterEach, describe, expect, it } from 'vitest';
import { DbssApiError } from '../../../src/api/errors.js';
import type { DbssClient } from '../../../src/api/types.js';
import { applyKindChanges } from '../../../src/apply/apply-kinds.js';
import type { ChangeResult } from '../../../src/apply/types.js';
import { DEFAULT_PROFILE, DEMO_INSTANCES, DEMO_PROJECTS, demoState, startEmulator, type Emulator } from '../../../src/emulator/index.js';
import { ALARM_KIND as kind } from '../../../src/kinds/alarm/index.js';
import type { KindChangeDraft } from '../../../src/kinds/kind.js';
import type { ObjectChange } from '../../../src/plan/types.js';
import { AK, SK, testClient } from '../../api/helpers/client.js';
import { converge, desiredOf, HOSTILE_TOPIC, READINGS } from './harness.js';

const TARGET = { projectId: DEMO_PROJECTS.payments, instanceId: DEMO_INSTANCES.prodAudit };
const TOPIC = `urn:smn:cn-north-4:${DEMO_PROJECTS.payments}:dbss-alarms`;
const FULL = { enabled: 'ON', topic_urn: TOPIC, risk_levels: ['HIGH', 'MEDIUM', 'LOW'], cpu: 85, disk: 90, memory: 75, daily_limit: 50 } as const;

let emulator: Emulator | undefined;
let client: DbssClient | undefined;
afterEach(async () => {
  await client?.close();
  await emulator?.close();
  client = emulator = undefined;
});

async function start(options: Record<string, string>): Promise<{ emulator: Emulator; client: DbssClient }> {
  emulator = await startEmulator({ state: demoState(), auth: { credentials: [{ ak: AK, sk: SK }], tokens: [] }, profile: { ...DEFAULT_PROFILE, kinds: options } });
  client = testClient(emulator.url).client;
  return { emulator, client };
}

/** The alarm state the emulator keeps for the target instance. */
const alarmState = (emu: Emulator): Record<string, unknown> =>
  emu.state.projects[TARGET.projectId]!.instances.find((i) => i.id === TARGET.instanceId)!.kinds!['alarm'] as Record<string, unknown>;

/** Applies drafts through the engine's apply of kinds (write, read back, `shows`). */
async function apply(c: DbssClient, drafts: readonly KindChangeDraft[]): Promise<ChangeResult[]> {
  const results: ChangeResult[] = [];
  const changes: ObjectChange[] = drafts.map((d) => ({ id: `t#alarm:${d.op}:${d.subject}`, target: 't', kind: 'object', objectKind: 'alarm', op: d.op, subject: d.subject, payload: d.payload, ...(d.fields ? { fields: d.fields } : {}), review: { weakening: false, reasons: [] } }));
  await applyKindChanges(changes, { key: 't', region: 'cn-north-4', projectId: TARGET.projectId, instanceId: TARGET.instanceId }, c.kinds, { record: (r) => results.push(r) });
  return results;
}

describe('alarm notification through the client and the emulator over a socket', () => {
  it.each(READINGS)('converges under %s, a hostile live topic kept as it is', async (_, options) => {
    const { emulator, client } = await start(options);
    const first = options['alarmSmnEffective'] === 'false' ? { ...FULL, enabled: 'OFF' } : FULL;
    await converge(client.kinds, desiredOf(first), TARGET);
    alarmState(emulator)['topic'] = HOSTILE_TOPIC;
    const { live } = await converge(client.kinds, desiredOf({ disk: 70 }), TARGET);
    expect(live.settings).toEqual({ ...first, topic_urn: HOSTILE_TOPIC, disk: 70 });
    const sets = emulator.log.filter((e) => e.operation === 'SetAlarmTopicConfigInfoNew');
    expect(sets.map((e) => e.status)).toEqual([200, 200]);
  });

  it('a no-change plan costs one read', async () => {
    const { emulator, client } = await start({});
    await converge(client.kinds, desiredOf(FULL), TARGET);
    emulator.resetCounters();
    expect(kind.plan(desiredOf(FULL), await kind.read(client.kinds, TARGET)).changes).toEqual([]);
    expect(emulator.log.map((e) => e.operation)).toEqual(['ListAlarmTopicConfigInfoNew']);
  });

  it('an answer {"status":"fail"} is a failure, and apply reports the change failed', async () => {
    const { emulator, client } = await start({ alarmSmnEffective: 'false' });
    const live = await kind.read(client.kinds, TARGET);
    expect(live.observations.some((o) => o.startsWith('smn_effective is false'))).toBe(true);
    const plan = kind.plan(desiredOf(FULL), live);
    expect(plan.notes.some((n) => n.startsWith('smn_effective is false'))).toBe(true);
    const err = await client.kinds.write(TARGET, { operation: 'SetAlarmTopicConfigInfoNew', method: 'POST', path: '/v2/{project_id}/audit/{instance_id}/alarm/topic', body: { alarm_cpu: 1, alarm_disk: 1, alarm_memory: 1, alarm_num: 1, alarm_switch: 'ON', alarm_topic_urn: TOPIC } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DbssApiError);
    expect((err as Error).message).toContain('"fail"');
    const [r] = await apply(client, plan.changes);
    expect(r).toMatchObject({ outcome: 'failed', detail: expect.stringContaining('"fail"') });
    expect(emulator.log.filter((e) => e.operation === 'SetAlarmTopicConfigInfoNew').length).toBe(2);
  });

  it('a lost answer to the set is decided by reading back; 5xx answers are retried', async () => {
    const { emulator, client } = await start({ alarmThresholds: 'padded', alarmRiskRead: 'upper' });
    const plan = kind.plan(desiredOf(FULL), await kind.read(client.kinds, TARGET));
    emulator.failNext('SetAlarmTopicConfigInfoNew', 'lost-response');
    const [lost] = await apply(client, plan.changes);
    expect(lost!.outcome).toBe('applied');
    emulator.failNext('SetAlarmTopicConfigInfoNew', '502');
    emulator.failNext('ListAlarmTopicConfigInfoNew', '500');
    const again = kind.plan(desiredOf({ ...FULL, cpu: 50 }), await kind.read(client.kinds, TARGET));
    const [retried] = await apply(client, again.changes);
    expect(retried).toMatchObject({ outcome: 'applied', detail: 'confirmed by a read' });
    expect(kind.plan(desiredOf({ ...FULL, cpu: 50 }), await kind.read(client.kinds, TARGET)).changes).toEqual([]);
  });
});
