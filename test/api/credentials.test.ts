import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { AkSkCredentials, TokenCredentials, credentialsFromEnv } from '../../src/api/credentials.js';
import { ConfigError } from '../../src/errors.js';

const AK = 'HPUAENVACCESSKEY0001';
const SK = 'envSecretKey0123456789abcdefghijklmnopqr';
const TOKEN = 'MIIStokenvalue' + 'Q'.repeat(60);
const request = { method: 'GET', url: 'https://dbss.cn-north-4.myhuaweicloud.com/v1/p/audit/instances', headers: { 'X-Project-Id': 'p' } };
const date = new Date(Date.UTC(2026, 0, 2, 3, 4, 5));

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('credentialsFromEnv', () => {
  it('reads the Huawei SDK names first', () => {
    const c = credentialsFromEnv({ HUAWEICLOUD_SDK_AK: AK, HUAWEICLOUD_SDK_SK: SK, HW_ACCESS_KEY: 'other-ak-value', HW_SECRET_KEY: 'other-sk-value' });
    expect(c.kind).toBe('aksk');
    expect(c.authenticate(request, date)['Authorization']).toContain(`Access=${AK},`);
  });

  it('falls back to the Terraform provider names, with a security token', () => {
    const c = credentialsFromEnv({ HW_ACCESS_KEY: AK, HW_SECRET_KEY: SK, HW_SECURITY_TOKEN: TOKEN });
    const headers = c.authenticate(request, date);
    expect(headers['X-Security-Token']).toBe(TOKEN);
    expect(headers['Authorization']).toContain(`Access=${AK},`);
    expect(headers['Authorization']).toContain('x-security-token');
  });

  it('uses HUAWEICLOUD_AUTH_TOKEN when no AK/SK is set, and an AK/SK pair when both are', () => {
    const token = credentialsFromEnv({ HUAWEICLOUD_AUTH_TOKEN: TOKEN });
    expect(token.kind).toBe('token');
    expect(token.authenticate(request, date)).toEqual({ 'X-Project-Id': 'p', 'X-Auth-Token': TOKEN });
    expect(credentialsFromEnv({ HUAWEICLOUD_AUTH_TOKEN: TOKEN, HUAWEICLOUD_SDK_AK: AK, HUAWEICLOUD_SDK_SK: SK }).kind).toBe('aksk');
  });

  it('trims values (a trailing newline from a file) and ignores empty variables', () => {
    const c = credentialsFromEnv({ HUAWEICLOUD_SDK_AK: '', HW_ACCESS_KEY: `${AK}\n`, HUAWEICLOUD_SDK_SK: `${SK}\n` });
    expect(c.authenticate(request, date)['Authorization']).toContain(`Access=${AK},`);
  });

  it('names the variables, never their values, when something is missing', () => {
    const none = configError(() => credentialsFromEnv({}));
    expect(none.message).toMatch(/HUAWEICLOUD_SDK_AK.*HUAWEICLOUD_SDK_SK.*HW_ACCESS_KEY.*HW_SECRET_KEY.*HUAWEICLOUD_SDK_SECURITY_TOKEN.*HUAWEICLOUD_AUTH_TOKEN/);
    const half = configError(() => credentialsFromEnv({ HUAWEICLOUD_SDK_AK: AK }));
    expect(half.message).toContain('HUAWEICLOUD_SDK_SK or HW_SECRET_KEY is not');
    expect(half.message).not.toContain(AK);
    const otherHalf = configError(() => credentialsFromEnv({ HW_SECRET_KEY: SK }));
    expect(otherHalf.message).toContain('HUAWEICLOUD_SDK_AK or HW_ACCESS_KEY is not');
    expect(otherHalf.message).not.toContain(SK);
    const tokenOnly = configError(() => credentialsFromEnv({ HUAWEICLOUD_SDK_SECURITY_TOKEN: TOKEN }));
    expect(tokenOnly.message).toContain('without an AK/SK pair');
    expect(tokenOnly.message).not.toContain(TOKEN);
  });

  it('refuses values that would break a header', () => {
    expect(() => new AkSkCredentials({ accessKey: 'a\r\nX-Evil: 1', secretKey: SK })).toThrow(ConfigError);
    expect(() => new TokenCredentials('  ')).toThrow(ConfigError);
  });
});

describe('credentials too short to be real', () => {
  it('are refused with a clear configuration error instead of being redacted everywhere', () => {
    expect(() => credentialsFromEnv({ HUAWEICLOUD_SDK_AK: 'a', HUAWEICLOUD_SDK_SK: 'VALIDSECRETVALUE0123456789' })).toThrow(
      new ConfigError('access key is 1 character long, shorter than any real one (at least 8; a Huawei Cloud AK has 20): refusing it as not a real credential'),
    );
    expect(() => credentialsFromEnv({ HUAWEICLOUD_SDK_AK: 'ABCDEFGHIJKLMNOPQRST', HUAWEICLOUD_SDK_SK: 'sk' })).toThrow(/^secret key is 2 characters long/);
    expect(() => credentialsFromEnv({ HUAWEICLOUD_AUTH_TOKEN: 'tok' })).toThrow(/^IAM token is 3 characters long/);
    expect(() => new AkSkCredentials({ accessKey: 'ABCDEFGH', secretKey: '12345678' })).not.toThrow();
  });

  it('the CLI stops with exit 1 before any request, and the message does not show the value', async () => {
    const { runInProcess } = await import('../helpers/run-in-process.js');
    const r = await runInProcess(['plan', '--endpoint', 'http://127.0.0.1:9'], { cwd: process.cwd(), env: { HUAWEICLOUD_SDK_AK: 'x', HUAWEICLOUD_SDK_SK: 'y' } });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('dbss-policy plan: access key is 1 character long, shorter than any real one (at least 8; a Huawei Cloud AK has 20): refusing it as not a real credential\n');
  });
});

describe('credentials never show their secrets', () => {
  const aksk = new AkSkCredentials({ accessKey: AK, secretKey: SK, securityToken: TOKEN });
  const token = new TokenCredentials(TOKEN);

  it.each([
    ['AK/SK', aksk],
    ['token', token],
  ] as const)('%s through JSON, inspect, String and nesting', (_, c) => {
    const outputs = [JSON.stringify(c), JSON.stringify({ options: { credentials: c } }), inspect(c), inspect({ c }, { depth: 10, showHidden: true }), String(c), `${c}`];
    for (const out of outputs) for (const secret of [AK, SK, TOKEN]) expect(out).not.toContain(secret);
    expect(JSON.parse(JSON.stringify(c))).toHaveProperty('kind', c.kind);
  });

  it('redacts secret values inside text', () => {
    expect(aksk.redact(`ak ${AK} sk ${SK} token ${TOKEN}`)).toBe('ak *** sk *** token ***');
    expect(token.redact(`bad token ${TOKEN}`)).toBe('bad token ***');
  });
});
