import { afterEach, describe, expect, it } from 'vitest';
import { DbssApiError } from '../../src/api/errors.js';
import { INSTANCE, PROJECT, testClient } from './helpers/client.js';
import { reply, startTestServer, type Reply, type TestServer } from './helpers/test-server.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function failureOf(answer: Reply, maxBodyBytes?: number): Promise<{ err: DbssApiError; requests: number }> {
  server = await startTestServer(() => answer);
  const { client } = testClient(server.url, maxBodyBytes === undefined ? {} : { maxBodyBytes });
  const err = await client.listRules(PROJECT, INSTANCE).then(
    () => {
      throw new Error('expected a failure');
    },
    (e: unknown) => e,
  );
  await client.close();
  if (!(err instanceof DbssApiError)) throw err;
  return { err, requests: server.requests.length };
}

const PATH = `GET /v1/${PROJECT}/audit/${INSTANCE}/rule/risk`;

describe('unusable 2xx answers are clear errors, not crashes or hangs, and are not retried', () => {
  it.each([
    ['malformed JSON', reply.raw(200, '{"rules": [', 'application/json'), 'BAD_JSON answer is not valid JSON (malformed or truncated, 11 bytes)'],
    ['a JSON array', reply.raw(200, '[]', 'application/json'), 'BAD_JSON answer is not a JSON object'],
    ['an HTML page', reply.raw(200, '<html>login</html>', 'text/html; charset=utf-8'), 'BAD_CONTENT_TYPE answer is text/html; charset=utf-8, expected JSON'],
    ['an empty body where a list was expected', reply.raw(200, '', 'application/json'), 'EMPTY_BODY empty answer where a JSON object was expected'],
    // rank is optional (SDK); name is one of the four required list-item fields
    ['a missing required field', reply.json(200, { rules: [{ id: 'a', status: 'ON', rank: 1, risk_level: 'LOW' }], total: 1 }), 'BAD_RESPONSE rules[0].name: expected a non-empty string, got nothing'],
  ])('%s', async (_, answer, detail) => {
    const { err, requests } = await failureOf(answer);
    expect(err.message).toBe(`${PATH}: 200 ${detail}`);
    expect(requests).toBe(1);
  });

  it('a body over the cap, declared by Content-Length', async () => {
    const { err, requests } = await failureOf(reply.json(200, { rules: [], pad: 'x'.repeat(5000) }), 1024);
    expect(err.message).toMatch(new RegExp(`^${PATH}: BODY_TOO_LARGE answer body of \\d+ bytes is larger than 1024$`));
    expect(err.kind).toBe('bad-response');
    expect(requests).toBe(1);
  });

  it('a streamed body over the cap, without Content-Length', async () => {
    const { err, requests } = await failureOf(reply.endless(`"${'y'.repeat(1000)}",`), 64 * 1024);
    expect(err.message).toBe(`${PATH}: BODY_TOO_LARGE answer body larger than 65536 bytes`);
    expect(requests).toBe(1);
  });

  it('the summary-task write accepts an empty 200 answer (documented); a rule write does not', async () => {
    server = await startTestServer(() => ({ status: 200 }));
    const { client } = testClient(server.url);
    await client.setSummaryTask(PROJECT, 'risk', true);
    const del = await client.deleteRule(PROJECT, INSTANCE, 'r').then(() => undefined, (e: unknown) => e as DbssApiError);
    await client.close();
    expect(del).toMatchObject({ kind: 'business', errorCode: 'NOT_SUCCESS' });
    expect(del?.message).toContain('the answer does not say the operation succeeded (an empty answer (no status))');
    expect(server.requests).toHaveLength(2);
  });

  it('success is recognised positively: SUCCESS/success pass, any other status value fails with the value quoted', async () => {
    const answers = [{ status: 'SUCCESS' }, { result: 'success' }, { result: 'SUCCESS' }, { result: 'ERROR' }, { status: 'PENDING' }, {}, { status: 'success', result: 'failed' }, { status: 0 }];
    server = await startTestServer((req) => ({ status: 200, json: answers[server!.requests.indexOf(req)] }));
    const { client } = testClient(server.url);
    const outcomes: string[] = [];
    for (let i = 0; i < answers.length; i++) {
      outcomes.push(await client.setRank(PROJECT, INSTANCE, 'r', 1).then(() => 'ok', (e: unknown) => (e as DbssApiError).detail ?? ''));
    }
    await client.close();
    expect(outcomes).toEqual([
      'ok',
      'ok',
      'ok',
      'the answer does not say the operation succeeded (result "ERROR")',
      'the answer does not say the operation succeeded (status "PENDING")',
      'the answer does not say the operation succeeded (no status or result in the answer)',
      'the answer says the operation failed (result "failed")',
      'the answer does not say the operation succeeded (status "0")',
    ]);
  });
});
