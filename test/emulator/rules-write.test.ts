import { describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator/index.js';
import { call } from './helpers/call.js';
import { emulator, P1, P2, PCI, PROD, STAGING, paths, ruleBody } from './helpers/fixtures.js';

async function listed(emu: Emulator, p: string, i: string): Promise<{ id: string; name: string; rank: number; status: string }[]> {
  return (await call(emu.url, 'GET', `${paths.rulesNew(p, i)}?limit=1000`)).json.rules;
}
async function idOf(emu: Emulator, p: string, i: string, name: string): Promise<string> {
  const rule = (await listed(emu, p, i)).find((r) => r.name === name);
  if (!rule) throw new Error(`no rule ${name}`);
  return rule.id;
}

describe('create', () => {
  it('answers only {status: SUCCESS} (no id) and appends the rule at rank n+1', async () => {
    const emu = await emulator();
    const res = await call(emu.url, 'POST', paths.create(P1, PROD), { body: ruleBody('truncate-in-prod', { action: 'DROP_TABLE', execution_symbol: 'GREATER', execution_time: 5000 }) });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ status: 'SUCCESS' });
    const rules = await listed(emu, P1, PROD);
    expect(rules.at(-1)).toMatchObject({ name: 'truncate-in-prod', rank: 9 });
    expect(rules.map((r) => r.rank)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('a duplicate rule name (custom or system) is HTTP 200 with status FAILED and changes nothing', async () => {
    const emu = await emulator();
    for (const name of ['bulk-delete-prod', 'Database_drag_detection']) {
      const res = await call(emu.url, 'POST', paths.create(P1, PROD), { body: ruleBody(name) });
      expect(res.status).toBe(200);
      expect(res.json).toEqual({ status: 'FAILED' });
    }
    expect(await listed(emu, P1, PROD)).toHaveLength(8);
  });

  it('validates required fields, enums, numbers and lists with flat 400s naming the field', async () => {
    const emu = await emulator();
    const cases: [Record<string, unknown> | string, RegExp][] = [
      [{ ...ruleBody('a'), rule_name: undefined }, /rule_name is required/],
      [{ ...ruleBody('a'), risk_level: 'SEVERE' }, /risk_level "SEVERE".*NO_RISK, LOW, MEDIUM, HIGH/],
      [{ ...ruleBody('a'), status: 'on' }, /status/],
      [{ ...ruleBody('a'), affect_symbol: 'NOT_EQUAL' }, /affect_symbol/],
      [{ ...ruleBody('a'), affect_rows: -1 }, /affect_rows/],
      [{ ...ruleBody('a'), execution_time: '5' }, /execution_time/],
      [{ ...ruleBody('a'), execution_symbol: undefined }, /execution_symbol is required/],
      [{ ...ruleBody('a'), action: 'DROP_TABLE,TRUNCATE' }, /unknown operation "TRUNCATE"/],
      [{ ...ruleBody('a'), client_ips: '10.0.0.0/33' }, /client_ips.*prefix/],
      [{ ...ruleBody('a'), exception_ips: '10.0.0.1-2001:db8::1' }, /exception_ips/],
      [{ ...ruleBody('a'), schemas: [{ schema: 5 }] }, /schemas\[0\]\.schema/],
      [{ ...ruleBody('a'), ignore_case: 'yes' }, /ignore_case/],
      [{ ...ruleBody('a'), rule_name: 'x'.repeat(256) }, /rule_name/],
      ['{not json', /not valid JSON/],
      ['[1,2]', /JSON object/],
    ];
    for (const [body, message] of cases) {
      const res = await call(emu.url, 'POST', paths.create(P1, PROD), { body });
      expect(res.status, String(message)).toBe(400);
      expect(res.json).toEqual({ error_code: 'DBSS.10000001', error_msg: expect.stringMatching(message) });
    }
    expect(await listed(emu, P1, PROD)).toHaveLength(8);
  });

  it('accepts nulls for the optional fields and IPv6 entries', async () => {
    const emu = await emulator();
    const body = ruleBody('nulls', { action: null, client_ips: '2001:db8::/32,10.0.0.1-10.0.0.9', exception_ips: null, db_ids: null, schemas: null, ignore_case: null });
    expect((await call(emu.url, 'POST', paths.create(P2, PCI), { body })).json).toEqual({ status: 'SUCCESS' });
  });
});

describe('update (v2 PUT, full replacement)', () => {
  it('replaces every field, clears omitted optional ones and keeps the rank', async () => {
    const emu = await emulator();
    const id = await idOf(emu, P1, PROD, 'drop-table-in-prod');
    const res = await call(emu.url, 'PUT', paths.update(P1, PROD, id), { body: ruleBody('drop-table-in-prod', { risk_level: 'HIGH', action: 'DROP_TABLE', exception_ips: '10.0.0.5' }) });
    expect(res.json).toEqual({ status: 'SUCCESS' });
    const shown = (await call(emu.url, 'GET', paths.showV2(P1, PROD, id))).json;
    expect(shown).toMatchObject({ risk_level: 'HIGH', action: 'DROP_TABLE', client_ips: null, db_ids: null, schemas: [], rank: 6 });
    expect(shown).not.toHaveProperty('exception_ips');
    const stored = emu.state.projects[P1]!.instances[0]!.rules[5]!;
    expect(stored.exceptionIps).toBe('10.0.0.5');
  });

  it('missing required fields are a flat 400; renaming onto another rule is 200 FAILED', async () => {
    const emu = await emulator();
    const id = await idOf(emu, P1, PROD, 'bulk-delete-prod');
    const partial = await call(emu.url, 'PUT', paths.update(P1, PROD, id), { body: { rule_name: 'bulk-delete-prod', risk_level: 'LOW' } });
    expect(partial.status).toBe(400);
    expect(partial.json).toEqual({ error_code: 'DBSS.10000001', error_msg: 'status is required' });
    const rename = await call(emu.url, 'PUT', paths.update(P1, PROD, id), { body: ruleBody('legacy-export') });
    expect(rename.json).toEqual({ status: 'FAILED' });
    const same = await call(emu.url, 'PUT', paths.update(P1, PROD, id), { body: ruleBody('bulk-delete-prod') });
    expect(same.json).toEqual({ status: 'SUCCESS' });
  });
});

describe('delete', () => {
  it('removes the rule and renumbers the ranks', async () => {
    const emu = await emulator();
    const id = await idOf(emu, P1, PROD, 'bulk-delete-prod');
    expect((await call(emu.url, 'DELETE', paths.delete(P1, PROD, id))).json).toEqual({ status: 'SUCCESS' });
    const rules = await listed(emu, P1, PROD);
    expect(rules.map((r) => r.name).slice(4)).toEqual(['drop-table-in-prod', 'grant-outside-dba', 'legacy-export']);
    expect(rules.map((r) => r.rank)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    const again = await call(emu.url, 'DELETE', paths.delete(P1, PROD, id));
    expect(again.status).toBe(400);
    expect(again.json.error_code).toBe('DBSS.10020021');
  });
});

describe('switch', () => {
  it('v2 switches comma-joined ids, system rules included', async () => {
    const emu = await emulator();
    const slow = await idOf(emu, P1, PROD, 'Slow_SQL_detection');
    const legacy = await idOf(emu, P1, PROD, 'legacy-export');
    const res = await call(emu.url, 'POST', paths.switchV2(P1, PROD), { body: { ids: `${slow},${legacy}`, status: 'OFF' }, headers: { 'content-type': 'application/json;charset=UTF-8' } });
    expect(res.json).toEqual({ status: 'SUCCESS' });
    const rules = await listed(emu, P1, PROD);
    expect(rules.filter((r) => r.status === 'OFF').map((r) => r.name)).toEqual(['Slow_SQL_detection', 'legacy-export']);
  });

  it('v1 (old path) works the same and answers errors nested; one unknown id fails the whole call', async () => {
    const emu = await emulator();
    const staging = await idOf(emu, P1, STAGING, 'drop-table-staging');
    const ok = await call(emu.url, 'POST', paths.switchV1(P1, STAGING), { body: { ids: staging, status: 'ON' } });
    expect(ok.json).toEqual({ status: 'SUCCESS' });
    const slow = await idOf(emu, P1, PROD, 'Slow_SQL_detection');
    const bad = await call(emu.url, 'POST', paths.switchV1(P1, PROD), { body: { ids: `${slow},ZZZZZZZZZZZZZZZZZZZZ`, status: 'ON' } });
    expect(bad.status).toBe(400);
    expect(bad.json).toEqual({ error: { error_code: 'DBSS.10020021', error_msg: expect.stringContaining('ZZZZZZZZZZZZZZZZZZZZ') } });
    expect((await listed(emu, P1, PROD))[1]).toMatchObject({ name: 'Slow_SQL_detection', status: 'OFF' });
    const badV2 = await call(emu.url, 'POST', paths.switchV2(P1, PROD), { body: { ids: slow, status: 'MAYBE' } });
    expect(badV2.json).toEqual({ error_code: 'DBSS.10000001', error_msg: expect.stringContaining('status') });
    const noIds = await call(emu.url, 'POST', paths.switchV2(P1, PROD), { body: { ids: '', status: 'ON' } });
    expect(noIds.json.error_msg).toMatch(/ids is required/);
  });
});

describe('rank', () => {
  it('moves a rule to new_rank, shifts the others and answers lower-case result: success', async () => {
    const emu = await emulator();
    const drop = await idOf(emu, P1, PROD, 'drop-table-in-prod');
    const res = await call(emu.url, 'POST', paths.rank(P1, PROD), { body: { id: drop, new_rank: 5 } });
    expect(res.json).toEqual({ result: 'success' });
    const names = (await listed(emu, P1, PROD)).map((r) => r.name);
    expect(names.slice(4)).toEqual(['drop-table-in-prod', 'bulk-delete-prod', 'grant-outside-dba', 'legacy-export']);
    const legacy = await idOf(emu, P1, PROD, 'legacy-export');
    await call(emu.url, 'POST', paths.rank(P1, PROD), { body: { id: legacy, new_rank: 1 } });
    const after = await listed(emu, P1, PROD);
    expect(after.map((r) => r.name).slice(0, 2)).toEqual(['legacy-export', 'Database_drag_detection']);
    expect(after.map((r) => r.rank)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    const clamp = await call(emu.url, 'POST', paths.rank(P1, PROD), { body: { id: legacy, new_rank: 500 } });
    expect(clamp.json).toEqual({ result: 'success' });
    expect((await listed(emu, P1, PROD)).at(-1)).toMatchObject({ name: 'legacy-export', rank: 8 });
  });

  it('validates id and new_rank', async () => {
    const emu = await emulator();
    const drop = await idOf(emu, P1, PROD, 'drop-table-in-prod');
    for (const body of [{ id: drop }, { id: drop, new_rank: 0 }, { id: drop, new_rank: 1.5 }, { new_rank: 2 }]) {
      const res = await call(emu.url, 'POST', paths.rank(P1, PROD), { body });
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
  });
});

describe('system rules', () => {
  it('cannot be edited, deleted or re-ranked (400 DBSS error), only switched', async () => {
    const emu = await emulator();
    const drag = await idOf(emu, P1, PROD, 'Database_drag_detection');
    const edit = await call(emu.url, 'PUT', paths.update(P1, PROD, drag), { body: ruleBody('Database_drag_detection') });
    const del = await call(emu.url, 'DELETE', paths.delete(P1, PROD, drag));
    const rank = await call(emu.url, 'POST', paths.rank(P1, PROD), { body: { id: drag, new_rank: 3 } });
    for (const res of [edit, del, rank]) {
      expect(res.status).toBe(400);
      expect(res.json).toEqual({ error_code: 'DBSS.10000001', error_msg: expect.stringContaining('system rule Database_drag_detection') });
    }
    expect((await listed(emu, P1, PROD))[0]).toMatchObject({ name: 'Database_drag_detection', rank: 1, status: 'ON' });
    const show = await call(emu.url, 'GET', paths.showV2(P1, PROD, drag));
    expect(show.json).toMatchObject({ rule_name: 'Database_drag_detection', action: 'SELECT', rank: 1 });
  });
});
