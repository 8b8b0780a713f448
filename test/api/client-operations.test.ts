import { afterEach, describe, expect, it } from 'vitest';
import { TokenCredentials, AkSkCredentials } from '../../src/api/credentials.js';
import { ruleRequestBody } from '../../src/api/wire.js';
import { AK, INSTANCE, PROJECT, SK, ruleSpec, testClient } from './helpers/client.js';
import { signatureMatches } from './helpers/huawei-signer.js';
import { reply, startTestServer, type Handler, type RecordedRequest, type TestServer } from './helpers/test-server.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function serve(handler: Handler): Promise<TestServer> {
  server = await startTestServer(handler);
  return server;
}

const RULES = `/v1/${PROJECT}/audit/${INSTANCE}/rule/risk`;
const rule = (i: number): Record<string, unknown> => ({ id: `rule${i}`, name: `r-${i}`, type: 'OPERATE', status: 'ON', rank: i, risk_level: 'LOW', rule_type: i === 0 ? 'SYSTEM' : null });

/** Every request carried a valid signature over what arrived, per Huawei's own signer. */
function expectSigned(requests: readonly RecordedRequest[]): void {
  expect(requests.length).toBeGreaterThan(0);
  for (const r of requests) {
    expect(r.headers['authorization']).toMatch(/SignedHeaders=content-type;host;x-project-id;x-sdk-date,/);
    expect(r.headers['x-sdk-date']).toMatch(/^\d{8}T\d{6}Z$/);
    expect(r.headers['x-project-id']).toBe(PROJECT);
    expect(signatureMatches(r, AK, SK)).toBe(true);
  }
}

describe('list operations page through offset/limit', () => {
  it('listInstances reads every page, snake_case and camelCase alike', async () => {
    const all = [0, 1, 2, 3, 4].map((i) => (i % 2 ? { id: `i${i}`, name: `db-${i}`, status: 'ACTIVE', chargeModel: 'Demand' } : { id: `i${i}`, name: `db-${i}`, status: 'ACTIVE', charge_model: 'Period' }));
    const s = await serve((req) => {
      const offset = Number(req.query.get('offset'));
      const limit = Number(req.query.get('limit'));
      return reply.json(200, { servers: all.slice(offset, offset + limit), total: all.length });
    });
    const { client } = testClient(s.url, { pageSize: 2 });
    const instances = await client.listInstances(PROJECT);
    await client.close();
    expect(instances.map((i) => i.id)).toEqual(['i0', 'i1', 'i2', 'i3', 'i4']);
    expect(s.requests.map((r) => [r.method, r.path, r.query.get('offset'), r.query.get('limit')])).toEqual([
      ['GET', `/v1/${PROJECT}/audit/instances`, '0', '2'],
      ['GET', `/v1/${PROJECT}/audit/instances`, '2', '2'],
      ['GET', `/v1/${PROJECT}/audit/instances`, '4', '2'],
    ]);
    expect(s.requests.every((r) => r.headers['content-type'] === 'application/json' && r.body === '')).toBe(true);
    expectSigned(s.requests);
  });

  it('listRules passes the name filter, reads 2 500 rules in pages of 1 000 and reads null rule_type as UNKNOWN', async () => {
    const all = Array.from({ length: 2500 }, (_, i) => rule(i));
    const s = await serve((req) => {
      const offset = Number(req.query.get('offset'));
      return reply.json(200, { rules: all.slice(offset, offset + Number(req.query.get('limit'))), total: all.length, customize_total: 2499 });
    });
    const { client } = testClient(s.url);
    const rules = await client.listRules(PROJECT, INSTANCE, { name: 'r- é&x' });
    await client.close();
    expect(rules).toHaveLength(2500);
    expect(rules[0]).toEqual({ id: 'rule0', name: 'r-0', ruleType: 'SYSTEM', status: 'ON', rank: 0, riskLevel: 'LOW' });
    expect(rules[1]!.ruleType).toBe('UNKNOWN'); // the live reader decides by name (rule-kinds.ts)
    expect(s.requests.map((r) => r.query.get('offset'))).toEqual(['0', '1000', '2000']);
    expect(s.requests.every((r) => r.path === RULES && r.query.get('limit') === '1000' && r.query.get('name') === 'r- é&x')).toBe(true);
    expect(s.requests[0]!.url).toContain('name=r-%20%C3%A9%26x');
    expectSigned(s.requests);
  });

  it('without a total, goes on past a short page and stops at the empty one (issue 18: a short page may be a capped one)', async () => {
    const all = Array.from({ length: 7 }, (_, i) => rule(i));
    const s = await serve((req) => reply.json(200, { rules: all.slice(Number(req.query.get('offset')), Number(req.query.get('offset')) + 3) }));
    const { client } = testClient(s.url, { pageSize: 3 });
    expect(await client.listRules(PROJECT, INSTANCE)).toHaveLength(7);
    await client.close();
    expect(s.requests.map((r) => r.query.get('offset'))).toEqual(['0', '3', '6', '7']);
  });

  it('refuses a server that repeats the same page instead of looping forever', async () => {
    const s = await serve(() => reply.json(200, { rules: [rule(1), rule(2)], total: 10 }));
    const { client } = testClient(s.url, { pageSize: 2 });
    await expect(client.listRules(PROJECT, INSTANCE)).rejects.toThrow(/INCONSISTENT_LISTING inconsistent listing: id "rule1" listed twice \(at offset 2\)/);
    await client.close();
    expect(s.requests).toHaveLength(2);
  });
});

describe('rule and task operations', () => {
  it('sends each operation on its documented method, path, headers and body', async () => {
    const answers: Record<string, unknown> = {
      [`GET /v2/${PROJECT}/audit/${INSTANCE}/rule/risk/rule7`]: {
        rule_id: 'rule7', rule_name: 'guard', status: 'OFF', action: 'DELETE', schemas: [], rank: 7, ignore_case: false, risk_level: 'MEDIUM',
        db_ids: 'db1,db2', client_ips: '', execution_symbol: 'GREATER', execution_time: 5, affect_symbol: 'GREATER', affect_rows: 1,
      },
      [`GET /v3/${PROJECT}/audit/summary/risk/task-status`]: { id: 42, project_id: PROJECT, busi_type: 'risk', task_switch: 'on', task_status: '1' },
      [`POST ${RULES}`]: { status: 'SUCCESS' },
      [`PUT /v2/${PROJECT}/audit/${INSTANCE}/rule/risk/rule7`]: { status: 'SUCCESS' },
      [`DELETE ${RULES}/rule7`]: { status: 'SUCCESS' },
      [`POST /v2/${PROJECT}/audit/${INSTANCE}/rule/risk/switch`]: { result: 'SUCCESS' },
      [`POST /v2/${PROJECT}/audit/${INSTANCE}/rule/risk/rank`]: { result: 'success' },
      [`POST /v1/${PROJECT}/audit/summary/risk/task-status`]: undefined,
      [`POST /v1/${PROJECT}/audit/summary/audit/task-status`]: undefined,
    };
    const s = await serve((req) => {
      const key = `${req.method} ${req.path}`;
      if (!(key in answers)) return reply.error(404, 'APIG.0101', `no route ${key}`);
      const body = answers[key];
      return body === undefined ? { status: 200 } : reply.json(200, body);
    });
    const { client } = testClient(s.url);
    const spec = ruleSpec('guard');

    expect(await client.showRule(PROJECT, INSTANCE, 'rule7')).toMatchObject({ id: 'rule7', name: 'guard', status: 'OFF', rank: 7, dbIds: ['db1', 'db2'], clientIps: [], riskLevel: 'MEDIUM' });
    expect(await client.showSummaryTask(PROJECT, 'risk')).toEqual({ busiType: 'risk', enabled: true, switchText: 'on', status: 'running' });
    await client.createRule(PROJECT, INSTANCE, spec);
    await client.updateRule(PROJECT, INSTANCE, 'rule7', { ...spec, status: 'OFF' });
    await client.deleteRule(PROJECT, INSTANCE, 'rule7');
    await client.switchRules(PROJECT, INSTANCE, ['rule7', 'rule8', 'rule9'], 'OFF');
    await client.switchRules(PROJECT, INSTANCE, [], 'ON');
    await client.setRank(PROJECT, INSTANCE, 'rule7', 2);
    await client.setSummaryTask(PROJECT, 'risk', false);
    await client.executeSummaryTask(PROJECT, 'audit');
    await client.close();

    const seen = s.requests.map((r) => ({ call: `${r.method} ${r.path}`, type: r.headers['content-type'], body: r.body === '' ? undefined : JSON.parse(r.body) }));
    expect(seen).toEqual([
      { call: `GET /v2/${PROJECT}/audit/${INSTANCE}/rule/risk/rule7`, type: 'application/json', body: undefined },
      { call: `GET /v3/${PROJECT}/audit/summary/risk/task-status`, type: 'application/json', body: undefined },
      { call: `POST ${RULES}`, type: 'application/json', body: ruleRequestBody(spec) },
      { call: `PUT /v2/${PROJECT}/audit/${INSTANCE}/rule/risk/rule7`, type: 'application/json', body: ruleRequestBody({ ...spec, status: 'OFF' }) },
      { call: `DELETE ${RULES}/rule7`, type: 'application/json', body: undefined },
      { call: `POST /v2/${PROJECT}/audit/${INSTANCE}/rule/risk/switch`, type: 'application/json;charset=UTF-8', body: { ids: 'rule7,rule8,rule9', status: 'OFF' } },
      { call: `POST /v2/${PROJECT}/audit/${INSTANCE}/rule/risk/rank`, type: 'application/json', body: { id: 'rule7', new_rank: 2 } },
      { call: `POST /v1/${PROJECT}/audit/summary/risk/task-status`, type: 'application/json', body: { oper_type: 'switch', code: 'off' } },
      { call: `POST /v1/${PROJECT}/audit/summary/audit/task-status`, type: 'application/json', body: { oper_type: 'execute' } },
    ]);
    expectSigned(s.requests);
    expect(client.stats()).toEqual({
      requests: 9,
      retries: 0,
      throttled: 0,
      byOperation: { createRule: 1, deleteRule: 1, executeSummaryTask: 1, setRank: 1, setSummaryTask: 1, showRule: 1, showSummaryTask: 1, switchRules: 1, updateRule: 1 },
      requestsPerSecond: expect.any(Number),
    });
  });

  it('percent-encodes path parameters as single segments, and sends no id that cannot be one (issue 18)', async () => {
    const s = await serve(() => reply.json(200, { status: 'SUCCESS' }));
    const { client } = testClient(s.url);
    await client.deleteRule(PROJECT, INSTANCE, "a:b+c(\u00dc)'");
    await expect(client.deleteRule(PROJECT, INSTANCE, 'a/b c')).rejects.toThrow('deleteRule: unusable rule id "a/b c": it contains whitespace; not sent');
    await client.close();
    expect(s.requests.map((r) => r.path)).toEqual([`${RULES}/a%3Ab%2Bc%28%C3%9C%29%27`]);
  });
});

describe('authentication headers', () => {
  it('an IAM token is sent as X-Auth-Token with X-Project-Id, unsigned', async () => {
    const s = await serve(() => reply.json(200, { task_switch: 'off', task_status: '0' }));
    const { client } = testClient(s.url, { credentials: new TokenCredentials('iam-token-value-0123456789') });
    await client.showSummaryTask(PROJECT, 'audit');
    await client.close();
    const r = s.requests[0]!;
    expect(r.headers['x-auth-token']).toBe('iam-token-value-0123456789');
    expect(r.headers['x-project-id']).toBe(PROJECT);
    expect(r.headers['authorization']).toBeUndefined();
  });

  it('temporary AK/SK send and sign X-Security-Token', async () => {
    const s = await serve(() => reply.json(200, { task_switch: 'off', task_status: '0' }));
    const { client } = testClient(s.url, { credentials: new AkSkCredentials({ accessKey: AK, secretKey: SK, securityToken: 'sts-token-value-0123456789' }) });
    await client.showSummaryTask(PROJECT, 'audit');
    await client.close();
    const r = s.requests[0]!;
    expect(r.headers['x-security-token']).toBe('sts-token-value-0123456789');
    expect(r.headers['authorization']).toContain('SignedHeaders=content-type;host;x-project-id;x-sdk-date;x-security-token,');
    expect(signatureMatches(r, AK, SK)).toBe(true);
    expect(signatureMatches(r, AK, `${SK}x`)).toBe(false);
  });
});
