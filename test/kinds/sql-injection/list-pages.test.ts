import { describe, expect, it } from 'vitest';
import { DbssApiError } from '../../../src/api/errors.js';
import type { KindApi, KindCall } from '../../../src/kinds/kind.js';
import { EMULATED_SQL_INJECTION } from '../../../src/kinds/sql-injection/emulator.js';
import { listAll } from '../../../src/kinds/sql-injection/list-pages.js';
import { directApi, TARGET } from './direct-api.js';

const SYSTEM_COUNT = 6;

/** Creates `n` custom rules through the emulator. */
async function withCustoms(api: KindApi, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    await api.write(TARGET, { operation: 'CreateAuditSqlRule', method: 'POST', path: '/v1/{project_id}/audit/{instance_id}/rule/sql', body: { rule_name: `r${i}`, sql_regex: `x${i}`, risk_level: 'LOW', status: 'ON' } });
  }
}

const pagesAsked = (log: { operation: string; body: unknown }[]): number[] => log.filter((c) => c.operation === 'ListSqlInjectionRulesNew').map((c) => (c.body as { page: number }).page);

describe('the SQL-injection rule list', () => {
  it('sends the list as a POST of {page, size} with the SDK content type', async () => {
    const calls: KindCall[] = [];
    const api: KindApi = { pageSize: 50, read: async (_t, c) => (calls.push(c), { rules: [], total: 0 }), write: async () => undefined, settle: async (r) => r() };
    await listAll(api, TARGET);
    expect(calls).toEqual([{ operation: 'ListSqlInjectionRulesNew', method: 'POST', path: '/v1/{project_id}/audit/{instance_id}/rule/sqls', body: { page: 0, size: 50 }, contentType: 'application/json;charset=UTF-8' }]);
  });

  it('costs one request when page 0 holds every rule by the total, whatever the base', async () => {
    for (const base of ['0', '1']) {
      const { api, log } = directApi(EMULATED_SQL_INJECTION, { sqlRulePageBase: base }, 100);
      await withCustoms(api, 3);
      log.length = 0;
      const { objects, observations } = await listAll(api, TARGET);
      expect(objects).toHaveLength(SYSTEM_COUNT + 3);
      expect(pagesAsked(log)).toEqual([0]);
      expect(observations).toEqual([]);
    }
  });

  it.each([
    ['0', 'page base 0 (pages 0 and 1 listed different rules)', [0, 1, 2, 3]],
    ['1', 'page base 1 (page 0 listed the same rules as page 1)', [0, 1, 2, 3, 4]],
    ['1-empty', 'page base 1 (page 0 listed nothing, page 1 listed rules)', [0, 1, 2, 3, 4]],
    ['1-refused', 'page base 1 (page 0 was refused: 400 DBSS.10000001)', [0, 1, 2, 3, 4]],
  ])('learns page base %s and lists every rule exactly once', async (base, said, pages) => {
    const { api, log } = directApi(EMULATED_SQL_INJECTION, { sqlRulePageBase: base }, 4);
    await withCustoms(api, 8);
    log.length = 0;
    const { objects, observations } = await listAll(api, TARGET);
    expect(objects.map((o) => o.key).filter((k) => k.startsWith('r'))).toEqual(['r0', 'r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7']);
    expect(new Set(objects.map((o) => o.id)).size).toBe(SYSTEM_COUNT + 8);
    expect(observations).toContain(said);
    expect(pagesAsked(log)).toEqual(pages);
  });

  it('reads every page of a server that caps the page size, and says so', async () => {
    const { api, log } = directApi(EMULATED_SQL_INJECTION, { sqlRuleSizeCap: '3' }, 100);
    await withCustoms(api, 5);
    log.length = 0;
    const { objects, observations } = await listAll(api, TARGET);
    expect(objects).toHaveLength(SYSTEM_COUNT + 5);
    expect(pagesAsked(log)).toEqual([0, 1, 2, 3]);
    expect(observations).toContain('pages hold at most 3 rules (asked for 100)');
  });

  it.each([
    ['0', [[0, 1000], [1, 1000], [0, 100]]],
    ['1-refused', [[0, 1000], [1, 1000], [0, 100], [1, 100]]],
  ])('asks smaller pages when the page size is refused (page base %s)', async (base, asked) => {
    const { api, log } = directApi(EMULATED_SQL_INJECTION, { sqlRuleSizeCap: '100-refused', sqlRulePageBase: base }, 1000);
    await withCustoms(api, 2);
    log.length = 0;
    const { objects, observations } = await listAll(api, TARGET);
    expect(objects).toHaveLength(SYSTEM_COUNT + 2);
    expect(log.map((c) => [(c.body as { page: number }).page, (c.body as { size: number }).size])).toEqual(asked);
    expect(observations[0]).toBe('pages of 1000 rules were refused (400 DBSS.10000001): pages of 100 asked');
  });

  it('passes on the refusal when even pages of 10 are refused', async () => {
    const refusal = new DbssApiError({ operation: 'ListSqlInjectionRulesNew', method: 'POST', path: '/x', pathTemplate: '/x', kind: 'http', status: 400, errorCode: 'DBSS.10000001' });
    const sizes: number[] = [];
    const api: KindApi = {
      pageSize: 1000,
      read: async (_t, c) => {
        sizes.push((c.body as { size: number }).size);
        throw refusal;
      },
      write: async () => undefined,
      settle: async (r) => r(),
    };
    await expect(listAll(api, TARGET)).rejects.toBe(refusal);
    expect(sizes).toEqual([1000, 1000, 100, 100, 10, 10]);
  });

  it('without a total, does not take a short page for the end until a shorter or empty one follows', async () => {
    const { api, log } = directApi(EMULATED_SQL_INJECTION, { sqlRuleSizeCap: '3', sqlRuleTotal: 'absent', sqlRulePageBase: '1' }, 100);
    await withCustoms(api, 6);
    log.length = 0;
    const { objects, observations } = await listAll(api, TARGET);
    expect(objects).toHaveLength(SYSTEM_COUNT + 6);
    // 12 rules in pages of 3: pages 1..4 full, page 5 empty (page 0 = page 1 learns the base)
    expect(pagesAsked(log)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(observations).toContain('the list answers carry no total: the listing ended at an empty or shorter page');
  });

  it('refuses a listing with fewer rules than its total, after listing again once', async () => {
    let asked = 0;
    const api: KindApi = {
      pageSize: 10,
      read: async (_t, c) => {
        asked++;
        const page = (c.body as { page: number }).page;
        return page === 0 ? { rules: [{ id: 'aaaaaaaaaaaaaaaa', name: 'a', type: 'CUSTOMIZE' }], total: 2 } : { rules: [], total: 2 };
      },
      write: async () => undefined,
      settle: async (r) => r(),
    };
    await expect(listAll(api, TARGET)).rejects.toThrow('1 rules listed for a total of 2');
    expect(asked).toBe(4);
  });

  it('refuses a rule listed twice on later pages', async () => {
    const rule = (id: string): object => ({ id, name: id, type: 'CUSTOMIZE' });
    const answers: Record<number, object[]> = { 0: [rule('a'.repeat(16))], 1: [rule('b'.repeat(16))], 2: [rule('b'.repeat(16))] };
    const api: KindApi = { pageSize: 1, read: async (_t, c) => ({ rules: answers[(c.body as { page: number }).page] ?? [] }), write: async () => undefined, settle: async (r) => r() };
    await expect(listAll(api, TARGET)).rejects.toThrow(`rule id "${'b'.repeat(16)}" listed twice (page 2)`);
  });

  it('passes on a failure other than a refused page 0', async () => {
    const api: KindApi = {
      pageSize: 10,
      read: async () => {
        throw new DbssApiError({ operation: 'ListSqlInjectionRulesNew', method: 'POST', path: '/x', pathTemplate: '/x', kind: 'http', status: 403, errorCode: 'DBSS.403' });
      },
      write: async () => undefined,
      settle: async (r) => r(),
    };
    await expect(listAll(api, TARGET)).rejects.toThrow('403 DBSS.403');
  });

  it.each([
    ['an empty list with total 0', { 0: { rules: [], total: 0 } }, [0], 0],
    ['an empty list without total', { 0: { rules: [] } }, [0, 1], 0],
    ['one short page without total (base 0)', { 0: { rules: [{ id: 'a'.repeat(16), name: 'a' }] } }, [0, 1], 1],
    ['one short page without total, page 0 read as page 1', { 0: { rules: [{ id: 'a'.repeat(16), name: 'a' }] }, 1: { rules: [{ id: 'a'.repeat(16), name: 'a' }] } }, [0, 1, 2], 1],
  ])('ends %s after the fewest requests', async (_, answers: Record<number, object>, pages, count) => {
    const asked: number[] = [];
    const api: KindApi = {
      pageSize: 10,
      read: async (_t, c) => {
        const page = (c.body as { page: number }).page;
        asked.push(page);
        return answers[page] ?? { rules: [] };
      },
      write: async () => undefined,
      settle: async (r) => r(),
    };
    expect((await listAll(api, TARGET)).objects).toHaveLength(count);
    expect(asked).toEqual(pages);
  });

  it('lists again from the start once when the total changes between pages', async () => {
    let pass = 0;
    const rule = (id: string): object => ({ id, name: id, type: 'CUSTOMIZE' });
    const api: KindApi = {
      pageSize: 1,
      read: async (_t, c) => {
        const page = (c.body as { page: number }).page;
        if (page === 0) pass++;
        const total = pass === 1 && page > 0 ? 3 : 2;
        return { rules: [[rule('a'.repeat(16))], [rule('b'.repeat(16))]][page] ?? [], total };
      },
      write: async () => undefined,
      settle: async (r) => r(),
    };
    expect((await listAll(api, TARGET)).objects.map((o) => o.key)).toEqual(['a'.repeat(16), 'b'.repeat(16)]);
    expect(pass).toBe(2);
  });

  it.each([
    [{}, { sqlRulePageBase: '0', sqlRuleTotal: 'present', sqlRuleRank: 'present', sqlRuleSizeCap: 'none', sqlRuleRiskCase: 'upper' }],
    [{ sqlRulePageBase: '1' }, { sqlRulePageBase: '1' }],
    [{ sqlRulePageBase: '1-empty' }, { sqlRulePageBase: '1-empty' }],
    [{ sqlRulePageBase: '1-refused' }, { sqlRulePageBase: '1-refused' }],
    [{ sqlRuleSizeCap: '3' }, { sqlRuleSizeCap: '3' }],
    [{ sqlRuleTotal: 'absent', sqlRuleRank: 'absent', sqlRuleRiskCase: 'lower' }, { sqlRuleTotal: 'absent', sqlRuleRank: 'absent', sqlRuleRiskCase: 'lower' }],
  ])('tells probe which emulator options the answers settle: %j', async (options, learned) => {
    const { api } = directApi(EMULATED_SQL_INJECTION, options, 4);
    await withCustoms(api, 4);
    expect((await listAll(api, TARGET)).learned).toMatchObject(learned);
  });

  it('tells probe that sizes above 100 are refused', async () => {
    const { api } = directApi(EMULATED_SQL_INJECTION, { sqlRuleSizeCap: '100-refused' }, 1000);
    expect((await listAll(api, TARGET)).learned).toMatchObject({ sqlRuleSizeCap: '100-refused' });
  });
});
