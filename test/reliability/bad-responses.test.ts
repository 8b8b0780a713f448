import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AkSkCredentials, DbssApiError, createDbssClient } from '../../src/api/index.js';
import { reply, startTestServer } from '../api/helpers/test-server.js';
import type { RecordedRequest, Reply } from '../api/helpers/test-server.js';
import { runCli } from '../helpers/run-cli.js';
import { STACK_LINE } from './helpers/cli-process.js';

/**
 * Bad responses from the CLI's point of view: `plan` against a server that answers with
 * truncated JSON, the wrong content type, missing or mistyped fields, a huge body, an unexpected
 * status, or extra fields. Each unusable answer is a clear, located error (the call, the code,
 * what is wrong), exit 1, no stack trace, and it is not retried; extra fields are ignored.
 * (The client-level cases, each answer shape alone, are in test/api/client-responses.test.ts.)
 */
const PROJECT = '0f1e2d3c4b5a69788796a5b4c3d2e1f0';
const INSTANCE = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
const ENV = { HUAWEICLOUD_SDK_AK: 'BADRESPONSEAK0000001', HUAWEICLOUD_SDK_SK: 'bad-response-secret-key' };
const POLICY = `version: 1
region: cn-north-4
project_id: ${PROJECT}
instances:
  - name: prod-audit
    risk_rules:
      - name: drop-table
        risk_level: HIGH
        actions: [DROP_TABLE]
`;

const extra = { unexpected: { nested: [1, 'x', null] }, another_new_field: 'ignored' };
const good = {
  instances: reply.json(200, { servers: [{ id: INSTANCE, name: 'prod-audit', status: 'ACTIVE', ...extra }], total: 1, ...extra }),
  rules: reply.json(200, { rules: [{ id: 'r1', name: 'drop-table', status: 'ON', rank: 1, risk_level: 'HIGH', rule_type: 'CUSTOMIZE', ...extra }], total: 1, ...extra }),
  show: reply.json(200, {
    id: 'r1', name: 'drop-table', risk_level: 'HIGH', status: 'ON', rank: 1, action: 'DROP_TABLE', affect_symbol: 'GREATER_EQUAL', affect_rows: 0,
    execution_symbol: 'GREATER_EQUAL', execution_time: 0, db_ids: '', client_ips: '', schemas: [], ignore_case: false, ...extra,
  }),
};
type Call = keyof typeof good;
const callOf = (r: RecordedRequest): Call => (r.path.endsWith('/audit/instances') ? 'instances' : r.path.endsWith('/rule/risk') ? 'rules' : 'show');

let policies: string;
beforeAll(async () => {
  policies = await mkdtemp(join(tmpdir(), 'dbss-bad-responses-'));
  await mkdir(join(policies, 'p'));
  await writeFile(join(policies, 'p', 'prod.yaml'), POLICY);
});
afterAll(() => rm(policies, { recursive: true, force: true }));

/** Runs `plan` against a server that gives `bad` for one call and good answers otherwise. */
async function planAgainst(call: Call, bad: Reply) {
  const server = await startTestServer((req) => (callOf(req) === call ? bad : good[callOf(req)]));
  try {
    const run = await runCli(['plan', '--policies', policies, '--endpoint', server.url], { env: ENV, cwd: policies });
    return { run, out: run.stdout + run.stderr, sent: server.requests.filter((r) => callOf(r) === call).length };
  } finally {
    await server.close();
  }
}

const INSTANCES = `GET /v1/${PROJECT}/audit/instances`;
const RULES = `GET /v1/${PROJECT}/audit/${INSTANCE}/rule/risk`;
const SHOW = `GET /v2/${PROJECT}/audit/${INSTANCE}/rule/risk/r1`;

describe('plan against a misbehaving server', () => {
  it.concurrent.each<[string, Call, Reply, string]>([
    ['truncated JSON', 'instances', reply.raw(200, '{"servers": [{"id": "a1b2', 'application/json'), `${INSTANCES}: 200 BAD_JSON answer is not valid JSON (malformed or truncated`],
    ['a JSON array instead of an object', 'instances', reply.raw(200, '[]', 'application/json'), `${INSTANCES}: 200 BAD_JSON answer is not a JSON object`],
    ['an HTML page with status 200', 'rules', reply.raw(200, '<html><body>Login</body></html>', 'text/html'), `${RULES}: 200 BAD_CONTENT_TYPE answer is text/html, expected JSON`],
    // rank is optional in the SDK (a rule without one is unranked); status is required
    ['a missing field', 'rules', reply.json(200, { rules: [{ id: 'r1', name: 'drop-table', rank: 1, risk_level: 'HIGH' }], total: 1 }), `${RULES}: 200 BAD_RESPONSE rules[0].status`],
    ['a mistyped field', 'show', reply.json(200, { id: 'r1', name: 'drop-table', risk_level: 42, status: 'ON', rank: 1 }), `${SHOW}: 200 BAD_RESPONSE risk_level`],
    ['a huge body', 'show', reply.raw(200, Buffer.alloc(11 * 1024 * 1024, 32), 'application/json'), `${SHOW}: BODY_TOO_LARGE`],
    ['an unexpected status with an HTML body', 'instances', reply.raw(418, '<h1>teapot</h1>', 'text/html'), `${INSTANCES}: 418 (non-JSON answer, text/html`],
  ])('%s: exit 1 with a clear message, sent once', async (_, call, bad, message) => {
    const { run, out, sent } = await planAgainst(call, bad);
    expect(run.code, out).toBe(1);
    expect(out).toContain(message);
    expect(out).toContain('prod-audit');
    expect(out).not.toMatch(STACK_LINE);
    expect(out).not.toContain('internal error');
    expect(sent).toBe(1);
  });

  it('unexpected extra fields everywhere are ignored', async () => {
    const { run, out } = await planAgainst('show', good.show);
    expect(run.code, out).toBe(0);
    expect(run.stdout).toContain('No changes.');
  });
});

describe('the client facing slow answers', () => {
  const drip = createServer((_req, res) => {
    // headers at once, then one byte of a never-ending body every 50 ms
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write('{"rules": [');
    const timer = setInterval(() => res.write(' '), 50);
    res.on('close', () => clearInterval(timer));
  });
  let url: string;
  beforeAll(async () => {
    await new Promise<void>((resolve) => drip.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(drip.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    drip.closeAllConnections();
    await new Promise<void>((resolve) => drip.close(() => resolve()));
  });

  it('a body that trickles forever ends in a timeout error after the allowed attempts', async () => {
    const client = createDbssClient({
      region: 'cn-north-4',
      endpoint: url,
      credentials: new AkSkCredentials({ accessKey: ENV.HUAWEICLOUD_SDK_AK, secretKey: ENV.HUAWEICLOUD_SDK_SK }),
      timeoutMs: 400,
      maxAttempts: 2,
      backoff: { baseMs: 10, maxMs: 10 },
    });
    const err = await client.listRules(PROJECT, INSTANCE).catch((e: unknown) => e);
    await client.close();
    expect(err).toBeInstanceOf(DbssApiError);
    expect((err as DbssApiError).kind).toBe('timeout');
    expect((err as DbssApiError).message).toBe(`${RULES}: TIMEOUT no complete answer within 400 ms [after 2 attempts]`);
    expect(client.stats().requests).toBe(2);
  });
});
