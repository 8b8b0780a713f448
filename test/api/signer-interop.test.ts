import { describe, expect, it } from 'vitest';
import { AkSkCredentials } from '../../src/api/credentials.js';
import { signRequest } from '../../src/api/signer.js';
import { huaweiSign } from './helpers/huawei-signer.js';

/**
 * Interop proof: for the same request and the same signed header set, this project's signer
 * and Huawei's Node SDK signer (@huaweicloud/huaweicloud-sdk-core AKSKSigner.sign) produce
 * the same Authorization header. The SDK signs every header it is given plus host, so both
 * get the same headers, including X-Sdk-Date.
 */
const AK = 'HPUAINTEROPACCESSKEY';
const SK = 'interopSecretKey0123456789abcdefghijKLMN';
const DATE = new Date(Date.UTC(2026, 2, 13, 8, 5, 9));
const SDK_DATE = '20260313T080509Z';
const HOST = 'https://dbss.cn-north-4.myhuaweicloud.com';

interface Case {
  readonly name: string;
  readonly method: string;
  /** Path as the SDK gets it (raw characters; it encodes segments itself). */
  readonly path: string;
  /** Same path as sent on the wire (percent-encoded). */
  readonly wirePath: string;
  readonly query: readonly (readonly [string, string])[];
  readonly headers: Record<string, string>;
  readonly data?: unknown;
}

const CASES: Case[] = [
  {
    name: 'list rules with paging and a name filter',
    method: 'GET',
    path: '/v1/0a1b2c3d4e5f60718293a4b5c6d7e8f9/audit/inst01/rule/risk',
    wirePath: '/v1/0a1b2c3d4e5f60718293a4b5c6d7e8f9/audit/inst01/rule/risk',
    query: [['offset', '0'], ['limit', '1000'], ['name', 'drop tables*']],
    headers: { 'content-type': 'application/json', 'x-project-id': '0a1b2c3d4e5f60718293a4b5c6d7e8f9' },
  },
  {
    name: 'repeated query names, sorted by value',
    method: 'GET',
    path: '/v1/p/audit/instances',
    wirePath: '/v1/p/audit/instances',
    query: [['risk_levels', 'LOW'], ['risk_levels', 'HIGH'], ['a', '~x']],
    headers: { 'content-type': 'application/json;charset=UTF-8' },
  },
  {
    name: 'create with a JSON body',
    method: 'POST',
    path: '/v1/p/audit/i/rule/risk',
    wirePath: '/v1/p/audit/i/rule/risk',
    query: [],
    headers: { 'content-type': 'application/json', 'x-project-id': 'p' },
    data: { rule_name: 'règle 1', risk_level: 'HIGH', status: 'ON', action: 'DROP_TABLE,DELETE', affect_rows: 10, schemas: [{ schema: 'db' }] },
  },
  {
    name: 'delete with an empty body',
    method: 'DELETE',
    path: '/v1/p/audit/i/rule/risk/c7ILB3kBCwCqSg3B2OpF',
    wirePath: '/v1/p/audit/i/rule/risk/c7ILB3kBCwCqSg3B2OpF',
    query: [],
    headers: { 'content-type': 'application/json', 'x-project-id': 'p' },
  },
  {
    name: 'unicode path segment',
    method: 'GET',
    path: '/v2/p/audit/实例/rule/risk/é',
    wirePath: '/v2/p/audit/%E5%AE%9E%E4%BE%8B/rule/risk/%C3%A9',
    query: [],
    headers: { 'content-type': 'application/json' },
  },
];

describe('signer interop with the Huawei Node SDK', () => {
  it.each(CASES)('same Authorization as AKSKSigner.sign: $name', (c) => {
    const queryParams: Record<string, string | string[]> = {};
    for (const [k, v] of c.query) {
      const prev = queryParams[k];
      queryParams[k] = prev === undefined ? v : [...(Array.isArray(prev) ? prev : [prev]), v];
    }
    const theirs = huaweiSign(
      { method: c.method, endpoint: `${HOST}${c.path}`, headers: { ...c.headers, 'X-Sdk-Date': SDK_DATE }, queryParams, ...(c.data === undefined ? {} : { data: c.data }) },
      AK,
      SK,
    );
    const search = c.query.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
    const ours = signRequest(
      {
        method: c.method,
        url: `${HOST}${c.wirePath}${search ? `?${search}` : ''}`,
        headers: c.headers,
        ...(c.data === undefined ? {} : { body: JSON.stringify(c.data) }),
      },
      { ak: AK, sk: SK },
      DATE,
    );
    expect(ours['X-Sdk-Date']).toBe(SDK_DATE);
    expect(ours['Authorization']).toBe(theirs);
  });

  it('temporary credentials sign X-Security-Token the way the SDK does', () => {
    const token = 'securitytoken-' + 'x'.repeat(40);
    const creds = new AkSkCredentials({ accessKey: AK, secretKey: SK, securityToken: token });
    const headers = { 'Content-Type': 'application/json', 'X-Project-Id': 'p' };
    const ours = creds.authenticate({ method: 'GET', url: `${HOST}/v3/p/audit/summary/risk/task-status`, headers }, DATE);
    const theirs = huaweiSign(
      { method: 'GET', endpoint: `${HOST}/v3/p/audit/summary/risk/task-status`, headers: { ...headers, 'X-Security-Token': token, 'X-Sdk-Date': SDK_DATE } },
      AK,
      SK,
    );
    expect(ours['X-Security-Token']).toBe(token);
    expect(ours['Authorization']).toBe(theirs);
    expect(ours['Authorization']).toContain('SignedHeaders=content-type;host;x-project-id;x-sdk-date;x-security-token,');
  });
});
