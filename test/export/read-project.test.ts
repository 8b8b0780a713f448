import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditInstance, DbssClient } from '../../src/api/types.js';
import { DEMO_INSTANCES, DEMO_PROJECTS, demoState, startEmulator } from '../../src/emulator/index.js';
import type { Emulator } from '../../src/emulator/index.js';
import { readProjectExport } from '../../src/export/read-project.js';
import { instanceRef, selectInstances } from '../../src/export/select-instances.js';
import { AK, SK, testClient } from '../api/helpers/client.js';
import { storedRule } from './odd-state.js';

const PAYMENTS = { region: 'cn-north-4', projectId: DEMO_PROJECTS.payments };

let emulator: Emulator;
let client: DbssClient;
beforeEach(async () => {
  emulator = await startEmulator({ state: demoState(), auth: { credentials: [{ ak: AK, sk: SK }], tokens: [] } });
  client = testClient(emulator.url).client;
});
afterEach(async () => {
  await client.close();
  await emulator.close();
});

describe('readProjectExport', () => {
  it('reads every ACTIVE instance of the project, its rules in rank order, and both summary tasks', async () => {
    const p = await readProjectExport(client, { ...PAYMENTS, instances: [] });
    expect(p.instances.map((i) => [i.name, i.ref])).toEqual([
      ['prod-audit', 'name'],
      ['staging-audit', 'name'],
    ]);
    const prod = p.instances[0]!;
    expect(prod.systemRules).toEqual([
      { name: 'Database_drag_detection', status: 'ON' },
      { name: 'Slow_SQL_detection', status: 'OFF' },
      { name: 'Batch_data_tampering_detection', status: 'ON' },
      { name: 'Batch_data_deletion_detection', status: 'ON' },
    ]);
    expect(prod.riskRules.map((r) => r.name)).toEqual(['bulk-delete-prod', 'drop-table-in-prod', 'grant-outside-dba', 'legacy-export']);
    expect(prod.riskRules[1]).toMatchObject({ clientIps: ['10.0.0.0/8', '192.168.1.10-192.168.1.20'], schemas: [{ schema: 'finance', table: 'ledger' }] });
    expect(p.summaryTasks).toEqual([
      { busiType: 'risk', enabled: false },
      { busiType: 'audit', enabled: false },
    ]);
    expect(p.notes).toEqual([`instance "legacy-audit" (${DEMO_INSTANCES.legacyAudit}) is SHUTOFF: its rules cannot be read, so it is not exported`]);
    // One list per ACTIVE instance, one show per custom rule; the SHUTOFF instance is not touched.
    expect(emulator.counters().byOperation).toMatchObject({ ListAuditRuleRisksNew: 2, ShowAuditRuleRiskNew: 6, ShowAuditTaskStatus: 2 });
  });

  it('leaves out, with a note, rules a policy could not name unambiguously', async () => {
    const prod = emulator.state.projects[DEMO_PROJECTS.payments]!.instances[0]!;
    prod.rules.push(
      storedRule({ name: 'bulk-delete-prod', riskLevel: 'LOW' }),
      storedRule({ name: 'Slow_SQL_detection' }),
      { ...storedRule({ name: 'Brand_new_detection' }), ruleType: 'SYSTEM' },
    );
    const p = await readProjectExport(client, { ...PAYMENTS, instances: ['prod-audit'] });
    const exported = p.instances[0]!;
    expect(exported.riskRules.map((r) => r.name)).toEqual(['bulk-delete-prod', 'drop-table-in-prod', 'grant-outside-dba', 'legacy-export']);
    expect(exported.riskRules[0]!.riskLevel).toBe('HIGH');
    // System rule names come from the live list (the policy format takes any name now), so an
    // unknown system rule is exported like the known ones.
    expect(exported.systemRules).toContainEqual({ name: 'Brand_new_detection', status: 'ON' });
    expect(exported.notes).toEqual([
      expect.stringMatching(/^custom rule bulk-delete-prod \(id oddrule\d+\) has the name of another rule of the instance; not exported/),
      expect.stringMatching(/^custom rule Slow_SQL_detection \(id oddrule\d+\) has the name of another rule/),
    ]);
  });

  it('leaves out, with a note, a custom rule whose id cannot be sent and one listed with an unknown rule_type (issue 18)', async () => {
    await emulator.close();
    emulator = await startEmulator({ state: demoState(), auth: { credentials: [{ ak: AK, sk: SK }], tokens: [] }, hostileAnswers: { builtInType: true } });
    await client.close();
    client = testClient(emulator.url).client;
    const prod = emulator.state.projects[DEMO_PROJECTS.payments]!.instances[0]!;
    prod.rules.push({ ...storedRule({ name: 'hostile' }), id: 'hostile0000000001,x' });
    const p = await readProjectExport(client, { ...PAYMENTS, instances: ['prod-audit'] });
    const exported = p.instances[0]!;
    expect(exported.riskRules.map((r) => r.name)).toEqual(['bulk-delete-prod', 'drop-table-in-prod', 'grant-outside-dba', 'legacy-export']);
    expect(exported.systemRules).toEqual([]);
    expect(exported.notes).toContain('custom rule hostile: unusable rule id "hostile0000000001,x": it contains the batch separator ","; not exported (the tool leaves it alone)');
    expect(exported.notes).toContainEqual(expect.stringMatching(/^rule Slow_SQL_detection \(id \w+\) is listed with a rule_type that is neither SYSTEM nor CUSTOMIZE; not exported$/));
  });

  it('omits a summary task that cannot be read, with a note saying why', async () => {
    emulator.failNext('ShowAuditTaskStatus', 'failed');
    const p = await readProjectExport(client, { ...PAYMENTS, instances: ['staging-audit'] });
    expect(p.summaryTasks).toHaveLength(1);
    expect(p.notes).toEqual([expect.stringMatching(/^summary task (risk|audit) is not exported: reading it failed: .*DBSS\.10020102/)]);
  });

  it('names the instance when reading its rules fails, and exports nothing', async () => {
    emulator.failNext('ShowAuditRuleRiskNew', 'failed');
    const read = readProjectExport(client, { ...PAYMENTS, instances: ['staging-audit'] });
    await expect(read).rejects.toThrow(new RegExp(`^reading instance "staging-audit" \\(${DEMO_INSTANCES.stagingAudit}\\): GET /v2/`));
  });
});

const listed = (name: string, id: string, status = 'ACTIVE'): AuditInstance => ({ id, name, status });

describe('selectInstances', () => {
  const all = [listed('a', 'id-a'), listed('twin', 'id-t1'), listed('twin', 'id-t2'), listed('b', 'id-b', 'SHUTOFF')];

  it('takes names and ids, each instance once, in the order given; none means all', () => {
    expect(selectInstances(all, ['b', 'id-a', 'a', 'id-t2'], 'p').map((i) => i.id)).toEqual(['id-b', 'id-a', 'id-t2']);
    expect(selectInstances(all, [], 'p')).toEqual(all);
  });

  it('reports every unknown and ambiguous argument in one error', () => {
    expect(() => selectInstances(all, ['nope', 'twin', 'a'], 'project X (r)')).toThrow(
      '--instance nope: no instance with that name or id in project X (r)\n' +
        '--instance twin: 2 instances have that name in project X (r) (ids id-t1, id-t2); give the id instead',
    );
  });
});

describe('instanceRef', () => {
  it('refers by name only when the name is unique in the project and valid in a policy', () => {
    const others = [listed('twin', '1'), listed('twin', '2'), listed(' padded', '3'), listed('', '4'), listed('x'.repeat(256), '5'), listed('ok', '6')];
    expect(others.map((i) => instanceRef(i, others))).toEqual(['id', 'id', 'id', 'id', 'id', 'name']);
  });
});
