import { afterEach, describe, expect, it } from 'vitest';
import { applyPlan } from '../../src/apply/apply-plan.js';
import { createClientPool } from '../../src/live/client-pool.js';
import type { Change } from '../../src/plan/types.js';
import { testClient } from '../api/helpers/client.js';
import { reply, startTestServer, type TestServer } from '../api/helpers/test-server.js';
import { TARGET, testPlan } from './test-plan.js';

/**
 * An interruption (SIGINT, --max-duration) between the calls of one change: a reorder that sent
 * its first rank call and was stopped before the listing that confirms it is not
 * "not-attempted" (a call was sent) and not applied (nothing confirmed it): it is failed, and
 * says how far it got.
 */

const rule = (id: string, name: string, rank: number) => ({ id, name, rule_type: 'CUSTOMIZE', status: 'ON', rank, risk_level: 'HIGH', type: 'OPERATE' });

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('a change interrupted part way', () => {
  it('a reorder stopped after its first rank call is failed, with the reason and the calls sent', async () => {
    const controller = new AbortController();
    const rules = [rule('aaaaaaaaaaaaaaaaaaa1', 'a', 1), rule('bbbbbbbbbbbbbbbbbbb2', 'b', 2)];
    server = await startTestServer((req) => {
      if (req.method === 'GET' && req.path.endsWith('/rule/risk')) return reply.json(200, { rules, total: rules.length });
      // The rank call lands, and the run is told to stop while it is in flight.
      controller.abort('--max-duration 1m reached');
      return reply.json(200, { result: 'success' });
    });
    const change: Change = {
      id: `${TARGET}#reorder`,
      target: TARGET,
      kind: 'reorder',
      order: ['b', 'a'],
      moves: ['a'],
      rankCalls: [{ id: 'aaaaaaaaaaaaaaaaaaa1', newRank: 2 }],
      review: { weakening: false, reasons: [] },
    };
    const plan = testPlan([change]);
    const url = server.url;
    const pool = createClientPool(() => testClient(url).client);
    try {
      const { results, interrupted } = await applyPlan(plan, { pool, signal: controller.signal });
      expect(interrupted).toBe(true);
      expect(results[0]).toMatchObject({ outcome: 'failed', calls: 1 });
      expect(results[0]!.detail).toBe('--max-duration 1m reached after 1 call of this change; its outcome is not confirmed (the next run plans it again)');
      expect(server.requests.map((r) => r.method)).toEqual(['POST']);
    } finally {
      await pool.close();
    }
  });
});
