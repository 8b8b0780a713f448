import { afterEach, describe, expect, it } from 'vitest';
import type { DbssClient } from '../../../src/api/types.js';
import { DEFAULT_PROFILE, DEMO_INSTANCES, DEMO_PROJECTS, demoState, startEmulator, type Emulator, type OperationName } from '../../../src/emulator/index.js';
import type { Json } from '../../../src/kinds/kind.js';
import { EMULATED_WHITELIST } from '../../../src/kinds/whitelist/emulator.js';
import { WHITELIST_KIND as kind } from '../../../src/kinds/whitelist/index.js';
import { AK, SK, testClient } from '../../api/helpers/client.js';
import { converge, desiredOf, specs } from './cycle.js';

const TARGET = { projectId: DEMO_PROJECTS.payments, instanceId: DEMO_INSTANCES.prodAudit };

let emulator: Emulator | undefined;
let client: DbssClient | undefined;
afterEach(async () => {
  await client?.close();
  await emulator?.close();
  client = undefined;
  emulator = undefined;
});

async function start(profile: string | Record<string, string>, pageSize = 4): Promise<{ emulator: Emulator; client: DbssClient }> {
  emulator = await startEmulator({
    state: demoState(),
    auth: { credentials: [{ ak: AK, sk: SK }], tokens: [] },
    profile: typeof profile === 'string' ? profile : { ...DEFAULT_PROFILE, kinds: profile },
  });
  client = testClient(emulator.url, { pageSize }).client;
  return { emulator, client };
}

const ENTRIES = [
  { sql: `SELECT * FROM t WHERE name = 'O''Brien' AND note = "say \\"hi\\""`, databases: ['db-1'], description: `O'Brien "quoted"\nnote` },
  { sql: "SELECT 'first line\nsecond  line'\n  FROM dual", enabled: false },
  { sql: "SELECT * FROM 规则 WHERE ünï = 'ü 🚀'", description: '<b>&amp;</b> ${x}' },
];

const readings: [string, string | Record<string, string>][] = [
  ...Object.keys(EMULATED_WHITELIST.profiles).map((name): [string, string] => [`profile ${name}`, name]),
  ...Object.entries(EMULATED_WHITELIST.options).flatMap(([option, choices]) => choices.slice(1).map((v): [string, Record<string, string>] => [`${option}=${v}`, { [option]: v }])),
];

describe('the whitelist through the client and the emulator over a socket', () => {
  it.each(readings)('converges under %s, hostile SQL texts surviving', async (_, profile) => {
    const { client } = await start(profile);
    const { live } = await converge(kind, client.kinds, desiredOf(kind, { sql_whitelist: ENTRIES as unknown as Json }, true), TARGET);
    expect(specs(live)).toEqual({
      [ENTRIES[0]!.sql]: { databases: ['db-1'], description: ENTRIES[0]!.description, enabled: true },
      "SELECT 'first line\nsecond  line' FROM dual": { databases: [], description: '', enabled: false },
      [ENTRIES[2]!.sql]: { databases: [], description: ENTRIES[2]!.description, enabled: true },
    });
    const renamed = [{ ...ENTRIES[0]!, sql: `${ENTRIES[0]!.sql} LIMIT 1` }, ENTRIES[2]!];
    const again = await converge(kind, client.kinds, desiredOf(kind, { sql_whitelist: renamed as unknown as Json }, true), TARGET);
    expect(Object.keys(specs(again.live)).sort()).toEqual(renamed.map((e) => e.sql).sort());
  });

  it('a no-change plan costs the list pages only: ceil(n / limit), limit capped at 100', async () => {
    const { emulator, client } = await start('default', 1000);
    const desired = desiredOf(kind, { sql_whitelist: Array.from({ length: 250 }, (_, i) => ({ sql: `SELECT ${i} FROM t` })) }, false);
    await converge(kind, client.kinds, desired, TARGET);
    emulator.resetCounters();
    const plan = kind.plan(desired, await kind.read(client.kinds, TARGET));
    expect(plan.changes).toEqual([]);
    expect(emulator.log.map((e) => e.operation)).toEqual(['ListWhitelists', 'ListWhitelists', 'ListWhitelists']);
  });

  it('adds once when the answer to a batch add is lost, and converges through 5xx answers', async () => {
    const { emulator, client } = await start('hostile');
    emulator.failNext('BatchAddAuditWhitelist' as OperationName, 'lost-response');
    emulator.failNext('DeleteAuditWhitelist' as OperationName, '502');
    emulator.failNext('ListWhitelists' as OperationName, '500');
    await converge(kind, client.kinds, desiredOf(kind, { sql_whitelist: ENTRIES as unknown as Json }, false), TARGET);
    await converge(kind, client.kinds, desiredOf(kind, { sql_whitelist: [ENTRIES[1]!] as unknown as Json }, true), TARGET);
    const adds = emulator.log.filter((e) => e.operation === 'BatchAddAuditWhitelist');
    expect(adds).toHaveLength(1);
    const state = emulator.state.projects[TARGET.projectId]!.instances.find((i) => i.id === TARGET.instanceId)!;
    const stored = (state as unknown as { kinds: Record<string, { entries: { sql: string }[] }> }).kinds['whitelist']!.entries.map((e) => e.sql);
    expect(stored).toEqual(["SELECT 'first line\nsecond  line' FROM dual"]);
  });
});
