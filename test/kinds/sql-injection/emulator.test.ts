import { describe, expect, it } from 'vitest';
import type { KindCall } from '../../../src/kinds/kind.js';
import { EMULATED_SQL_INJECTION } from '../../../src/kinds/sql-injection/emulator.js';
import { directApi, TARGET } from './direct-api.js';

const V1 = '/v1/{project_id}/audit/{instance_id}/rule';
const V2 = '/v2/{project_id}/audit/{instance_id}/rule';
const list = (body: object): KindCall => ({ operation: 'List', method: 'POST', path: `${V1}/sqls`, body: body as never });
const create = (body: object): KindCall => ({ operation: 'Create', method: 'POST', path: `${V1}/sql`, body: body as never });
const rule = { rule_name: 'r', sql_regex: 'x', risk_level: 'HIGH', status: 'ON' };

type Listed = { rules: { id: string; name: string; type: string; rank?: number; risk_level: string }[]; total?: number };

describe('the emulated SQL-injection rule API', () => {
  it('lists every instance\'s built-in rules first, ranked 1..n, with a total', async () => {
    const { api } = directApi(EMULATED_SQL_INJECTION, {}, 10);
    await api.write(TARGET, create(rule));
    const answer = (await api.read(TARGET, list({ page: 0, size: 100 }))) as Listed;
    expect(answer.total).toBe(7);
    expect(answer.rules.map((r) => [r.type, r.rank])).toEqual([...[1, 2, 3, 4, 5, 6].map((n) => ['SYSTEM', n]), ['CUSTOMIZE', 7]]);
  });

  it('requires all four create fields and refuses a name in use with FAILED', async () => {
    const { api } = directApi(EMULATED_SQL_INJECTION, {}, 10);
    await expect(api.write(TARGET, create({ ...rule, status: undefined }))).rejects.toThrow('400 DBSS.10000001 invalid status nothing');
    await expect(api.write(TARGET, create({ ...rule, risk_level: 'SEVERE' }))).rejects.toThrow('must be one of HIGH, MEDIUM, LOW, NO_RISK');
    await api.write(TARGET, create(rule));
    await expect(api.write(TARGET, create(rule))).rejects.toThrow('status FAILED');
  });

  it('refuses to edit or delete a built-in rule, and switches one rule per call', async () => {
    const { api } = directApi(EMULATED_SQL_INJECTION, {}, 10);
    const system = ((await api.read(TARGET, list({}))) as Listed).rules[0]!;
    await expect(api.write(TARGET, { operation: 'Update', method: 'POST', path: `${V1}/sql/{id}`, params: { id: system.id }, body: rule })).rejects.toThrow('cannot be edited');
    await expect(api.write(TARGET, { operation: 'Delete', method: 'DELETE', path: `${V1}/sql/{id}`, params: { id: system.id } })).rejects.toThrow('cannot be deleted');
    await expect(api.write(TARGET, { operation: 'Switch', method: 'POST', path: `${V2}/sql/switch`, body: { id: [system.id], status: 'OFF' } })).rejects.toThrow('id is required: one SQL rule id');
    await api.write(TARGET, { operation: 'Switch', method: 'POST', path: `${V2}/sql/switch`, body: { id: system.id, status: 'OFF' } });
    expect(((await api.read(TARGET, list({}))) as { rules: { status: string }[] }).rules[0]!.status).toBe('OFF');
  });

  it.each([
    ['0', 0, ['a', 'b'], 1, ['c', 'd']],
    ['1', 0, ['a', 'b'], 1, ['a', 'b']],
    ['1-empty', 0, [], 2, ['c', 'd']],
  ])('pages under base %s (risk_levels filter honoured)', async (base, p0, names0, p1, names1) => {
    const { api } = directApi(EMULATED_SQL_INJECTION, { sqlRulePageBase: base }, 10);
    for (const n of ['a', 'b', 'c', 'd']) await api.write(TARGET, create({ ...rule, rule_name: n, risk_level: 'NO_RISK' }));
    // the risk_levels filter leaves the built-in rules (none is NO_RISK) out
    const customs = async (page: number) => ((await api.read(TARGET, list({ page, size: 2, risk_levels: 'NO_RISK' }))) as Listed).rules.map((r) => r.name);
    expect(await customs(p0)).toEqual(names0);
    expect(await customs(p1)).toEqual(names1);
  });

  it('refuses page 0 under base 1-refused, caps the size, drops total and rank, lower-cases levels when asked', async () => {
    const { api } = directApi(EMULATED_SQL_INJECTION, { sqlRulePageBase: '1-refused', sqlRuleSizeCap: '3', sqlRuleTotal: 'absent', sqlRuleRank: 'absent', sqlRuleRiskCase: 'lower' }, 10);
    await expect(api.read(TARGET, list({ page: 0, size: 10 }))).rejects.toThrow('400 DBSS.10000001 invalid page 0');
    const answer = (await api.read(TARGET, list({ page: 1, size: 10 }))) as Listed;
    expect(answer.rules).toHaveLength(3);
    expect(answer.total).toBeUndefined();
    expect(answer.rules.every((r) => r.rank === undefined && r.risk_level === r.risk_level.toLowerCase())).toBe(true);
  });

  it('answers an incomplete rank list FAILED, or SUCCESS doing nothing', async () => {
    for (const how of ['failed', 'ignored']) {
      const { api } = directApi(EMULATED_SQL_INJECTION, { sqlRankList: 'customs', sqlRankIncomplete: how }, 10);
      for (const n of ['a', 'b', 'c']) await api.write(TARGET, create({ ...rule, rule_name: n }));
      const before = ((await api.read(TARGET, list({ size: 100 }))) as Listed).rules;
      const [a, b] = before.filter((r) => r.type === 'CUSTOMIZE');
      const rank = api.write(TARGET, { operation: 'Rank', method: 'POST', path: `${V2}/sql/rank`, body: { ids: [b!.id, a!.id] } });
      if (how === 'failed') await expect(rank).rejects.toThrow('status FAILED');
      else await rank;
      expect(((await api.read(TARGET, list({ size: 100 }))) as Listed).rules).toEqual(before);
    }
  });

  it('updates a custom rule in place, refusing a name another rule has (FAILED) and an unknown id (400)', async () => {
    const { api } = directApi(EMULATED_SQL_INJECTION, {}, 10);
    for (const n of ['a', 'b']) await api.write(TARGET, create({ ...rule, rule_name: n }));
    const [a] = ((await api.read(TARGET, list({ size: 100 }))) as Listed).rules.filter((r) => r.type === 'CUSTOMIZE');
    const update = (id: string, body: object): KindCall => ({ operation: 'Update', method: 'POST', path: `${V1}/sql/{id}`, params: { id }, body: body as never });
    await expect(api.write(TARGET, update(a!.id, { ...rule, rule_name: 'b' }))).rejects.toThrow('status FAILED');
    await expect(api.write(TARGET, update('unknownunknown01', rule))).rejects.toThrow('400 DBSS.10020021 SQL rule unknownunknown01 not found');
    await api.write(TARGET, update(a!.id, { rule_name: 'a2', sql_regex: 'y', risk_level: 'LOW', status: 'OFF' }));
    const after = ((await api.read(TARGET, list({ size: 100 }))) as Listed).rules.filter((r) => r.type === 'CUSTOMIZE');
    expect(after.map((r) => [r.id, r.name, r.rank, r.risk_level])).toEqual([
      [a!.id, 'a2', 7, 'LOW'],
      [after[1]!.id, 'b', 8, 'HIGH'],
    ]);
  });

  it('puts a created rule first when asked, and deletes a custom rule', async () => {
    const { api } = directApi(EMULATED_SQL_INJECTION, { sqlRuleCreatedRank: 'first' }, 10);
    await api.write(TARGET, create(rule));
    const first = ((await api.read(TARGET, list({ size: 100 }))) as Listed).rules[0]!;
    expect([first.name, first.rank]).toEqual(['r', 1]);
    await api.write(TARGET, { operation: 'Delete', method: 'DELETE', path: `${V1}/sql/{id}`, params: { id: first.id } });
    expect(((await api.read(TARGET, list({ size: 100 }))) as Listed).rules.map((r) => r.type)).toEqual(Array(6).fill('SYSTEM'));
  });

  it('refuses a rank list that is empty, not strings, names a rule twice or an unknown rule', async () => {
    const { api } = directApi(EMULATED_SQL_INJECTION, {}, 10);
    const ids = ((await api.read(TARGET, list({ size: 100 }))) as Listed).rules.map((r) => r.id);
    const rank = (body: object) => api.write(TARGET, { operation: 'Rank', method: 'POST', path: `${V2}/sql/rank`, body: body as never });
    await expect(rank({ ids: [] })).rejects.toThrow('ids is required');
    await expect(rank({ ids: [1] })).rejects.toThrow('ids is required');
    await expect(rank({ ids: [ids[0], ids[0]] })).rejects.toThrow('ids names a rule twice');
    await expect(rank({ ids: ['unknownunknown01'] })).rejects.toThrow('not found');
    await rank({ ids: [ids[1], ids[0]] });
    expect(((await api.read(TARGET, list({ size: 100 }))) as Listed).rules.slice(0, 2).map((r) => r.id)).toEqual([ids[1], ids[0]]);
  });

  it('refuses a malformed page or size', async () => {
    const { api } = directApi(EMULATED_SQL_INJECTION, {}, 10);
    await expect(api.read(TARGET, list({ page: -1 }))).rejects.toThrow('invalid page -1');
    await expect(api.read(TARGET, list({ size: 0 }))).rejects.toThrow('invalid size 0');
    await expect(api.read(TARGET, list({ size: '5' }))).rejects.toThrow('invalid size "5"');
  });
});
