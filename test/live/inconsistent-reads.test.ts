import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { reply, startTestServer } from '../api/helpers/test-server.js';
import type { RecordedRequest, Reply, TestServer } from '../api/helpers/test-server.js';
import { runInProcess } from '../helpers/run-in-process.js';

/**
 * Consistent reads or no writes, seen from `plan`: an instance whose listing or show answers
 * cannot be trusted gets an error and no changes; the other instance is still planned.
 */
const PROJECT = '0f1e2d3c4b5a69788796a5b4c3d2e1f0';
const GOOD = 'a'.repeat(32);
const BAD = 'b'.repeat(32);
const ENV = { HUAWEICLOUD_SDK_AK: 'INCONSISTENTREADSAK01', HUAWEICLOUD_SDK_SK: 'inconsistent-reads-secret' };
const POLICY = `version: 1
region: cn-north-4
project_id: ${PROJECT}
instances:
${['good', 'bad'].map((n) => `  - name: ${n}\n    prune: true\n    risk_rules:\n      - name: keep\n        risk_level: HIGH\n      - name: added\n        risk_level: LOW\n`).join('')}`;

const rule = (id: string, name: string, rank: number) => ({ id, name, status: 'ON', rank, risk_level: 'HIGH', rule_type: 'CUSTOMIZE' });
const detail = (id: string, name: string) => ({
  rule_id: id, rule_name: name, status: 'ON', risk_level: 'HIGH', rank: 1, action: '', affect_symbol: 'GREATER_EQUAL', affect_rows: 0,
  execution_symbol: 'GREATER_EQUAL', execution_time: 0, db_ids: '', client_ips: '', schemas: [], ignore_case: false,
});
const instances = reply.json(200, { servers: [{ id: GOOD, name: 'good', status: 'ACTIVE' }, { id: BAD, name: 'bad', status: 'ACTIVE' }], total: 2 });
/** The good instance: `keep` and an undeclared `stray` (pruned). */
const goodRules = reply.json(200, { rules: [rule('keep1', 'keep', 1), rule('stray1', 'stray', 2)], total: 2 });

let policies: string;
let server: TestServer | undefined;
beforeAll(async () => {
  policies = await mkdtemp(join(tmpdir(), 'dbss-inconsistent-'));
  await mkdir(join(policies, 'p'));
  await writeFile(join(policies, 'p', 'a.yaml'), POLICY);
});
afterAll(() => rm(policies, { recursive: true, force: true }));
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Plans against a server whose answers about the bad instance come from `bad`. */
async function planWith(bad: { rules?: (req: RecordedRequest) => Reply; show?: (req: RecordedRequest) => Reply }) {
  server = await startTestServer((req) => {
    if (req.path.endsWith('/audit/instances')) return instances;
    const onBad = req.path.includes(BAD);
    if (req.path.endsWith('/rule/risk')) return onBad && bad.rules ? bad.rules(req) : onBad ? reply.json(200, { rules: [rule('keep2', 'keep', 1)], total: 1 }) : goodRules;
    const id = req.path.split('/').pop()!;
    if (onBad && bad.show) return bad.show(req);
    return reply.json(200, detail(id, id.startsWith('keep') ? 'keep' : 'stray'));
  });
  const r = await runInProcess(['plan', '--format', 'json', '--policies', policies, '--endpoint', server.url], { cwd: policies, env: ENV });
  const plan = JSON.parse(r.stdout) as { changes: { id: string; target: string }[]; errors: { target: string; message: string }[] };
  return { code: r.code, plan };
}

const goodChanges = ['create:added', 'reorder', 'delete:stray'];

describe('an instance with an inconsistent read is not planned; the others are', () => {
  const cases: [string, { rules?: (req: RecordedRequest) => Reply; show?: (req: RecordedRequest) => Reply }, RegExp][] = [
    ['fewer items than total', { rules: (req) => reply.json(200, { rules: req.query.get('offset') === '0' ? [rule('keep2', 'keep', 1)] : [], total: 3 }) }, /1 items listed of a total of 3/],
    ['an id listed twice under two names', { rules: () => reply.json(200, { rules: [rule('keep2', 'keep', 1), rule('keep2', 'added', 2)], total: 2 }) }, /id "keep2" listed twice/],
    ['a show answer about another rule', { show: () => reply.json(200, detail('stray1', 'keep')) }, /asked for rule "keep2", the answer is about rule "stray1"/],
    ['a show answer with another rule name', { show: () => reply.json(200, detail('keep2', 'added')) }, /rule "keep2" is listed as "keep" but shown as "added"/],
    ['a listing without rules', { rules: () => reply.json(200, { total: 0 }) }, /rules: expected a list/],
  ];
  it.each(cases)('%s', async (_name, bad, message) => {
    const { code, plan } = await planWith(bad);
    expect(code).toBe(1);
    expect(plan.changes.filter((c) => c.target.endsWith('/bad'))).toEqual([]);
    expect(plan.errors).toHaveLength(1);
    expect(plan.errors[0]!.target).toBe(`cn-north-4/${PROJECT}/bad`);
    expect(plan.errors[0]!.message).toMatch(message);
    expect(plan.changes.map((c) => c.id.split('#')[1])).toEqual(goodChanges);
  });

  it('(control) consistent answers plan both instances', async () => {
    const { code, plan } = await planWith({});
    expect(code).toBe(0);
    expect(plan.errors).toEqual([]);
    expect(plan.changes.filter((c) => c.target.endsWith('/bad')).map((c) => c.id.split('#')[1])).toEqual(['create:added', 'reorder']);
  });
});
