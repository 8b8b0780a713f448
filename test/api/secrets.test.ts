import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AkSkCredentials, TokenCredentials } from '../../src/api/credentials.js';
import type { ClientEvent } from '../../src/api/client-options.js';
import type { DbssClient } from '../../src/api/types.js';
import { INSTANCE, PROJECT, ruleSpec, testClient } from './helpers/client.js';
import { reply, startTestServer, type TestServer } from './helpers/test-server.js';

/**
 * Secrets (AK, SK, security token, IAM token) must not appear in any error message, event or
 * stats, however they are printed, even when the server echoes them back.
 */
const AK = 'HPUASECRETACCESSKEY77';
const SK = 'SecretKeyMustNeverLeak0123456789abcdefgh';
const STS = 'StsSecurityTokenMustNeverLeak-' + 'z'.repeat(30);
const IAM = 'IamTokenMustNeverLeak-' + 'w'.repeat(30);

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer((req) => {
    // a misbehaving server that echoes every credential it received (and the SK, for good measure)
    const access = /Access=([^,]+)/.exec(String(req.headers['authorization'] ?? ''))?.[1] ?? '';
    const echo = `ak ${access} sk ${access ? SK : ''} sts ${String(req.headers['x-security-token'] ?? '')} iam ${String(req.headers['x-auth-token'] ?? '')}`;
    const op = req.path.split('/').at(-1);
    if (op === 'instances') return reply.json(401, { error_code: 'APIG.0301', error_msg: `Incorrect IAM authentication information: ${echo}`, request_id: 'r1' });
    if (op === 'task-status' && req.method === 'GET') return reply.json(429, { error_code: 'APIG.0308', error_msg: `over ratelimit ${echo},limit:1000,time:1 second` });
    if (op === 'task-status') return reply.json(200, { status: 'FAILED', error_msg: echo });
    if (op === 'risk' && req.method === 'GET') return reply.json(200, { rules: [{ id: 'x', name: 'n', status: 'ON', rank: 1, risk_level: AK }] });
    if (op === 'risk') return reply.json(403, { error_code: 'DBSS.403', error_msg: 'denied', details: [{ error_code: 'IAM', error_msg: echo }] });
    if (op === 'switch') return reply.reset();
    if (op === 'rank') return reply.hang();
    return reply.json(500, { error: { error_code: `DBSS.${AK}`, error_msg: echo } });
  });
});
afterAll(() => server.close());

async function failures(client: DbssClient): Promise<unknown[]> {
  const calls: Promise<unknown>[] = [
    client.showSummaryTask(PROJECT, 'risk'),
    client.setSummaryTask(PROJECT, 'risk', true),
    client.listRules(PROJECT, INSTANCE),
    client.createRule(PROJECT, INSTANCE, ruleSpec('x')),
    client.switchRules(PROJECT, INSTANCE, ['a'], 'ON'),
    client.setRank(PROJECT, INSTANCE, 'a', 1),
    client.deleteRule(PROJECT, INSTANCE, 'a'),
  ];
  // The 401 comes last: after it nothing more is sent with the credential (auth-gate.ts).
  const settled = [...(await Promise.allSettled(calls)), ...(await Promise.allSettled([client.listInstances(PROJECT)]))];
  return settled.map((s) => (s.status === 'rejected' ? s.reason : new Error('unexpected success')));
}

function printed(values: readonly unknown[]): string {
  return values
    .flatMap((v) => [
      v instanceof Error ? v.message : '',
      String(v),
      JSON.stringify(v),
      inspect(v, { depth: Infinity, showHidden: true }),
    ])
    .join('\n');
}

describe('no secret reaches errors, events or stats', () => {
  it.each([
    ['temporary AK/SK', new AkSkCredentials({ accessKey: AK, secretKey: SK, securityToken: STS }), [AK, SK, STS]],
    ['an IAM token', new TokenCredentials(IAM), [IAM]],
  ])('with %s', async (_, credentials, secrets) => {
    const events: ClientEvent[] = [];
    const { client } = testClient(server.url, { credentials, maxAttempts: 2, timeoutMs: 1000, onEvent: (e) => events.push(e) });
    const errors = await failures(client);
    const stats = client.stats();
    await client.close();

    expect(errors.every((e) => e instanceof Error && !/unexpected success/.test(e.message))).toBe(true);
    expect(events.length).toBeGreaterThan(0);
    const output = printed([...errors, ...events, stats, client, credentials]);
    for (const secret of secrets) expect(output).not.toContain(secret);
    expect(output).toContain('***');
  });
});
