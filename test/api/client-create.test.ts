import { afterEach, describe, expect, it } from 'vitest';
import { DbssApiError } from '../../src/api/errors.js';
import { INSTANCE, PROJECT, ruleSpec, testClient } from './helpers/client.js';
import { reply, startTestServer, type Reply, type TestServer } from './helpers/test-server.js';

/**
 * Creates are never resent blindly: the create answer has no id, so a resent create that had
 * in fact been applied would duplicate the rule. These tests run a small rule store behind a
 * real socket and script what happens to each POST.
 */

type PostOutcome = 'apply' | 'apply-then-reset' | 'reset' | 'apply-then-500' | 'apply-then-hang' | '429';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function ruleServer(outcomes: PostOutcome[], existing: string[] = [], listReply?: Reply) {
  const rules = existing.map((name, i) => ({ id: `old${i}`, name }));
  const queue = [...outcomes];
  server = await startTestServer((req) => {
    if (req.method === 'GET') {
      if (listReply) return listReply;
      const filter = req.query.get('name') ?? '';
      const found = rules.filter((r) => r.name.includes(filter)); // the server-side filter is fuzzy
      return reply.json(200, { rules: found.map((r, i) => ({ ...r, status: 'ON', rank: i + 1, risk_level: 'HIGH', rule_type: 'CUSTOMIZE' })), total: found.length });
    }
    const outcome = queue.shift() ?? 'apply';
    if (outcome === '429') return reply.error(429, 'APIG.0308', 'The throttling threshold has been reached');
    if (outcome === 'reset') return reply.reset();
    rules.push({ id: `new${rules.length}`, name: JSON.parse(req.body).rule_name as string });
    if (outcome === 'apply-then-reset') return reply.reset();
    if (outcome === 'apply-then-500') return reply.error(500, 'DBSS.11000000', 'Internal error');
    if (outcome === 'apply-then-hang') return reply.hang();
    return reply.json(200, { status: 'SUCCESS' });
  });
  return { server, rules };
}

const calls = (s: TestServer): string[] => s.requests.map((r) => (r.method === 'GET' ? `GET name=${r.query.get('name')}` : r.method));

describe('createRule after an ambiguous failure', () => {
  it('applied, then the connection reset: found by name, not sent again', async () => {
    const { server: s, rules } = await ruleServer(['apply-then-reset']);
    const { client, events } = testClient(s.url);
    await client.createRule(PROJECT, INSTANCE, ruleSpec('drop-guard'));
    await client.close();
    expect(calls(s)).toEqual(['POST', 'GET name=drop-guard']);
    expect(rules.filter((r) => r.name === 'drop-guard')).toHaveLength(1);
    expect(events.map((e) => e.type)).toEqual(['verifying']);
    expect(events[0]!.message).toContain('the write may have happened: checking before resending');
    expect(client.stats()).toMatchObject({ requests: 2, retries: 0, byOperation: { createRule: 1, listRules: 1 } });
  });

  it('reset before it was applied: absent, so sent exactly once more', async () => {
    const { server: s, rules } = await ruleServer(['reset', 'apply']);
    const { client } = testClient(s.url);
    await client.createRule(PROJECT, INSTANCE, ruleSpec('drop-guard'));
    await client.close();
    expect(calls(s)).toEqual(['POST', 'GET name=drop-guard', 'POST']);
    expect(rules.filter((r) => r.name === 'drop-guard')).toHaveLength(1);
    expect(client.stats()).toMatchObject({ requests: 3, retries: 1 });
  });

  it('applied, then 500 or a timeout: not sent again', async () => {
    const { server: s, rules } = await ruleServer(['apply-then-500', 'apply-then-hang']);
    const { client } = testClient(s.url, { timeoutMs: 1000 });
    await client.createRule(PROJECT, INSTANCE, ruleSpec('a'));
    await client.createRule(PROJECT, INSTANCE, ruleSpec('b'));
    await client.close();
    expect(calls(s)).toEqual(['POST', 'GET name=a', 'POST', 'GET name=b']);
    expect(rules.map((r) => r.name)).toEqual(['a', 'b']);
  });

  it('matches the name exactly, not the fuzzy server filter', async () => {
    const { server: s, rules } = await ruleServer(['reset', 'apply'], ['drop-guard-old']);
    const { client } = testClient(s.url);
    await client.createRule(PROJECT, INSTANCE, ruleSpec('drop-guard'));
    await client.close();
    expect(calls(s)).toEqual(['POST', 'GET name=drop-guard', 'POST']);
    expect(rules.map((r) => r.name)).toEqual(['drop-guard-old', 'drop-guard']);
  });

  it('on its last attempt still checks: success when applied, the error when not', async () => {
    const applied = await ruleServer(['apply-then-reset']);
    const one = testClient(applied.server.url, { maxAttempts: 1 });
    await one.client.createRule(PROJECT, INSTANCE, ruleSpec('x'));
    await one.client.close();
    expect(calls(applied.server)).toEqual(['POST', 'GET name=x']);
    await applied.server.close();

    const lost = await ruleServer(['reset']);
    const two = testClient(lost.server.url, { maxAttempts: 1 });
    const err = await two.client.createRule(PROJECT, INSTANCE, ruleSpec('x')).catch((e: unknown) => e);
    await two.client.close();
    expect(err).toBeInstanceOf(DbssApiError);
    expect(calls(lost.server)).toEqual(['POST', 'GET name=x']);
    expect(lost.rules).toEqual([]);
  });

  it('says the outcome is unknown when the check itself fails, and does not resend', async () => {
    const { server: s } = await ruleServer(['apply-then-reset'], [], reply.error(400, 'DBSS.10000001', 'bad list'));
    const { client } = testClient(s.url);
    const err = await client.createRule(PROJECT, INSTANCE, ruleSpec('x')).catch((e: unknown) => e);
    await client.close();
    expect(err).toBeInstanceOf(DbssApiError);
    expect((err as DbssApiError).message).toMatch(/^POST \/v1\/\w+\/audit\/\w+\/rule\/risk: \S+ .*; outcome unknown, and checking it failed: GET .*400 DBSS\.10000001 bad list/);
    expect(calls(s)).toEqual(['POST', 'GET name=x']);
  });
});

describe('createRule after a rejection that never reached the backend', () => {
  it('429 is resent without listing', async () => {
    const { server: s, rules } = await ruleServer(['429', 'apply']);
    const { client } = testClient(s.url);
    await client.createRule(PROJECT, INSTANCE, ruleSpec('x'));
    await client.close();
    expect(calls(s)).toEqual(['POST', 'POST']);
    expect(rules).toHaveLength(1);
    expect(client.stats()).toMatchObject({ throttled: 1, retries: 1 });
  });
});
