import { afterEach, describe, expect, it } from 'vitest';
import { DbssApiError } from '../../src/api/errors.js';
import { INSTANCE, PROJECT, ruleSpec, testClient } from './helpers/client.js';
import { reply, scripted, startTestServer, type Handler, type Reply, type TestServer } from './helpers/test-server.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const TASK = { task_switch: 'on', task_status: '0' };
const OK_TASK = reply.json(200, TASK);
const OK_WRITE = reply.json(200, { status: 'SUCCESS' });
const THROTTLED = (message = 'The throttling threshold has been reached', headers: Record<string, string> = {}): Reply =>
  reply.json(429, { error_code: 'APIG.0308', error_msg: message, request_id: 'apig-req-1' }, headers);

async function serve(replies: readonly Reply[], otherwise: Handler = () => OK_TASK): Promise<TestServer> {
  server = await startTestServer(scripted(replies, otherwise));
  return server;
}

async function rejection(p: Promise<unknown>): Promise<DbssApiError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof DbssApiError) return err;
    throw err;
  }
  throw new Error('expected a DbssApiError');
}

describe('throttling (429 APIG.0308)', () => {
  it('retries, adopts the limit stated in the message, and spaces later requests by it', async () => {
    const s = await serve([THROTTLED('policy user over ratelimit,limit:20,time:1 second')]);
    // a budget of 100/s: the stated 20/s is above its floor (a tenth), so it is believed
    const { client, events } = testClient(s.url, { rateLimit: { requests: 100, perMs: 1000 } });
    expect(await client.showSummaryTask(PROJECT, 'risk')).toMatchObject({ enabled: true });
    const before = Date.now();
    await Promise.all([1, 2, 3, 4, 5].map(() => client.showSummaryTask(PROJECT, 'risk')));
    await client.close();

    expect(s.requests).toHaveLength(7);
    const later = s.requests.slice(2).map((r) => r.receivedAt);
    // 5 requests at no more than 20/s take at least 4 × 50 ms; unthrottled they would arrive
    // together. Measured from before they were sent: a busy machine can only make it longer.
    expect(later.at(-1)! - before).toBeGreaterThanOrEqual(150);
    expect(client.stats()).toMatchObject({ requests: 7, retries: 1, throttled: 1, byOperation: { showSummaryTask: 6 } });
    const throttled = events.filter((e) => e.type === 'throttled');
    expect(throttled).toHaveLength(1);
    expect(throttled[0]).toMatchObject({ operation: 'showSummaryTask', attempt: 1 });
    expect(throttled[0]!.type === 'throttled' && throttled[0]!.requestsPerSecond).toBeLessThanOrEqual(20);
    expect(throttled[0]!.message).toMatch(/429 APIG\.0308 .*\(request id apig-req-1\); slowing to \d+(\.\d+)?\/s, retry 1 of 4/);
  });

  it('honours Retry-After before the next attempt', async () => {
    const s = await serve([THROTTLED(undefined, { 'retry-after': '1' })]);
    const { client, events } = testClient(s.url);
    await client.setSummaryTask(PROJECT, 'risk', true);
    await client.close();
    expect(s.requests).toHaveLength(2);
    expect(s.requests[1]!.receivedAt - s.requests[0]!.receivedAt).toBeGreaterThanOrEqual(950);
    expect(events.find((e) => e.type === 'throttled')).toMatchObject({ delayMs: 1000 });
  });

  it('gives up after maxAttempts with the attempt count in the message', async () => {
    const s = await serve([], () => THROTTLED());
    const { client } = testClient(s.url, { maxAttempts: 3 });
    const err = await rejection(client.listInstances(PROJECT));
    await client.close();
    expect(s.requests).toHaveLength(3);
    expect(err.status).toBe(429);
    expect(err.message).toMatch(/^GET \/v1\/\w+\/audit\/instances: 429 APIG\.0308 The throttling threshold has been reached \(request id apig-req-1\) \[after 3 attempts\]$/);
    expect(client.stats()).toMatchObject({ requests: 3, retries: 2, throttled: 3 });
  });
});

describe('transient failures are retried', () => {
  it('5xx and APIG.0201 502/504 on an update, then success', async () => {
    const s = await serve(
      [reply.error(500, 'DBSS.11000000', 'Internal error'), reply.error(502, 'APIG.0201', 'Backend unavailable'), reply.error(504, 'APIG.0201', 'Backend timeout'), reply.raw(503, '<html>busy</html>', 'text/html')],
      () => OK_WRITE,
    );
    const { client, events } = testClient(s.url);
    await client.updateRule(PROJECT, INSTANCE, 'rule1', ruleSpec('x'));
    await client.close();
    expect(s.requests.map((r) => r.method)).toEqual(['PUT', 'PUT', 'PUT', 'PUT', 'PUT']);
    expect(new Set(s.requests.map((r) => r.body)).size).toBe(1);
    expect(events.map((e) => e.type)).toEqual(['retrying', 'retrying', 'retrying', 'retrying']);
    expect(events[3]!.message).toContain('503 (non-JSON answer, text/html, 17 bytes)');
    expect(client.stats()).toMatchObject({ requests: 5, retries: 4, throttled: 0 });
  });

  it('connection resets on deletes, switches and rank changes', async () => {
    const s = await serve([reply.reset(), OK_WRITE, reply.reset(), reply.reset(), reply.json(200, { result: 'SUCCESS' }), reply.reset(), reply.json(200, { result: 'success' })]);
    const { client, events } = testClient(s.url);
    await client.deleteRule(PROJECT, INSTANCE, 'r1');
    await client.switchRules(PROJECT, INSTANCE, ['r1', 'r2'], 'ON');
    await client.setRank(PROJECT, INSTANCE, 'r1', 1);
    await client.close();
    expect(s.requests.map((r) => r.path.split('/').at(-1))).toEqual(['r1', 'r1', 'switch', 'switch', 'switch', 'rank', 'rank']);
    expect(events.every((e) => e.type === 'retrying' && /ECONNRESET|UND_ERR_SOCKET/.test(e.message))).toBe(true);
    expect(client.stats().retries).toBe(4);
  });

  it('a request with no answer times out and is retried', async () => {
    const s = await serve([reply.hang()]);
    const { client, events } = testClient(s.url, { timeoutMs: 1000 });
    expect(await client.showSummaryTask(PROJECT, 'audit')).toMatchObject({ enabled: true });
    await client.close();
    expect(s.requests).toHaveLength(2);
    expect(events[0]!.message).toContain('TIMEOUT no complete answer within 1000 ms');
  });

  it('a truncated answer is retried, then reported clearly', async () => {
    const s = await serve([], () => reply.truncated('{"rules":[{"id":"a"', 500));
    const { client } = testClient(s.url, { maxAttempts: 2 });
    const err = await rejection(client.listRules(PROJECT, INSTANCE));
    await client.close();
    expect(s.requests).toHaveLength(2);
    expect(err.kind).toBe('network');
    expect(err.message).toMatch(/^GET \/v1\/\w+\/audit\/\w+\/rule\/risk: \S+ .+ \[after 2 attempts\]$/);
  });
});

describe('failures that are never retried', () => {
  it('401 APIG.0301 is sent once (the AK locks after 5 failures)', async () => {
    const s = await serve([], () => reply.json(401, { error_code: 'APIG.0301', error_msg: 'Incorrect IAM authentication information: verify aksk signature fail', request_id: 'r401' }));
    const { client, events } = testClient(s.url);
    const err = await rejection(client.listInstances(PROJECT));
    await client.close();
    expect(s.requests).toHaveLength(1);
    expect(events).toEqual([]);
    expect(err).toMatchObject({ status: 401, errorCode: 'APIG.0301', requestId: 'r401', kind: 'http' });
    expect(err.message).toBe(
      `GET /v1/${PROJECT}/audit/instances: 401 APIG.0301 Incorrect IAM authentication information: verify aksk signature fail; ` +
        'the access key was refused: check the key pair; DBSS locks an access key after 5 failed authentications in a row (for every pipeline using it), ' +
        'so nothing more is sent with it in this run (request id r401)',
    );
  });

  it('400 DBSS.* is sent once, for reads and writes alike', async () => {
    const s = await serve([], () => ({ status: 400, json: { error: { error_code: 'DBSS.10000001', error_msg: 'Malformed request' } }, headers: { 'x-request-id': 'hdr-req' } }));
    const { client } = testClient(s.url);
    const read = await rejection(client.showRule(PROJECT, INSTANCE, 'nope'));
    const write = await rejection(client.createRule(PROJECT, INSTANCE, ruleSpec('x')));
    await client.close();
    expect(s.requests).toHaveLength(2);
    expect(read.message).toBe(`GET /v2/${PROJECT}/audit/${INSTANCE}/rule/risk/nope: 400 DBSS.10000001 Malformed request (request id hdr-req)`);
    expect(write.pathTemplate).toBe('/v1/{project_id}/audit/{instance_id}/rule/risk');
    expect(client.stats()).toMatchObject({ requests: 2, retries: 0 });
  });

  it('a 403 with the flat body keeps its details', async () => {
    const s = await serve([], () =>
      reply.json(403, { error_code: 'DBSS.403', error_msg: 'Forbidden', encoded_authorization_message: 'opaque', details: [{ error_code: 'IAM.PDP5', error_msg: 'no dbss:rule:update' }] }),
    );
    const { client } = testClient(s.url);
    const err = await rejection(client.updateRule(PROJECT, INSTANCE, 'r', ruleSpec('x')));
    await client.close();
    expect(err.details).toEqual([{ code: 'IAM.PDP5', message: 'no dbss:rule:update' }]);
    expect(err.message).toBe(`PUT /v2/${PROJECT}/audit/${INSTANCE}/rule/risk/r: 403 DBSS.403 Forbidden`);
    expect(s.requests).toHaveLength(1);
  });

  it('HTTP 200 with status FAILED or result failed is an error, not retried', async () => {
    const s = await serve([reply.json(200, { status: 'FAILED' }), reply.json(200, { result: 'failed' }), reply.json(200, { status: 'FAILED', error_code: 'DBSS.10020102', error_msg: 'Database operation failed' })]);
    const { client } = testClient(s.url);
    const update = await rejection(client.updateRule(PROJECT, INSTANCE, 'r', ruleSpec('x')));
    const rank = await rejection(client.setRank(PROJECT, INSTANCE, 'r', 3));
    const del = await rejection(client.deleteRule(PROJECT, INSTANCE, 'r'));
    await client.close();
    expect(s.requests).toHaveLength(3);
    expect(update).toMatchObject({ kind: 'business', status: 200, errorCode: 'FAILED' });
    expect(update.message).toContain('200 FAILED the answer says the operation failed (status "FAILED")');
    expect(rank.message).toContain('(result "failed")');
    expect(del.message).toContain('200 DBSS.10020102 Database operation failed');
  });
});
