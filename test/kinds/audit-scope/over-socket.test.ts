import { afterEach, describe, expect, it } from 'vitest';
import type { DbssClient } from '../../../src/api/types.js';
import { DEFAULT_PROFILE } from '../../../src/emulator/api-profile.js';
import { demoState, DEMO_INSTANCES, DEMO_PROJECTS } from '../../../src/emulator/demo-state.js';
import type { Emulator } from '../../../src/emulator/options.js';
import { startEmulator } from '../../../src/emulator/start-emulator.js';
import { EMULATED_AUDIT_SCOPES } from '../../../src/kinds/audit-scope/emulator.js';
import { AUDIT_SCOPE_KIND as kind } from '../../../src/kinds/audit-scope/index.js';
import type { Json, KindTarget } from '../../../src/kinds/kind.js';
import { AK, SK, testClient } from '../../api/helpers/client.js';
import { applyOnce, desiredOf } from './harness.js';

/**
 * Audit scopes through the real client (`createDbssClient(...).kinds`: signing, retries, settle)
 * against the real emulator over a socket, under each reading of the open points and each named
 * profile, with lost answers: one apply converges, nothing is created twice, hostile names survive.
 */

const TARGET: KindTarget = { projectId: DEMO_PROJECTS.payments, instanceId: DEMO_INSTANCES.prodAudit };
const NAMES = ['quote "q" \'s', 'new\nline', 'ünï 审计 🚀'];

let emulator: Emulator | undefined;
let client: DbssClient | undefined;
afterEach(async () => {
  await client?.close();
  await emulator?.close();
  client = undefined;
  emulator = undefined;
});

async function start(profile: Parameters<typeof startEmulator>[0] extends infer O ? (O extends { profile?: infer P } ? P : never) : never): Promise<DbssClient> {
  emulator = await startEmulator({ state: demoState(), auth: { credentials: [{ ak: AK, sk: SK }], tokens: [] }, profile });
  client = testClient(emulator.url, { pageSize: 2 }).client;
  return client;
}

const readings: [string, Parameters<typeof start>[0]][] = [
  ...Object.entries(EMULATED_AUDIT_SCOPES.options).flatMap(([option, values]) => values.map((v): [string, Parameters<typeof start>[0]] => [`${option}=${v}`, { ...DEFAULT_PROFILE, kinds: { [option]: v } }])),
  ...Object.keys(EMULATED_AUDIT_SCOPES.profiles).map((name): [string, Parameters<typeof start>[0]] => [`profile ${name}`, name]),
];

describe('audit scopes over a socket', () => {
  it.each(readings)('%s: converges, hostile names survive', async (_, profile) => {
    const api = (await start(profile)).kinds;
    const absent = typeof profile === 'object' && profile.kinds?.scopeBuiltInName === 'absent';
    const first: { [k: string]: Json } = {
      audit_scopes: [
        { name: NAMES[0]!, db_users: ['app'], source_ports: [3306] },
        { name: NAMES[1]!, databases: { names: ['orders'] }, status: 'OFF' },
        { name: NAMES[2]!, exception_ips: ['10.0.0.9'] },
      ],
      ...(absent ? {} : { full_audit: 'OFF' }),
    };
    const one = await applyOnce(kind, { api }, desiredOf(kind, first, true), TARGET);
    expect(one.next.changes).toEqual([]);
    expect(one.live.objects.filter((o) => !o.builtIn).map((o) => o.key).sort()).toEqual([...NAMES].sort());

    const second: { [k: string]: Json } = {
      audit_scopes: [
        { name: NAMES[0]!, db_users: ['app', 'etl'], status: 'OFF' },
        { name: NAMES[1]!, databases: 'ALL' },
      ],
      ...(absent ? {} : { full_audit: 'ON' }),
    };
    const two = await applyOnce(kind, { api }, desiredOf(kind, second, true), TARGET);
    expect(two.next.changes).toEqual([]);
    expect(two.live.objects.filter((o) => !o.builtIn).map((o) => [o.key, o.spec.status])).toEqual(
      expect.arrayContaining([
        [NAMES[0], 'OFF'],
        [NAMES[1], 'ON'],
      ]),
    );
    expect(two.live.objects.filter((o) => !o.builtIn)).toHaveLength(2);
    expect(kind.plan(desiredOf(kind, kind.export(two.live), true), two.live).changes).toEqual([]);
  });

  it('lost and failed answers: retried or confirmed by reading back, nothing created twice', async () => {
    const api = (await start('hostile')).kinds;
    emulator!.failNext('CreateAuditScopeRule', 'lost-response');
    emulator!.failNext('SetAuditScopeRuleSwitch', 'reset');
    emulator!.failNext('UpdateAuditScopeRule', '500');
    const one = await applyOnce(kind, { api }, desiredOf(kind, { full_audit: 'OFF', audit_scopes: [{ name: 'a' }, { name: 'b', status: 'OFF' }] }), TARGET);
    expect(one.next.changes).toEqual([]);
    expect(emulator!.counters().faults).toBe(2);
    emulator!.failNext('UpdateAuditScopeRule', 'lost-response');
    const two = await applyOnce(kind, { api }, desiredOf(kind, { audit_scopes: [{ name: 'a', db_users: ['x'] }, { name: 'b', status: 'OFF' }] }), TARGET);
    expect(two.next.changes).toEqual([]);
    expect(two.live.objects.filter((o) => !o.builtIn).map((o) => o.key).sort()).toEqual(['a', 'b']);
    expect(emulator!.counters().faults).toBe(4);
  });
});
