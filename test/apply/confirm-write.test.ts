import { afterEach, describe, expect, it } from 'vitest';
import { applyPlan } from '../../src/apply/apply-plan.js';
import { createClientPool } from '../../src/live/client-pool.js';
import type { Change } from '../../src/plan/types.js';
import { INSTANCE, PROJECT, ruleSpec, testClient } from '../api/helpers/client.js';
import { reply, startTestServer, type RecordedRequest, type Reply, type TestServer } from '../api/helpers/test-server.js';
import { INSTANCE_TARGET, NO_REVIEW, PROJECT_TARGET, TARGET, testPlan } from './test-plan.js';

/**
 * Idempotent outcomes on retry, over a real socket: the server applies a write and then drops
 * the connection (the answer is lost), so the client retries; the retry of a delete then
 * answers "unknown id". A change is applied only when a read shows the state it meant to reach.
 */

const RULE = 'abcdefghij0123456789';

/** A tiny DBSS: one instance's rules and one summary task, with write behaviour chosen per test. */
function dbss(opts: { writes: (req: RecordedRequest, state: State) => Reply }) {
  const state: State = { rules: [{ id: RULE, name: 'r', rule_type: 'CUSTOMIZE', status: 'ON', rank: 1, risk_level: 'HIGH', type: 'OPERATE' }], taskOn: false, spec: undefined };
  return (req: RecordedRequest): Reply => {
    if (req.method === 'GET' && req.path.endsWith('/rule/risk')) return reply.json(200, { rules: state.rules, total: state.rules.length });
    if (req.method === 'GET' && req.path.endsWith(`/rule/risk/${RULE}`)) return reply.json(200, { rule_id: RULE, rule_name: 'r', ...(state.spec ?? {}) });
    if (req.method === 'GET' && req.path.endsWith('/task-status')) return reply.json(200, { task_switch: state.taskOn ? 'on' : 'off' });
    return opts.writes(req, state);
  };
}
interface State {
  rules: Record<string, unknown>[];
  taskOn: boolean;
  spec: Record<string, unknown> | undefined;
}

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function run(handler: (req: RecordedRequest) => Reply, change: Change) {
  server = await startTestServer(handler);
  const url = server.url;
  const pool = createClientPool(() => testClient(url, { maxAttempts: 2 }).client);
  try {
    const result = await applyPlan(testPlan([change], [INSTANCE_TARGET, PROJECT_TARGET]), { pool });
    return { result: result.results[0]!, requests: server.requests.map((r) => `${r.method} ${r.path.replace(/.*\/audit\//, '')}`) };
  } finally {
    await pool.close();
  }
}

const deleteChange: Change = { id: `${TARGET}#delete:r`, target: TARGET, kind: 'delete', rule: 'r', ruleId: RULE, review: NO_REVIEW };

describe('a write whose answer was lost is read back', () => {
  it('a delete whose retry answers unknown id is applied once a listing shows the rule gone', async () => {
    let deletes = 0;
    const { result, requests } = await run(
      dbss({
        writes: (_req, state) => {
          deletes++;
          if (deletes === 1) {
            state.rules = []; // applied, then the answer is lost
            return reply.reset();
          }
          return reply.error(400, 'DBSS.10020021', 'invalid id parameter');
        },
      }),
      deleteChange,
    );
    expect(result).toMatchObject({ outcome: 'applied', calls: 2 });
    expect(result.detail).toMatch(/an answer was lost \(DBSS\.10020021 after 2 attempts\); a listing confirms the rule is gone/);
    expect(requests).toEqual([`DELETE ${INSTANCE}/rule/risk/${RULE}`, `DELETE ${INSTANCE}/rule/risk/${RULE}`, `GET ${INSTANCE}/rule/risk`]);
  });

  it('a 404 on the retry counts the same', async () => {
    let deletes = 0;
    const { result } = await run(
      dbss({
        writes: (_req, state) => {
          if (++deletes === 1) {
            state.rules = [];
            return reply.reset();
          }
          return reply.error(404, 'DBSS.10021004', 'not found');
        },
      }),
      deleteChange,
    );
    expect(result.outcome).toBe('applied');
  });

  it('stays failed when the listing still shows the rule', async () => {
    let deletes = 0;
    const { result } = await run(dbss({ writes: () => (++deletes === 1 ? reply.reset() : reply.error(400, 'DBSS.10020021', 'invalid id parameter')) }), deleteChange);
    expect(result.outcome).toBe('failed');
    expect(result.detail).toMatch(/400 DBSS\.10020021/);
  });

  it('stays failed, without a read, when no answer was lost (an unknown id on the first attempt)', async () => {
    const { result, requests } = await run(dbss({ writes: () => reply.error(400, 'DBSS.10020021', 'invalid id parameter') }), deleteChange);
    expect(result.outcome).toBe('failed');
    expect(requests).toEqual([`DELETE ${INSTANCE}/rule/risk/${RULE}`]);
  });

  it('a switch, an update and a task change whose every answer was lost are applied when the read shows them', async () => {
    const switchChange: Change = { id: `${TARGET}#switch:OFF`, target: TARGET, kind: 'switch', status: 'OFF', rules: [{ id: RULE, name: 'r', system: false }], review: NO_REVIEW };
    const sw = await run(
      dbss({
        writes: (_req, state) => {
          state.rules = state.rules.map((r) => ({ ...r, status: 'OFF' }));
          return reply.reset();
        },
      }),
      switchChange,
    );
    expect(sw.result).toMatchObject({ outcome: 'applied', calls: 2 });
    expect(sw.result.detail).toMatch(/a listing confirms every rule is OFF/);
    await server!.close();
    server = undefined;

    const spec = ruleSpec('r');
    const updateChange: Change = { id: `${TARGET}#update:r`, target: TARGET, kind: 'update', rule: 'r', ruleId: RULE, before: { ...spec }, after: spec, fields: [], review: NO_REVIEW };
    const up = await run(
      dbss({
        writes: (req, state) => {
          state.spec = JSON.parse(req.body) as Record<string, unknown>;
          return reply.json(503, { error_code: 'APIG.0201', error_msg: 'backend unavailable' });
        },
      }),
      updateChange,
    );
    expect(up.result).toMatchObject({ outcome: 'applied', calls: 3 });
    expect(up.result.detail).toMatch(/a read-back shows the content as sent/);
    await server!.close();
    server = undefined;

    const taskChange: Change = { id: `cn-north-4/${PROJECT}#set-task:risk`, target: `cn-north-4/${PROJECT}`, kind: 'set-task', busiType: 'risk', before: false, after: true, review: NO_REVIEW };
    const task = await run(
      dbss({
        writes: (_req, state) => {
          state.taskOn = true;
          return reply.reset();
        },
      }),
      taskChange,
    );
    expect(task.result).toMatchObject({ outcome: 'applied' });
    expect(task.result.detail).toMatch(/a read-back shows the task on/);
  });

  it('an update whose read-back differs stays failed', async () => {
    const spec = ruleSpec('r');
    const updateChange: Change = { id: `${TARGET}#update:r`, target: TARGET, kind: 'update', rule: 'r', ruleId: RULE, before: { ...spec }, after: spec, fields: [], review: NO_REVIEW };
    const { result } = await run(dbss({ writes: () => reply.reset() }), updateChange);
    expect(result.outcome).toBe('failed');
  });
});
