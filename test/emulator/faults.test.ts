import { describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator/index.js';
import { call } from './helpers/call.js';
import { emulator, P1, P2, PCI, PROD, paths, ruleBody } from './helpers/fixtures.js';

const customCount = (emu: Emulator, project: string, index: number) =>
  emu.state.projects[project]!.instances[index]!.rules.filter((r) => r.ruleType === 'CUSTOMIZE').length;

describe('fault injection', () => {
  it('500 answers DBSS.11000000 in the route shape and applies nothing', async () => {
    const emu = await emulator();
    emu.failNext('CreateAuditRiskRule', '500');
    const flat = await call(emu.url, 'POST', paths.create(P2, PCI), { body: ruleBody('x') });
    expect(flat.status).toBe(500);
    expect(flat.json).toEqual({ error_code: 'DBSS.11000000', error_msg: expect.any(String) });
    expect(customCount(emu, P2, 0)).toBe(0);
    emu.failNext('ListAuditRuleRisks', '500');
    const nested = await call(emu.url, 'GET', paths.rulesOld(P1, PROD));
    expect(nested.json).toEqual({ error: { error_code: 'DBSS.11000000', error_msg: expect.any(String) } });
    expect((await call(emu.url, 'POST', paths.create(P2, PCI), { body: ruleBody('x') })).json).toEqual({ status: 'SUCCESS' });
  });

  it('502, 504 and 429 answer gateway bodies', async () => {
    const emu = await emulator();
    emu.failNext('*', '502');
    emu.failNext('*', '504');
    emu.failNext('*', '429');
    const results = [];
    for (let i = 0; i < 4; i++) results.push(await call(emu.url, 'GET', paths.rulesNew(P1, PROD)));
    expect(results.map((r) => r.status)).toEqual([502, 504, 429, 200]);
    expect(results[0]!.json).toMatchObject({ error_code: 'APIG.0201', request_id: expect.any(String) });
    expect(results[1]!.json).toMatchObject({ error_code: 'APIG.0201' });
    expect(results[2]!.json).toMatchObject({ error_code: 'APIG.0308', error_msg: expect.stringContaining('policy user over ratelimit') });
    expect(emu.counters().faults).toBe(3);
  });

  it('reset drops the connection before applying; lost-response applies the write, then drops it', async () => {
    const emu = await emulator();
    emu.failNext('CreateAuditRiskRule', 'reset');
    await expect(call(emu.url, 'POST', paths.create(P2, PCI), { body: ruleBody('reset-rule') })).rejects.toThrow();
    expect(customCount(emu, P2, 0)).toBe(0);
    emu.failNext('CreateAuditRiskRule', 'lost-response');
    await expect(call(emu.url, 'POST', paths.create(P2, PCI), { body: ruleBody('lost-rule') })).rejects.toThrow();
    const list = await call(emu.url, 'GET', `${paths.rulesNew(P2, PCI)}?name=lost-rule`);
    expect(list.json.rules).toEqual([expect.objectContaining({ name: 'lost-rule', rank: 5 })]);
    expect(emu.log.slice(0, 2).map((e) => [e.status, e.fault])).toEqual([[0, 'reset'], [0, 'lost-response']]);
  });

  it('failNext counts down and only hits the named operation', async () => {
    const emu = await emulator();
    emu.failNext('SwitchRiskRuleNew', '500', 2);
    const list = await call(emu.url, 'GET', paths.rulesNew(P1, PROD));
    expect(list.status).toBe(200);
    const id = list.json.rules[1].id as string;
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await call(emu.url, 'POST', paths.switchV2(P1, PROD), { body: { ids: id, status: 'ON' } })).status);
    expect(statuses).toEqual([500, 500, 200]);
  });

  it('random faults follow the rate, kinds and operations, reproducibly from the seed', async () => {
    const statuses = async (seed: number) => {
      const emu = await emulator({ seed, faults: { rate: 0.5, kinds: ['500', '502'], operations: ['ListAuditRuleRisksNew'] } });
      const out: number[] = [];
      for (let i = 0; i < 30; i++) out.push((await call(emu.url, 'GET', paths.rulesNew(P1, PROD))).status);
      for (let i = 0; i < 5; i++) out.push((await call(emu.url, 'GET', `/v1/${P1}/audit/instances`)).status);
      return out;
    };
    const first = await statuses(42);
    expect(await statuses(42)).toEqual(first);
    expect(new Set(first.slice(0, 30))).toEqual(new Set([200, 500, 502]));
    expect(first.slice(30)).toEqual([200, 200, 200, 200, 200]);
  });

  it('configure turns faults off at runtime', async () => {
    const emu = await emulator({ faults: { rate: 1, kinds: ['504'] } });
    expect((await call(emu.url, 'GET', paths.rulesNew(P1, PROD))).status).toBe(504);
    emu.configure({ faults: null, latency: { fixedMs: 1, jitterMs: 2 } });
    expect((await call(emu.url, 'GET', paths.rulesNew(P1, PROD))).status).toBe(200);
  });
});
