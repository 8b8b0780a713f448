import { afterEach, describe, expect, it } from 'vitest';
import { applyPlan } from '../../src/apply/apply-plan.js';
import type { DbssClient } from '../../src/api/types.js';
import { createClientPool } from '../../src/live/client-pool.js';
import type { Change } from '../../src/plan/types.js';
import { ruleSpec, testClient } from '../api/helpers/client.js';
import { reply, startTestServer, type TestServer } from '../api/helpers/test-server.js';
import { NO_REVIEW, TARGET, testPlan } from './test-plan.js';

/**
 * applyPlan where the emulator cannot go: an API that accepts rank calls and never moves a
 * rule (the reorder fails with what it observed), a run interrupted between the calls of one
 * change, and a client that throws something other than an API error.
 */
const rule = (id: string, name: string, rank: number) => ({ id, name, rule_type: 'CUSTOMIZE', status: 'ON', rank, risk_level: 'HIGH', type: 'OPERATE' });
const RULES = [rule('aaaaaaaaaaaaaaaaaaa1', 'a', 1), rule('bbbbbbbbbbbbbbbbbbb2', 'b', 2)];
const REORDER: Change = { id: `${TARGET}#reorder`, target: TARGET, kind: 'reorder', order: ['b', 'a'], moves: ['b'], review: NO_REVIEW };

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('a reorder the API does not carry out', () => {
  it('rank calls answered success that move nothing: failed, with the rank report of what was observed', async () => {
    server = await startTestServer((req) => (req.method === 'GET' ? reply.json(200, { rules: RULES, total: RULES.length }) : reply.json(200, { result: 'success' })));
    const url = server.url;
    const pool = createClientPool(() => testClient(url).client);
    try {
      const { results } = await applyPlan(testPlan([REORDER]), { pool });
      const numbering = 'custom 1..2 dense; no system rules listed';
      expect(results).toStrictEqual([
        {
          id: REORDER.id,
          kind: 'reorder',
          target: TARGET,
          outcome: 'failed',
          calls: 7,
          detail: `order not reached: no new_rank puts a below b (tried 2, 3); numbering: ${numbering}; 3 rank calls (safe mode: one move, one list); observed order: a, b`,
          rank: { numbering, mode: 'safe', rankCalls: 3, observed: ['a', 'b'] },
        },
      ]);
      expect(server.requests.filter((r) => r.method === 'POST')).toHaveLength(3);
    } finally {
      await pool.close();
    }
  });
});

describe('interrupted between the calls of one change', () => {
  it('with no reason given: failed, "interrupted after 2 calls"', async () => {
    const controller = new AbortController();
    server = await startTestServer((req) => {
      if (req.method === 'GET') return reply.json(200, { rules: RULES, total: RULES.length });
      controller.abort();
      return reply.json(200, { result: 'success' });
    });
    const url = server.url;
    const pool = createClientPool(() => testClient(url).client);
    try {
      const { results, interrupted } = await applyPlan(testPlan([REORDER]), { pool, signal: controller.signal });
      expect(interrupted).toBe(true);
      expect(results).toStrictEqual([
        {
          id: REORDER.id,
          kind: 'reorder',
          target: TARGET,
          outcome: 'failed',
          calls: 2,
          detail: 'interrupted after 2 calls of this change; its outcome is not confirmed (the next run plans it again)',
        },
      ]);
      expect(server.requests.map((r) => r.method)).toEqual(['GET', 'POST']);
    } finally {
      await pool.close();
    }
  });
});

describe('a client that fails with something other than an API error', () => {
  const del = (name: string): Change => ({ id: `${TARGET}#delete:${name}`, target: TARGET, kind: 'delete', rule: name, ruleId: `id-${name}`, review: NO_REVIEW });
  it('the thrown value is the detail, with no request id', async () => {
    const client = {
      deleteRule: async (_p: string, _i: string, id: string) => {
        if (id === 'id-x') throw 'socket closed';
        throw new Error('boom');
      },
    } as unknown as DbssClient;
    const { results } = await applyPlan(testPlan([del('x'), del('y')]), { pool: createClientPool(() => client) });
    expect(results).toStrictEqual([
      { id: `${TARGET}#delete:x`, kind: 'delete', target: TARGET, outcome: 'failed', calls: 1, detail: 'socket closed' },
      { id: `${TARGET}#delete:y`, kind: 'delete', target: TARGET, outcome: 'failed', calls: 1, detail: 'boom' },
    ]);
  });

  it('a request id is taken only from an API error', async () => {
    const client = {
      deleteRule: async () => {
        throw Object.assign(new Error('proxy refused'), { requestId: 'r-1' });
      },
    } as unknown as DbssClient;
    const { results } = await applyPlan(testPlan([del('x')]), { pool: createClientPool(() => client) });
    expect(results).toStrictEqual([{ id: `${TARGET}#delete:x`, kind: 'delete', target: TARGET, outcome: 'failed', calls: 1, detail: 'proxy refused' }]);
  });

  it('two failed creates: the reorder names both and sends nothing', async () => {
    const create = (name: string): Change => ({ id: `${TARGET}#create:${name}`, target: TARGET, kind: 'create', rule: name, after: ruleSpec(name), review: NO_REVIEW });
    const sent: string[] = [];
    const client = {
      createRule: async (_p: string, _i: string, spec: { name: string }) => {
        sent.push(spec.name);
        throw new Error(`create of ${spec.name} refused`);
      },
      listRules: async () => {
        sent.push('list');
        return [];
      },
    } as unknown as DbssClient;
    const reorder: Change = { ...REORDER, order: ['x', 'a', 'y'] };
    const { results } = await applyPlan(testPlan([create('x'), create('y'), reorder]), { pool: createClientPool(() => client) });
    expect(results.map((r) => [r.outcome, r.calls, r.detail])).toEqual([
      ['failed', 1, 'create of x refused'],
      ['failed', 1, 'create of y refused'],
      ['skipped', 0, 'depends on failed create of x, y'],
    ]);
    expect(sent.sort()).toEqual(['x', 'y']);
  });

  it('a failed update holds back the deletes of its instance but not the reorder', async () => {
    const update: Change = { id: `${TARGET}#update:a`, target: TARGET, kind: 'update', rule: 'a', ruleId: 'id-a', before: ruleSpec('a'), after: ruleSpec('a', { riskLevel: 'LOW' }), fields: [], review: NO_REVIEW };
    const summary = (id: string, name: string, rank: number) => ({ id, name, ruleType: 'CUSTOMIZE', status: 'ON', rank, riskLevel: 'HIGH' });
    const client = {
      updateRule: async () => {
        throw new Error('update refused');
      },
      listRules: async () => [summary('id-a', 'a', 1), summary('id-b', 'b', 2)],
      listRulesSettled: async () => [summary('id-a', 'a', 1), summary('id-b', 'b', 2)],
    } as unknown as DbssClient;
    const { results } = await applyPlan(testPlan([update, { ...REORDER, order: ['a', 'b'] }, del('c')]), { pool: createClientPool(() => client) });
    expect(results.map((r) => [r.kind, r.outcome, r.calls, r.detail])).toEqual([
      ['update', 'failed', 1, 'update refused'],
      ['reorder', 'applied', 1, 'order confirmed by a listing; numbering: custom 1..2 dense; no system rules listed; 0 rank calls (predicted)'],
      ['delete', 'skipped', 0, 'update of a failed; deleting c now would lose coverage'],
    ]);
  });
});
