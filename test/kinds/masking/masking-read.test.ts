import { afterEach, describe, expect, it } from 'vitest';
import { masking } from '../../../src/kinds/masking/index.js';
import { INSTANCE, PROJECT, testClient } from '../../api/helpers/client.js';
import { reply, startTestServer, type TestServer } from '../../api/helpers/test-server.js';

/**
 * Tolerant reading: every field of a listed mask rule is optional in the SDK, so answers with
 * fields absent, null, of another type or in another case are read without a crash; what cannot
 * be understood is unknown and said in the observations. `operate_time` is never read.
 */

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const BASE = `/v1/${PROJECT}/audit/${INSTANCE}/sensitive`;
const T = { projectId: PROJECT, instanceId: INSTANCE };

async function readFrom(answers: Record<string, unknown>) {
  server = await startTestServer((req) => {
    const answer = answers[req.path];
    // a list answers its rules from the offset asked for (without a total the client reads on to an empty page)
    const a = answer as { rules?: unknown[] } | null | undefined;
    return reply.json(200, Array.isArray(a?.rules) ? { ...a, rules: a.rules.slice(Number(req.query.get('offset'))) } : (answer ?? {}));
  });
  const { client } = testClient(server.url);
  try {
    return await masking.read(client.kinds, T);
  } finally {
    await client.close();
  }
}

describe('reading masking tolerantly', () => {
  it('reads odd but understandable answers: lower-case and boolean switches, numeric ids, BUILT_IN, any operate_time', async () => {
    const live = await readFrom({
      [`${BASE}/mask/switch`]: { status: 'on' },
      [`${BASE}/result/switch`]: { status: false },
      [`${BASE}/mask/rule`]: {
        total: '3',
        rules: [
          { id: 1234567890123456, name: 'phone', type: 'user_define', regex: '1\\d{10}', mask_value: '1**********', status: 'Off', operate_time: 1733616000000 },
          { id: 'b1b1b1b1b1b1b1b1', name: 'Bank card', type: 'BUILT_IN', regex: '-', mask_value: null, status: 'ON', operate_time: { weird: true } },
          { id: 'c2c2c2c2c2c2c2c2', name: 'mail', type: 'USER_DEFINE', regex: 'x', mask_value: 7, status: 'ON', operate_time: '2026-12-08 00:00:00' },
        ],
      },
    });
    expect(live).toEqual({
      settings: { masking: 'ON', result_set_storage: 'OFF' },
      objects: [
        { id: '1234567890123456', key: 'phone', builtIn: false, spec: { regex: '1\\d{10}', mask_value: '1**********', status: 'OFF' } },
        { id: 'b1b1b1b1b1b1b1b1', key: 'Bank card', builtIn: true, spec: { status: 'ON' } },
        { id: 'c2c2c2c2c2c2c2c2', key: 'mail', builtIn: false, spec: { regex: 'x', mask_value: '7', status: 'ON' } },
      ],
      observations: [],
      // operate_time written three ways settles nothing about it
      learned: { maskListTotal: 'present', maskRuleType: 'present' },
    });
  });

  it('reads what it cannot understand as unknown and says so: no status, a status of another meaning, no type, no rules list', async () => {
    const live = await readFrom({
      [`${BASE}/mask/switch`]: { status: 'SUCCESS' },
      [`${BASE}/result/switch`]: null,
      [`${BASE}/mask/rule`]: { rules: [{ name: 'built', regex: '-', status: 'ON' }, { id: 'x1x1x1x1x1x1x1x1', name: 'mine', regex: 'a+', status: 'MAYBE' }, null] },
    });
    expect(live.settings).toEqual({});
    expect(live.objects).toEqual([
      { id: '', key: 'built', builtIn: true, spec: { status: 'ON' } },
      { id: 'x1x1x1x1x1x1x1x1', key: 'mine', builtIn: false, spec: { regex: 'a+' } },
      { id: '', key: '', builtIn: true, spec: {} },
    ]);
    expect(live.observations).toEqual([
      'the masking switch answered status "SUCCESS": not understood, so it is set as declared',
      'the result-set-storage switch answered no status: not understood, so it is set as declared',
      '3 mask rules listed without a known type (BUILD_IN or USER_DEFINE): told built in when the regex is "-" or absent, custom otherwise',
    ]);
    expect(live.learned).toEqual({ maskListTotal: 'absent', maskRuleType: 'absent', maskOperateTime: 'absent' });
  });

  it("sends offset and limit as strings of the client's page size (at most 1000) and reads every page", async () => {
    const rules = Array.from({ length: 1500 }, (_, i) => ({ id: `id${String(i).padStart(14, '0')}`, name: `r${i}`, type: 'USER_DEFINE', regex: 'a', mask_value: 'b', status: 'ON' }));
    server = await startTestServer((req) => {
      const offset = Number(req.query.get('offset'));
      return reply.json(200, { rules: rules.slice(offset, offset + Number(req.query.get('limit'))), total: rules.length });
    });
    const { client } = testClient(server.url, { pageSize: 1000 });
    const live = await masking.read(client.kinds, T, masking.desired([{ values: { mask_rules: [] }, at: () => ({ file: 'f', line: 1, col: 1 }) }], true));
    await client.close();
    expect(live.objects).toHaveLength(1500);
    expect(server.requests.map((r) => [r.method, r.path, r.query.get('offset'), r.query.get('limit')])).toEqual([
      ['GET', `${BASE}/mask/rule`, '0', '1000'],
      ['GET', `${BASE}/mask/rule`, '1000', '1000'],
    ]);
  });
});
