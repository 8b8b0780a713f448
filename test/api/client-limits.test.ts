import { afterEach, describe, expect, it } from 'vitest';
import { INSTANCE, PROJECT, ruleSpec, testClient } from './helpers/client.js';
import { reply, startTestServer, type Handler, type TestServer } from './helpers/test-server.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Answers after `ms`, tracking how many requests are in flight at once. */
function slow(ms: number, answer: Handler): { handler: Handler; maxInFlight: () => number } {
  let inFlight = 0;
  let max = 0;
  return {
    handler: async (req) => {
      inFlight++;
      max = Math.max(max, inFlight);
      await new Promise((resolve) => setTimeout(resolve, ms));
      inFlight--;
      return answer(req);
    },
    maxInFlight: () => max,
  };
}

const TASK = reply.json(200, { task_switch: 'on', task_status: '0' });

describe('concurrency and rate limits', () => {
  it('keeps at most `concurrency` requests in flight', async () => {
    const s = slow(20, () => TASK);
    server = await startTestServer(s.handler);
    const { client } = testClient(server.url, { concurrency: 3 });
    await Promise.all(Array.from({ length: 10 }, () => client.showSummaryTask(PROJECT, 'risk')));
    await client.close();
    expect(server.requests).toHaveLength(10);
    expect(s.maxInFlight()).toBe(3);
  });

  it('spaces requests beyond the burst at the configured rate, and announces long waits', async () => {
    server = await startTestServer(() => TASK);
    const { client, events } = testClient(server.url, { rateLimit: { requests: 1, perMs: 1100 } });
    const before = Date.now();
    // The credential's first request goes alone (auth-gate.ts); the two after it share the budget.
    await client.showSummaryTask(PROJECT, 'risk');
    await Promise.all([client.showSummaryTask(PROJECT, 'risk'), client.showSummaryTask(PROJECT, 'audit')]);
    await client.close();
    const [, , third] = server.requests;
    // The third token exists 2.2 s after the first was taken, which was after `before`: a busy
    // machine can only make this later (comparing arrivals would not be: the first one may
    // arrive late). 10 ms of slack for timers firing a little early.
    expect(third!.receivedAt - before).toBeGreaterThanOrEqual(2190);
    // the last one waited a whole spacing for its token, so at least that wait was announced
    expect(events.length).toBeGreaterThanOrEqual(1);
    for (const e of events) {
      expect(e).toMatchObject({ type: 'waiting', operation: 'showSummaryTask' });
      expect(e.message).toMatch(/^showSummaryTask: waiting \d+ ms for the request rate budget$/);
    }
  });

  it('a create checking its outcome cannot deadlock on a single concurrency slot', async () => {
    let posts = 0;
    const rules: string[] = [];
    server = await startTestServer((req) => {
      if (req.method === 'POST' && req.path.endsWith('/rule/risk')) {
        posts++;
        rules.push(JSON.parse(req.body).rule_name as string);
        return posts === 1 ? reply.reset() : reply.json(200, { status: 'SUCCESS' });
      }
      if (req.method === 'GET' && req.path.endsWith('/rule/risk')) {
        return reply.json(200, { rules: rules.map((name, i) => ({ id: `r${i}`, name, status: 'ON', rank: i + 1, risk_level: 'LOW' })), total: rules.length });
      }
      return TASK;
    });
    const { client } = testClient(server.url, { concurrency: 1 });
    await Promise.all([
      client.createRule(PROJECT, INSTANCE, ruleSpec('a')),
      client.showSummaryTask(PROJECT, 'risk'),
      client.createRule(PROJECT, INSTANCE, ruleSpec('b')),
      client.showSummaryTask(PROJECT, 'audit'),
    ]);
    await client.close();
    expect(rules).toEqual(['a', 'b']);
    expect(client.stats().byOperation).toEqual({ createRule: 2, listRules: 1, showSummaryTask: 2 });
  });
});
