import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalQueryString, canonicalRequest, canonicalUri, EMPTY_BODY_SHA256, encodeRfc3986, formatSdkDate, signRequest } from '../../src/api/signer.js';

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');
const DATE = new Date(Date.UTC(2019, 10, 15, 3, 36, 55));

describe('canonical parts', () => {
  it('formats X-Sdk-Date as YYYYMMDDTHHMMSSZ in UTC', () => {
    expect(formatSdkDate(DATE)).toBe('20191115T033655Z');
  });

  it('percent-encodes everything but unreserved characters', () => {
    expect(encodeRfc3986("AZaz09-_.~ !'()*/+=&é")).toBe("AZaz09-_.~%20%21%27%28%29%2A%2F%2B%3D%26%C3%A9");
  });

  it('encodes each path segment and adds a trailing slash only for signing', () => {
    expect(canonicalUri('/v1/p/audit/%C3%A9%20x')).toBe('/v1/p/audit/%C3%A9%20x/');
    expect(canonicalUri('/v1/p/')).toBe('/v1/p/');
    expect(canonicalUri('/a/b%2Fc')).toBe('/a/b%2Fc/');
    expect(canonicalUri('/')).toBe('/');
  });

  it('sorts query pairs by name, a repeated name by value, and keeps + literal', () => {
    expect(canonicalQueryString('?offset=0&limit=100&name=a%20b')).toBe('limit=100&name=a%20b&offset=0');
    expect(canonicalQueryString('b=2&a=z&a=x&a=y')).toBe('a=x&a=y&a=z&b=2');
    expect(canonicalQueryString('q=1+1&flag')).toBe('flag=&q=1%2B1');
    expect(canonicalQueryString('')).toBe('');
  });

  it('hashes an empty body as the SHA-256 of nothing', () => {
    expect(EMPTY_BODY_SHA256).toBe(sha256(''));
    const { canonical } = canonicalRequest({ method: 'GET', url: 'https://h/x', headers: {} });
    expect(canonical.endsWith(`\n${EMPTY_BODY_SHA256}`)).toBe(true);
  });
});

describe('signRequest', () => {
  const key = { ak: 'HPUAEXAMPLEACCESSKEY1', sk: 'exampleSecretKey0123456789abcdefghijklmn' };

  it('matches a hand-built canonical request, string to sign and HMAC', () => {
    const body = '{"ids":"a,b","status":"ON"}';
    const headers = signRequest(
      {
        method: 'POST',
        url: 'https://dbss.cn-north-4.myhuaweicloud.com/v2/p1/audit/i%C3%A9/rule/risk/switch?b=2&a=1',
        headers: { 'Content-Type': ' application/json;charset=UTF-8 ', 'X-Project-Id': 'p1' },
        body,
      },
      key,
      DATE,
    );
    const canonical = [
      'POST',
      '/v2/p1/audit/i%C3%A9/rule/risk/switch/',
      'a=1&b=2',
      'content-type:application/json;charset=UTF-8\nhost:dbss.cn-north-4.myhuaweicloud.com\nx-project-id:p1\nx-sdk-date:20191115T033655Z\n',
      'content-type;host;x-project-id;x-sdk-date',
      sha256(body),
    ].join('\n');
    const stringToSign = `SDK-HMAC-SHA256\n20191115T033655Z\n${sha256(canonical)}`;
    const signature = createHmac('sha256', key.sk).update(stringToSign).digest('hex');
    expect(headers['X-Sdk-Date']).toBe('20191115T033655Z');
    expect(headers['Authorization']).toBe(
      `SDK-HMAC-SHA256 Access=${key.ak}, SignedHeaders=content-type;host;x-project-id;x-sdk-date, Signature=${signature}`,
    );
  });

  it('signs the host with its port, hashes body bytes, and does not touch the input headers', () => {
    const input = { 'X-Project-Id': 'p1' };
    const bytes = Buffer.from('{"a":"é"}', 'utf8');
    const fromBytes = signRequest({ method: 'PUT', url: 'http://127.0.0.1:8080/x', headers: input, body: bytes }, key, DATE);
    const fromText = signRequest({ method: 'PUT', url: 'http://127.0.0.1:8080/x', headers: input, body: '{"a":"é"}' }, key, DATE);
    expect(fromBytes['Authorization']).toBe(fromText['Authorization']);
    expect(canonicalRequest({ method: 'PUT', url: 'http://127.0.0.1:8080/x', headers: input }).canonical).toContain('host:127.0.0.1:8080\n');
    expect(input).toEqual({ 'X-Project-Id': 'p1' });
  });

  it('changes the signature when any signed part changes', () => {
    const base = { method: 'GET', url: 'https://h/v1/p/audit/instances?offset=0&limit=10', headers: { 'X-Project-Id': 'p' } };
    const sig = (r: typeof base & { body?: string }, d = DATE, k = key): string | undefined => signRequest(r, k, d)['Authorization'];
    const reference = sig(base);
    expect(sig({ ...base, method: 'POST' })).not.toBe(reference);
    expect(sig({ ...base, url: 'https://h/v1/p/audit/instances?offset=0&limit=11' })).not.toBe(reference);
    expect(sig({ ...base, url: 'https://h/v1/q/audit/instances?offset=0&limit=10' })).not.toBe(reference);
    expect(sig({ ...base, headers: { 'X-Project-Id': 'q' } })).not.toBe(reference);
    expect(sig({ ...base, body: '{}' })).not.toBe(reference);
    expect(sig(base, new Date(DATE.getTime() + 1000))).not.toBe(reference);
    expect(sig(base, DATE, { ...key, sk: `${key.sk}x` })).not.toBe(reference);
    expect(sig({ ...base, url: 'https://h/v1/p/audit/instances/?offset=0&limit=10' })).toBe(reference);
  });

  it('replaces a stale X-Sdk-Date or Authorization given in the headers', () => {
    const fresh = signRequest({ method: 'GET', url: 'https://h/', headers: {} }, key, DATE);
    const stale = signRequest({ method: 'GET', url: 'https://h/', headers: { 'x-sdk-date': '20000101T000000Z', authorization: 'old' } }, key, DATE);
    expect(stale).toEqual(fresh);
  });
});
