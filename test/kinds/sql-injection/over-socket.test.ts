import { objectChange } from '../../../src/plan/plan-kinds.js';
import { afterEach, describe, expect, it } from 'vitest';
import { applyKindChanges } from '../../../src/apply/apply-kinds.js';
import type { ChangeResult } from '../../../src/apply/types.js';
import type { DbssClient } from '../../../src/api/types.js';
import { DEFAULT_PROFILE, DEMO_INSTANCES, DEMO_PROJECTS, demoState, startEmulator, type Emulator, type OperationName } from '../../../src/emulator/index.js';
import type { Json } from '../../../src/kinds/kind.js';
import { EMULATED_SQL_INJECTION } from '../../../src/kinds/sql-injection/emulator.js';
import { SQL_INJECTION_KIND as kind } from '../../../src/kinds/sql-injection/index.js';
import { AK, SK, testClient } from '../../api/helpers/client.js';
import { converge, customsInOrder, desiredOf } from './cycle.js';

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

const RULES = [
  { name: `O'Brien "quoted"\nrule`, regex: "'\\s*or\\s*'1'='1", risk_level: 'HIGH' },
  { name: 'ünïcødé 规则 🚀', regex: '(?i)union\\s+select', risk_level: 'NO_RISK', status: 'OFF' },
  { name: '<b>&amp;</b>', regex: '^\\d{6}$', risk_level: 'LOW' },
];

const readings: [string, string | Record<string, string>][] = [
  ...Object.keys(EMULATED_SQL_INJECTION.profiles).map((name): [string, string] => [`profile ${name}`, name]),
  ...Object.entries(EMULATED_SQL_INJECTION.options).flatMap(([option, choices]) => choices.slice(1).map((v): [string, Record<string, string>] => [`${option}=${v}`, { [option]: v }])),
];

describe('SQL-injection rules through the client and the emulator over a socket', () => {
  it.each(readings)('converge under %s, hostile names surviving', async (_, profile) => {
    const { client } = await start(profile);
    const system = (await kind.read(client.kinds, TARGET)).objects.filter((o) => o.builtIn).map((o) => o.key);
    const { live } = await converge(kind, client.kinds, desiredOf(kind, { sql_injection_rules: RULES as Json, system_sql_injection_rules: { [system[0]!]: 'OFF' } }, true), TARGET);
    expect(live.objects.filter((o) => !o.builtIn).map((o) => [o.key, o.spec])).toEqual(expect.arrayContaining(RULES.map((r) => [r.name, { regex: r.regex, risk_level: r.risk_level, status: r.status ?? 'ON' }])));
    if (live.objects.some((o) => o.rank !== undefined)) expect(customsInOrder(live)).toEqual(RULES.map((r) => r.name));
    const reordered = [RULES[2]!, RULES[0]!, RULES[1]!];
    const again = await converge(kind, client.kinds, desiredOf(kind, { sql_injection_rules: reordered as Json }, true), TARGET);
    if (again.live.objects.some((o) => o.rank !== undefined)) expect(customsInOrder(again.live)).toEqual(reordered.map((r) => r.name));
  });

  it('converges at the client\'s default page size where the emulator refuses pages over 100', async () => {
    const { emulator, client } = await start({ sqlRuleSizeCap: '100-refused', sqlRulePageBase: '1' }, 1000);
    const { live } = await converge(kind, client.kinds, desiredOf(kind, { sql_injection_rules: RULES as Json }, true), TARGET);
    expect(customsInOrder(live)).toEqual(RULES.map((r) => r.name));
    expect(live.observations).toContain('pages of 1000 rules were refused (400 DBSS.10000001): pages of 100 asked');
    expect(emulator.log.some((e) => e.operation === 'ListSqlInjectionRulesNew' && e.status === 400)).toBe(true);
  });

  it('a no-change plan costs one list request', async () => {
    const { emulator, client } = await start('default', 1000);
    const desired = desiredOf(kind, { sql_injection_rules: RULES as Json }, false);
    await converge(kind, client.kinds, desired, TARGET);
    emulator.resetCounters();
    const plan = kind.plan(desired, await kind.read(client.kinds, TARGET));
    expect(plan.changes).toEqual([]);
    expect(emulator.log.map((e) => e.operation)).toEqual(['ListSqlInjectionRulesNew']);
  });

  it('creates once when the answer to a create is lost, and converges through 5xx answers', async () => {
    const { emulator, client } = await start('hostile');
    emulator.failNext('CreateAuditSqlRule' as OperationName, 'lost-response');
    emulator.failNext('SetSqlRuleRank' as OperationName, '502');
    emulator.failNext('ListSqlInjectionRulesNew' as OperationName, '500');
    await converge(kind, client.kinds, desiredOf(kind, { sql_injection_rules: RULES as Json }, false), TARGET);
    const creates = emulator.log.filter((e) => e.operation === 'CreateAuditSqlRule');
    expect(creates.length).toBe(RULES.length);
    const state = emulator.state.projects[TARGET.projectId]!.instances.find((i) => i.id === TARGET.instanceId)!;
    const stored = (state as unknown as { kinds: Record<string, { rules: { name: string }[] }> }).kinds['sql-injection-rule']!.rules.map((r) => r.name);
    for (const r of RULES) expect(stored.filter((n) => n === r.name)).toHaveLength(1);
  });

  it.each(['default', 'hostile', 'terse', 'system-pinned'])('applies through the engine (apply-kinds) under %s, with a lost create answer and a failed list, to an empty second plan', async (profile) => {
    const { emulator, client } = await start(profile);
    const desired = desiredOf(kind, { sql_injection_rules: RULES as Json }, true);
    const plan = kind.plan(desired, await kind.read(client.kinds, TARGET));
    const key = 'cn-north-4/payments/prod-audit';
    const changes = plan.changes.map((c) => objectChange(key, kind.name, c));
    emulator.failNext('CreateAuditSqlRule' as OperationName, 'lost-response');
    emulator.failNext('ListSqlInjectionRulesNew' as OperationName, '502');
    const results: ChangeResult[] = [];
    await applyKindChanges(changes, { key, region: 'cn-north-4', projectId: TARGET.projectId, instanceId: TARGET.instanceId }, client.kinds, { record: (r) => results.push(r) }, [kind]);
    expect(results.map((r) => [r.id.split('#')[1], r.outcome])).toEqual(changes.map((c) => [c.id.split('#')[1], 'applied']));
    expect(kind.plan(desired, await kind.read(client.kinds, TARGET)).changes).toEqual([]);
    expect(emulator.log.filter((e) => e.operation === 'CreateAuditSqlRule')).toHaveLength(RULES.length);
  });
});
