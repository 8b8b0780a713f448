import { describe, expect, it } from 'vitest';
import { call } from '../../emulator/helpers/call.js';
import { rig, TARGET, withOptions } from './helpers.js';

/** The emulator's masking API as a client sees it on the wire (dbss-api-more.md §3). */

const V1 = `/v1/${TARGET.projectId}/audit/${TARGET.instanceId}/sensitive`;
const SWITCH = `/v2/${TARGET.projectId}/audit/${TARGET.instanceId}/sensitive/mask/rule/switch`;

async function rules(url: string, query = 'limit=1000'): Promise<Record<string, unknown>[]> {
  return (await call(url, 'GET', `${V1}/mask/rule?${query}`)).json.rules;
}

describe('the emulated masking API', () => {
  it('lists built-in rules as BUILD_IN with regex "-", pages with offset/limit (limit 1..1000) and a total', async () => {
    const { emulator } = await rig();
    const page = await call(emulator.url, 'GET', `${V1}/mask/rule?offset=1&limit=2`);
    expect(page.json.total).toBe(5);
    expect(page.json.rules).toHaveLength(2);
    expect(page.json.rules[0]).toMatchObject({ type: 'BUILD_IN', regex: '-', status: 'ON', name: 'Bank card number' });
    expect(page.json.rules[0].operate_time).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    expect((await call(emulator.url, 'GET', `${V1}/mask/rule?limit=1001`)).status).toBe(400);
  });

  it('answers operate_time and type as the profile reads them', async () => {
    const { emulator } = await rig({ profile: withOptions({ maskOperateTime: 'epoch-ms', maskRuleType: 'absent', maskListTotal: 'absent' }) });
    const page = await call(emulator.url, 'GET', `${V1}/mask/rule`);
    expect(page.json.total).toBeUndefined();
    expect(page.json.rules[0].operate_time).toMatch(/^\d{13}$/);
    expect(page.json.rules[0].type).toBeUndefined();
  });

  it('creates without an id in the answer, refuses a name already used (FAILED) and a missing field (400)', async () => {
    const { emulator } = await rig();
    const body = { rule_name: 'n', mask_regex: 'r', mask_value: 'v' };
    expect((await call(emulator.url, 'POST', `${V1}/mask/rule`, { body })).json).toEqual({ status: 'SUCCESS' });
    expect((await call(emulator.url, 'POST', `${V1}/mask/rule`, { body })).json).toEqual({ status: 'FAILED' });
    expect((await call(emulator.url, 'POST', `${V1}/mask/rule`, { body: { ...body, rule_name: 'Email address' } })).json).toEqual({ status: 'FAILED' });
    const missing = await call(emulator.url, 'POST', `${V1}/mask/rule`, { body: { rule_name: 'm', mask_regex: 'r' } });
    expect([missing.status, missing.json.error_code]).toEqual([400, 'DBSS.10000001']);
    expect((await rules(emulator.url)).filter((r) => r['type'] === 'USER_DEFINE').map((r) => r['name'])).toEqual(['n']);
  });

  it('updates name, regex and replacement and keeps the status; built-in rules can only be switched', async () => {
    const { emulator } = await rig({ profile: withOptions({ maskCreatedStatus: 'OFF' }) });
    await call(emulator.url, 'POST', `${V1}/mask/rule`, { body: { rule_name: 'n', mask_regex: 'r', mask_value: 'v' } });
    const all = await rules(emulator.url);
    const mine = all.find((r) => r['name'] === 'n')!;
    const builtIn = all.find((r) => r['type'] === 'BUILD_IN')!;
    expect(mine['status']).toBe('OFF');
    expect((await call(emulator.url, 'POST', `${V1}/mask/rule/${mine['id']}`, { body: { rule_name: 'n2', mask_regex: 'r2', mask_value: 'v2' } })).json).toEqual({ status: 'SUCCESS' });
    expect((await rules(emulator.url)).find((r) => r['id'] === mine['id'])).toMatchObject({ name: 'n2', regex: 'r2', mask_value: 'v2', status: 'OFF' });
    expect((await call(emulator.url, 'POST', `${V1}/mask/rule/${builtIn['id']}`, { body: { rule_name: 'x', mask_regex: 'r', mask_value: 'v' } })).status).toBe(400);
    expect((await call(emulator.url, 'DELETE', `${V1}/mask/rule/${builtIn['id']}`)).status).toBe(400);
    expect((await call(emulator.url, 'DELETE', `${V1}/mask/rule/${mine['id']}`)).json).toEqual({ status: 'SUCCESS' });
    const gone = await call(emulator.url, 'DELETE', `${V1}/mask/rule/${mine['id']}`);
    expect([gone.status, gone.json.error_code]).toEqual([400, 'DBSS.10020021']);
  });

  it('switches rules by a JSON list of ids, all or nothing', async () => {
    const { emulator } = await rig();
    const ids = (await rules(emulator.url)).map((r) => r['id'] as string);
    const unknown = await call(emulator.url, 'POST', SWITCH, { body: { ids: [ids[0], 'AAAAAAAAAAAAAAAAAAAA'], status: 'OFF' } });
    expect(unknown.status).toBe(400);
    expect((await rules(emulator.url)).every((r) => r['status'] === 'ON')).toBe(true);
    expect((await call(emulator.url, 'POST', SWITCH, { body: { ids: ids.join(','), status: 'OFF' } })).status).toBe(400);
    expect((await call(emulator.url, 'POST', SWITCH, { body: { ids: ids.slice(0, 2), status: 'OFF' } })).json).toEqual({ status: 'SUCCESS' });
    expect((await rules(emulator.url)).map((r) => r['status'])).toEqual(['OFF', 'OFF', 'ON', 'ON', 'ON']);
  });

  it('reads the instance-wide switches as {status: ON|OFF} and sets them answering {status: SUCCESS}', async () => {
    const { emulator } = await rig();
    expect((await call(emulator.url, 'GET', `${V1}/mask/switch`)).json).toEqual({ status: 'OFF' });
    expect((await call(emulator.url, 'GET', `${V1}/result/switch`)).json).toEqual({ status: 'ON' });
    expect((await call(emulator.url, 'POST', `${V1}/mask/switch`, { body: { status: 'ON' } })).json).toEqual({ status: 'SUCCESS' });
    expect((await call(emulator.url, 'POST', `${V1}/result/switch`, { body: { status: 'on' } })).status).toBe(400);
    expect((await call(emulator.url, 'GET', `${V1}/mask/switch`)).json).toEqual({ status: 'ON' });
    expect((await call(emulator.url, 'GET', `${V1}/result/switch`)).json).toEqual({ status: 'ON' });
  });
});
