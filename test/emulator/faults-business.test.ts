import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { demoState, DEMO_INSTANCES, DEMO_PROJECTS, startEmulator } from '../../src/emulator/index.js';
import type { Emulator } from '../../src/emulator/index.js';

let emu: Emulator;
beforeEach(async () => {
  emu = await startEmulator({ state: demoState() });
});
afterEach(async () => {
  await emu.close();
});

const rulesPath = `/v1/${DEMO_PROJECTS.payments}/audit/${DEMO_INSTANCES.prodAudit}/rule/risk`;
const body = {
  rule_name: 'x-new',
  risk_level: 'LOW',
  status: 'ON',
  affect_symbol: 'GREATER_EQUAL',
  affect_rows: 0,
  execution_symbol: 'GREATER_EQUAL',
  execution_time: 0,
};

describe("the 'failed' fault (business failure)", () => {
  it('answers a write with HTTP 200 status FAILED and applies nothing', async () => {
    emu.failNext('CreateAuditRiskRule', 'failed');
    const res = await fetch(`${emu.url}${rulesPath}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'FAILED' });
    const list = (await (await fetch(`${emu.url}${rulesPath}?name=x-new`)).json()) as { rules: unknown[] };
    expect(list.rules).toHaveLength(0);
  });

  it('answers a rank call with result failed, and a read with 400 DBSS.10020102', async () => {
    emu.failNext('SetRiskRuleRank', 'failed');
    const rank = await fetch(`${emu.url}/v2/${DEMO_PROJECTS.payments}/audit/${DEMO_INSTANCES.prodAudit}/rule/risk/rank`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: 'whatever-id-00000000', new_rank: 1 }),
    });
    expect(await rank.json()).toEqual({ result: 'failed' });
    emu.failNext('ListAuditRuleRisksNew', 'failed');
    const read = await fetch(`${emu.url}${rulesPath}`);
    expect(read.status).toBe(400);
    expect(((await read.json()) as { error_code: string }).error_code).toBe('DBSS.10020102');
  });
});
