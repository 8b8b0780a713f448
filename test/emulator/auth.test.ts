import { describe, expect, it } from 'vitest';
import { request } from 'undici';
import type { AuthSettings } from '../../src/emulator/index.js';
import { call } from './helpers/call.js';
import { emulator, manualClock, P1, PROD, paths, ruleBody } from './helpers/fixtures.js';
import { authorization, sdkDate } from './helpers/sign.js';

const KEY = { ak: 'EMULATORTESTAK000001', sk: 'emulator-test-secret-key-1' };
const TEMP = { ak: 'TEMPORARYTESTAK00002', sk: 'temporary-secret-2', securityToken: 'security-token-abc' };
const AUTH: AuthSettings = { credentials: [KEY, TEMP], tokens: ['iam-token-xyz'] };

async function authed(clock = manualClock()) {
  return { emu: await emulator({ auth: AUTH, now: clock.now }), clock };
}

function expect401(res: { status: number; json: any; text: string }, detail: RegExp) {
  expect(res.status).toBe(401);
  expect(res.json).toEqual({ error_code: 'APIG.0301', error_msg: expect.stringMatching(detail), request_id: expect.stringMatching(/^[0-9a-f]{32}$/) });
  for (const secret of [KEY.sk, TEMP.sk, TEMP.securityToken, 'iam-token-xyz']) expect(res.text).not.toContain(secret);
}

describe('authentication (APIG)', () => {
  it('accepts a good signature, with a query string and a JSON body', async () => {
    const { emu, clock } = await authed();
    const list = await call(emu.url, 'GET', `${paths.rulesNew(P1, PROD)}?name=${encodeURIComponent("drop table*(x)'!")}&limit=5&offset=0`, { auth: { key: KEY, signedAt: clock.now() } });
    expect(list.status).toBe(200);
    const create = await call(emu.url, 'POST', paths.create(P1, PROD), { body: ruleBody('signed-create'), auth: { key: KEY, signedAt: clock.now() }, headers: { 'x-project-id': P1 } });
    expect(create.json).toEqual({ status: 'SUCCESS' });
  });

  it('rejects a bad signature, a tampered body and an unknown AK', async () => {
    const { emu, clock } = await authed();
    expect401(await call(emu.url, 'GET', paths.rulesNew(P1, PROD), { auth: { key: { ak: KEY.ak, sk: 'wrong' }, signedAt: clock.now() } }), /verify aksk signature fail/);
    expect401(await call(emu.url, 'GET', paths.rulesNew(P1, PROD), { auth: { key: { ak: 'UNKNOWNAK', sk: KEY.sk }, signedAt: clock.now() } }), /signature/);

    const url = new URL(paths.create(P1, PROD), emu.url);
    const headers = { 'content-type': 'application/json', host: url.host, 'x-sdk-date': sdkDate(clock.now()) };
    const signed = authorization(KEY, 'POST', url, headers, JSON.stringify(ruleBody('a')));
    const res = await request(url, { method: 'POST', headers: { ...headers, authorization: signed }, body: JSON.stringify(ruleBody('b')) });
    expect(res.statusCode).toBe(401);
    await res.body.dump();
    expect(emu.state.projects[P1]!.instances[0]!.rules).toHaveLength(8);
  });

  it('rejects an X-Sdk-Date more than 15 minutes off, either way, and a missing or unsigned one', async () => {
    const { emu, clock } = await authed();
    const at = (offset: number) => call(emu.url, 'GET', paths.rulesNew(P1, PROD), { auth: { key: KEY, signedAt: clock.now() + offset } });
    expect((await at(15 * 60_000)).status).toBe(200);
    expect((await at(-15 * 60_000)).status).toBe(200);
    expect401(await at(15 * 60_000 + 1000), /15 minutes/);
    expect401(await at(-16 * 60_000), /15 minutes/);
    const url = new URL(paths.rulesNew(P1, PROD), emu.url);
    const noDate = authorization(KEY, 'GET', url, { host: url.host }, '');
    const res = await request(url, { headers: { authorization: noDate, 'x-sdk-date': sdkDate(clock.now()) } });
    expect(res.statusCode).toBe(401);
    await res.body.dump();
  });

  it('accepts a configured IAM token and rejects others', async () => {
    const { emu } = await authed();
    expect((await call(emu.url, 'GET', paths.rulesNew(P1, PROD), { auth: { token: 'iam-token-xyz' } })).status).toBe(200);
    expect401(await call(emu.url, 'GET', paths.rulesNew(P1, PROD), { auth: { token: 'expired' } }), /token/);
    expect401(await call(emu.url, 'GET', paths.rulesNew(P1, PROD)), /Authorization/);
  });

  it('temporary credentials need their X-Security-Token', async () => {
    const { emu, clock } = await authed();
    const key = { ak: TEMP.ak, sk: TEMP.sk };
    expect((await call(emu.url, 'GET', paths.rulesNew(P1, PROD), { auth: { key, signedAt: clock.now(), securityToken: TEMP.securityToken } })).status).toBe(200);
    expect401(await call(emu.url, 'GET', paths.rulesNew(P1, PROD), { auth: { key, signedAt: clock.now() } }), /X-Security-Token/);
    expect401(await call(emu.url, 'GET', paths.rulesNew(P1, PROD), { auth: { key, signedAt: clock.now(), securityToken: 'other' } }), /X-Security-Token/);
  });

  it('locks an AK for 5 minutes after more than 5 consecutive failures', async () => {
    const { emu, clock } = await authed();
    const bad = () => call(emu.url, 'GET', paths.rulesNew(P1, PROD), { auth: { key: { ak: KEY.ak, sk: 'wrong' }, signedAt: clock.now() } });
    const good = () => call(emu.url, 'GET', paths.rulesNew(P1, PROD), { auth: { key: KEY, signedAt: clock.now() } });
    for (let i = 0; i < 5; i++) expect((await bad()).status).toBe(401);
    expect((await good()).status).toBe(200); // success resets the count
    for (let i = 0; i < 6; i++) expect((await bad()).status).toBe(401);
    expect401(await good(), /locked/);
    expect((await call(emu.url, 'GET', paths.rulesNew(P1, PROD), { auth: { token: 'iam-token-xyz' } })).status).toBe(200);
    clock.advance(5 * 60_000 - 1000);
    expect401(await good(), /locked/);
    clock.advance(1000);
    expect((await good()).status).toBe(200);
    expect(emu.counters().authFailures).toBe(5 + 6 + 2);
  });

  it('gateway checks come first: an unknown path is 404 even without credentials', async () => {
    const { emu } = await authed();
    expect((await call(emu.url, 'GET', '/v1/unknown')).status).toBe(404);
  });
});
