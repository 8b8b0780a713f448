import { describe, expect, it } from 'vitest';
import { generateState } from '../../src/emulator/index.js';
import { call } from './helpers/call.js';
import { emulator, P1, P2 } from './helpers/fixtures.js';

describe('instance lists', () => {
  it('v1 new lists instances as the SDK model ResponseAuditV2: keyed instance_id, IPv6 address connectIpv6', async () => {
    const emu = await emulator();
    const res = await call(emu.url, 'GET', `/v1/${P1}/audit/instances`);
    expect(res.status).toBe(200);
    expect(res.json.total).toBe(3);
    expect(res.json.servers).toBeUndefined();
    expect(res.json.instances.map((s: { name: string }) => s.name)).toEqual(['prod-audit', 'staging-audit', 'legacy-audit']);
    const legacy = res.json.instances[2];
    expect(legacy).toMatchObject({ instance_id: '7b4d9e2a1c3f6a5b0d8e4f3c2a1b0d9e', status: 'SHUTOFF', region: 'cn-north-4', charge_model: 'Period', subnet_id: expect.any(String) });
    expect(legacy).toHaveProperty('connectIpv6');
    for (const key of ['id', 'connect_ipv6', 'chargeModel']) expect(legacy).not.toHaveProperty(key);
  });

  it('v2 lists instances as the SDK model AuditInstanceBean: keyed id, snake_case throughout', async () => {
    const emu = await emulator();
    const res = await call(emu.url, 'GET', `/v2/${P1}/audit/instances`);
    expect(res.status).toBe(200);
    expect(res.json.total).toBe(3);
    const legacy = res.json.instances[2];
    expect(legacy).toMatchObject({ id: '7b4d9e2a1c3f6a5b0d8e4f3c2a1b0d9e', status: 'SHUTOFF', charge_model: 'Period', connect_ipv6: '', supported_feature: [] });
    for (const key of ['instance_id', 'connectIpv6', 'chargeModel']) expect(legacy).not.toHaveProperty(key);
  });

  it('the old v1 list returns everything without paging, as the SDK model AuditInstanceListBean (snake_case)', async () => {
    const emu = await emulator();
    const res = await call(emu.url, 'GET', `/v1/${P2}/dbss/audit/instances`);
    expect(res.status).toBe(200);
    expect(res.json.total).toBe(2);
    const bean = res.json.servers[0];
    for (const key of ['charge_model', 'config_num', 'remain_days', 'subnet_id', 'connect_ipv6']) expect(bean).toHaveProperty(key);
    expect(bean).not.toHaveProperty('chargeModel');
    expect(bean.name).toBe('pci-audit');
  });

  it('servers-list keeps the earlier answers: both new lists servers keyed id, the old list with five camelCase fields', async () => {
    const emu = await emulator({ profile: 'servers-list' });
    for (const path of [`/v1/${P1}/audit/instances`, `/v2/${P1}/audit/instances`]) {
      const res = await call(emu.url, 'GET', path);
      expect(res.json.instances).toBeUndefined();
      expect(res.json.servers[2]).toMatchObject({ id: '7b4d9e2a1c3f6a5b0d8e4f3c2a1b0d9e', charge_model: 'Period', connect_ipv6: '' });
    }
    const bean = (await call(emu.url, 'GET', `/v1/${P2}/dbss/audit/instances`)).json.servers[0];
    for (const key of ['chargeModel', 'configNum', 'remainDays', 'subnetId', 'connectIpv6']) expect(bean).toHaveProperty(key);
    expect(bean).not.toHaveProperty('charge_model');
  });

  it('pages with offset and limit (offset counts records) and reports the full total', async () => {
    const state = generateState({ projects: 1, instancesPerProject: 7, rulesPerInstance: 0, seed: 3 });
    const project = Object.keys(state.projects)[0]!;
    const emu = await emulator({ state });
    const names: string[] = [];
    for (let offset = 0; offset < 7; offset += 3) {
      const res = await call(emu.url, 'GET', `/v1/${project}/audit/instances?offset=${offset}&limit=3`);
      expect(res.json.total).toBe(7);
      names.push(...res.json.instances.map((s: { name: string }) => s.name));
    }
    expect(names).toEqual(['audit-1-1', 'audit-1-2', 'audit-1-3', 'audit-1-4', 'audit-1-5', 'audit-1-6', 'audit-1-7']);
    const defaultPage = await call(emu.url, 'GET', `/v2/${project}/audit/instances`);
    expect(defaultPage.json.instances).toHaveLength(7);
  });

  it('validates limit (1-1000) and offset with a flat 400 on the new paths', async () => {
    const emu = await emulator();
    for (const query of ['limit=0', 'limit=1001', 'offset=-1', 'limit=abc']) {
      const res = await call(emu.url, 'GET', `/v1/${P1}/audit/instances?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.json).toEqual({ error_code: 'DBSS.10000001', error_msg: expect.stringMatching(/limit|offset/) });
    }
    expect((await call(emu.url, 'GET', `/v2/${P1}/audit/instances?limit=1000`)).status).toBe(200);
  });

  it('rejects a malformed project id: flat on new paths, nested on the old one', async () => {
    const emu = await emulator();
    const flat = await call(emu.url, 'GET', '/v1/short/audit/instances');
    expect(flat.status).toBe(400);
    expect(flat.json).toEqual({ error_code: 'DBSS.10020021', error_msg: expect.stringContaining('project_id') });
    const nested = await call(emu.url, 'GET', '/v1/short/dbss/audit/instances');
    expect(nested.status).toBe(400);
    expect(nested.json).toEqual({ error: { error_code: 'DBSS.10020021', error_msg: expect.stringContaining('project_id') } });
  });

  it('lists no instances for a project it does not know', async () => {
    const emu = await emulator();
    const res = await call(emu.url, 'GET', `/v1/${'a'.repeat(32)}/audit/instances`);
    expect(res.json).toEqual({ instances: [], total: 0 });
  });
});
