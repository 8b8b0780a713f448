import sdk from '@huaweicloud/huaweicloud-sdk-core';
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { emulator, P1, PROD, paths, ruleBody } from './helpers/fixtures.js';

const { BasicCredentials } = sdk;
const AK = 'SDKSIGNERTESTAK00001';
const SK = 'sdk-signer-test-secret';

/**
 * Requests signed by Huawei's own Node SDK: BasicCredentials.processAuthRequest substitutes
 * {project_id}, adds X-Project-Id (and X-Security-Token) and calls AKSKSigner.sign. The SDK's
 * HTTP client (axios via ClientBuilder) cannot load here (its `uuid` dependency is not
 * installed), so the signed request is sent with undici exactly as signed: the body is
 * JSON.stringify(data), which is what the signer hashed.
 */
async function sdkSend(base: string, credential: InstanceType<typeof BasicCredentials>, method: string, url: string, query: Record<string, string>, data?: object) {
  const signed = (await credential.processAuthRequest(undefined as never, {
    endpoint: base,
    url,
    method,
    headers: data ? { 'content-type': 'application/json' } : {},
    queryParams: query,
    pathParams: {},
    ...(data ? { data } : {}),
  } as never)) as unknown as { endpoint: string; headers: Record<string, string> };
  const qs = new URLSearchParams(query).toString();
  const res = await request(`${signed.endpoint}${qs ? `?${qs}` : ''}`, {
    method: method as 'GET',
    headers: signed.headers,
    ...(data ? { body: JSON.stringify(data) } : {}),
  });
  return { status: res.statusCode, json: (await res.body.json()) as any };
}

describe("Huawei's SDK signer", () => {
  it('signs requests the emulator accepts (GET with a query, POST with a body)', async () => {
    const emu = await emulator({ auth: { credentials: [{ ak: AK, sk: SK }], tokens: [] } });
    const credential = new BasicCredentials().withAk(AK).withSk(SK).withProjectId(P1);
    const list = await sdkSend(emu.url, credential, 'GET', `/v1/{project_id}/audit/${PROD}/rule/risk`, { name: 'drop table(1)*', limit: '10', offset: '0' });
    expect(list.status).toBe(200);
    expect(list.json.total).toBe(0);
    const create = await sdkSend(emu.url, credential, 'POST', `/v1/{project_id}/audit/${PROD}/rule/risk`, {}, ruleBody('created-by-sdk', { client_ips: '10.0.0.0/8' }));
    expect(create).toEqual({ status: 200, json: { status: 'SUCCESS' } });
    const found = await sdkSend(emu.url, credential, 'GET', paths.rulesNew('{project_id}', PROD), { name: 'created-by-sdk' });
    expect(found.json.rules).toEqual([expect.objectContaining({ name: 'created-by-sdk', rank: 9 })]);
  });

  it('signs temporary credentials with X-Security-Token, and a wrong SK is refused', async () => {
    const emu = await emulator({ auth: { credentials: [{ ak: AK, sk: SK, securityToken: 'sts-token' }], tokens: [] } });
    const temporary = new BasicCredentials().withAk(AK).withSk(SK).withSecurityToken('sts-token').withProjectId(P1);
    expect((await sdkSend(emu.url, temporary, 'GET', `/v1/{project_id}/audit/instances`, { limit: '5' })).status).toBe(200);
    const wrong = new BasicCredentials().withAk(AK).withSk('not-the-secret').withSecurityToken('sts-token').withProjectId(P1);
    const refused = await sdkSend(emu.url, wrong, 'GET', `/v1/{project_id}/audit/instances`, {});
    expect(refused.status).toBe(401);
    expect(refused.json.error_code).toBe('APIG.0301');
  });
});
