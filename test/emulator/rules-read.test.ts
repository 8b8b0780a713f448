import { describe, expect, it } from 'vitest';
import { call } from './helpers/call.js';
import { emulator, LEGACY, P1, P2, PCI, PROD, paths, ruleBody } from './helpers/fixtures.js';

const LIST_FIELDS = ['feature', 'id', 'name', 'rank', 'risk_level', 'rule_type', 'status', 'type'];

describe('rule lists', () => {
  it('new list: system and custom rules in rank order, only summary fields, total and customize_total', async () => {
    const emu = await emulator();
    const res = await call(emu.url, 'GET', paths.rulesNew(P1, PROD));
    expect(res.status).toBe(200);
    expect(res.json.total).toBe(8);
    expect(res.json.customize_total).toBe(4);
    const rules = res.json.rules as Record<string, unknown>[];
    expect(rules.map((r) => r.rank)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(rules.map((r) => r.rule_type)).toEqual(['SYSTEM', 'SYSTEM', 'SYSTEM', 'SYSTEM', 'CUSTOMIZE', 'CUSTOMIZE', 'CUSTOMIZE', 'CUSTOMIZE']);
    for (const rule of rules) expect(Object.keys(rule).sort()).toEqual(LIST_FIELDS);
    expect(rules[1]).toMatchObject({ name: 'Slow_SQL_detection', status: 'OFF', type: 'OPERATE', risk_level: 'HIGH' });
    expect(rules[5]).toMatchObject({ name: 'drop-table-in-prod', feature: 'CLIENT[10.0.0.0/8,192.168.1.10-192.168.1.20]OPERATE[DROP_TABLE,DROP_TABLESPACE]OBJECT[finance.ledger]' });
    expect(String(rules[0]!.id)).toMatch(/^[A-Za-z0-9]{20}$/);
  });

  it('new list pages with offset/limit and filters by fuzzy name and risk level', async () => {
    const emu = await emulator();
    const page = await call(emu.url, 'GET', `${paths.rulesNew(P1, PROD)}?offset=6&limit=5`);
    expect(page.json.rules.map((r: { name: string }) => r.name)).toEqual(['grant-outside-dba', 'legacy-export']);
    expect(page.json.total).toBe(8);
    const byName = await call(emu.url, 'GET', `${paths.rulesNew(P1, PROD)}?name=PROD`);
    expect(byName.json.rules.map((r: { name: string }) => r.name)).toEqual(['bulk-delete-prod', 'drop-table-in-prod']);
    expect(byName.json.total).toBe(2);
    const byLevel = await call(emu.url, 'GET', `${paths.rulesNew(P1, PROD)}?risk_levels=LOW`);
    expect(byLevel.json).toMatchObject({ total: 1, customize_total: 1, rules: [{ name: 'legacy-export' }] });
    const spaced = await call(emu.url, 'GET', `${paths.rulesNew(P1, PROD)}?name=${encodeURIComponent('drop table')}`);
    expect(spaced.json.total).toBe(0);
  });

  it('new list validates its query', async () => {
    const emu = await emulator();
    for (const q of ['limit=0', 'limit=1001', 'risk_levels=SEVERE', 'support_db_classify_rule=maybe']) {
      const res = await call(emu.url, 'GET', `${paths.rulesNew(P1, PROD)}?${q}`);
      expect(res.status, q).toBe(400);
      expect(res.json.error_code, q).toBe('DBSS.10000001');
    }
    expect((await call(emu.url, 'GET', `${paths.rulesNew(P1, PROD)}?limit=1000&support_db_classify_rule=true`)).status).toBe(200);
  });

  it('old list has no paging and answers errors nested', async () => {
    const emu = await emulator();
    const res = await call(emu.url, 'GET', `${paths.rulesOld(P1, PROD)}?limit=2`);
    expect(res.json.rules).toHaveLength(8);
    const bad = await call(emu.url, 'GET', paths.rulesOld(P1, 'x'.repeat(31)));
    expect(bad.status).toBe(400);
    expect(bad.json).toEqual({ error: { error_code: 'DBSS.10020021', error_msg: expect.stringContaining('instance_id') } });
  });

  it('an instance that is not ACTIVE refuses rule calls with a DBSS error', async () => {
    const emu = await emulator();
    const list = await call(emu.url, 'GET', paths.rulesNew(P1, LEGACY));
    expect(list.status).toBe(400);
    expect(list.json).toEqual({ error_code: 'DBSS.10000001', error_msg: expect.stringContaining('SHUTOFF') });
    const create = await call(emu.url, 'POST', paths.create(P1, LEGACY), { body: ruleBody('x') });
    expect(create.status).toBe(400);
    const unknownInstance = await call(emu.url, 'GET', paths.rulesNew(P1, PCI));
    expect(unknownInstance.json).toEqual({ error_code: 'DBSS.10020021', error_msg: expect.stringContaining('not found') });
  });
});

describe('show one rule', () => {
  it('v2 and v1 show the readable fields, never exception_ips or rule_type', async () => {
    const emu = await emulator();
    const created = await call(emu.url, 'POST', paths.create(P2, PCI), {
      body: ruleBody('pci-admin-login', { action: 'LOGIN', client_ips: '0.0.0.0/0', exception_ips: '10.8.0.0/16', risk_level: 'MEDIUM' }),
    });
    expect(created.json).toEqual({ status: 'SUCCESS' });
    const list = await call(emu.url, 'GET', `${paths.rulesNew(P2, PCI)}?name=pci-admin-login`);
    const id = list.json.rules[0].id as string;
    expect(list.json.rules[0]).toMatchObject({ type: 'LOGIN', rank: 5 });
    for (const path of [paths.showV2(P2, PCI, id), paths.showV1(P2, PCI, id)]) {
      const res = await call(emu.url, 'GET', path);
      expect(res.status).toBe(200);
      expect(res.json).toEqual({
        rule_id: id,
        rule_name: 'pci-admin-login',
        status: 'ON',
        action: 'LOGIN',
        schemas: [],
        rank: 5,
        ignore_case: false,
        risk_level: 'MEDIUM',
        db_ids: null,
        client_ips: '0.0.0.0/0',
        execution_symbol: 'GREATER_EQUAL',
        execution_time: 0,
        affect_symbol: 'GREATER_EQUAL',
        affect_rows: 0,
      });
    }
  });

  it('an unknown or malformed rule id is a 400 (flat on v2, nested on v1)', async () => {
    const emu = await emulator();
    const v2 = await call(emu.url, 'GET', paths.showV2(P1, PROD, 'AAAAAAAAAAAAAAAAAAAA'));
    expect(v2.status).toBe(400);
    expect(v2.json).toEqual({ error_code: 'DBSS.10020021', error_msg: expect.stringContaining('not found') });
    const v1 = await call(emu.url, 'GET', paths.showV1(P1, PROD, 'short'));
    expect(v1.status).toBe(400);
    expect(v1.json).toEqual({ error: { error_code: 'DBSS.10020021', error_msg: expect.stringContaining('16-64') } });
  });
});
