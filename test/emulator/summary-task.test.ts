import { describe, expect, it } from 'vitest';
import { call } from './helpers/call.js';
import { emulator, manualClock, P1, P2, paths } from './helpers/fixtures.js';

describe('summary tasks', () => {
  it('v3 read shows the seeded tasks', async () => {
    const emu = await emulator();
    const p1risk = await call(emu.url, 'GET', paths.taskRead(P1, 'risk'));
    expect(p1risk.status).toBe(200);
    expect(p1risk.json).toMatchObject({ project_id: P1, busi_type: 'risk', task_switch: 'off', task_status: '0', total_num: 3, completed_num: 0 });
    expect(typeof p1risk.json.id).toBe('number');
    const p2audit = await call(emu.url, 'GET', paths.taskRead(P2, 'audit'));
    expect(p2audit.json).toMatchObject({ task_switch: 'on', task_status: '2', completed_num: 2 });
  });

  it('v1 switch needs code, answers 200 with an empty body and flips task_switch', async () => {
    const emu = await emulator();
    const missing = await call(emu.url, 'POST', paths.taskWrite(P1, 'risk'), { body: { oper_type: 'switch' } });
    expect(missing.status).toBe(400);
    expect(missing.json).toEqual({ error_code: 'DBSS.10000001', error_msg: expect.stringContaining('code') });
    const res = await call(emu.url, 'POST', paths.taskWrite(P1, 'risk'), { body: { oper_type: 'switch', code: 'on' } });
    expect(res.status).toBe(200);
    expect(res.text).toBe('');
    expect(res.headers['content-length']).toBe('0');
    expect((await call(emu.url, 'GET', paths.taskRead(P1, 'risk'))).json.task_switch).toBe('on');
    expect((await call(emu.url, 'GET', paths.taskRead(P1, 'audit'))).json.task_switch).toBe('off');
  });

  it('execute runs ("1") for the configured time, then reads as succeeded ("2")', async () => {
    const clock = manualClock();
    const emu = await emulator({ now: clock.now, summaryTaskDurationMs: 10_000 });
    const begin = clock.now();
    const res = await call(emu.url, 'POST', paths.taskWrite(P1, 'audit'), { body: { oper_type: 'execute', query_begin_time: 1, query_end_time: 2 } });
    expect(res.status).toBe(200);
    expect((await call(emu.url, 'GET', paths.taskRead(P1, 'audit'))).json).toMatchObject({ task_status: '1', begin_time: begin, end_time: 0, query_begin_time: 1, query_end_time: 2 });
    clock.advance(9_999);
    expect((await call(emu.url, 'GET', paths.taskRead(P1, 'audit'))).json.task_status).toBe('1');
    clock.advance(1);
    expect((await call(emu.url, 'GET', paths.taskRead(P1, 'audit'))).json).toMatchObject({ task_status: '2', end_time: begin + 10_000, completed_num: 3 });
  });

  it('busi_type is case-sensitive and oper_type/code are validated', async () => {
    const emu = await emulator();
    expect((await call(emu.url, 'GET', paths.taskRead(P1, 'Risk'))).status).toBe(400);
    const bodies = [{ oper_type: 'refresh' }, { oper_type: 'switch', code: 'ON' }, { oper_type: 'execute', query_begin_time: 'yesterday' }, {}];
    for (const body of bodies) {
      const res = await call(emu.url, 'POST', paths.taskWrite(P1, 'risk'), { body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.json.error_code).toBe('DBSS.10000001');
    }
  });
});
