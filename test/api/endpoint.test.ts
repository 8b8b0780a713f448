import { describe, expect, it } from 'vitest';
import { isLoopbackHost, resolveEndpoint } from '../../src/api/endpoint.js';
import { ConfigError } from '../../src/errors.js';

describe('resolveEndpoint', () => {
  it('builds the regional DBSS endpoint by default', () => {
    expect(resolveEndpoint('cn-north-4')).toEqual({ origin: 'https://dbss.cn-north-4.myhuaweicloud.com', basePath: '', loopback: false });
    expect(resolveEndpoint('my-kualalumpur-1').origin).toBe('https://dbss.my-kualalumpur-1.myhuaweicloud.com');
  });

  it('refuses a region that is not a region id', () => {
    expect(() => resolveEndpoint('cn north 4')).toThrow(ConfigError);
    expect(() => resolveEndpoint('evil.com/x')).toThrow(/region "evil.com\/x"/);
  });

  it('takes an https override anywhere, keeping a path prefix without the trailing slash', () => {
    expect(resolveEndpoint('cn-north-4', 'https://proxy.example.com:8443/dbss/')).toEqual({ origin: 'https://proxy.example.com:8443', basePath: '/dbss', loopback: false });
  });

  it.each(['http://127.0.0.1:8080', 'http://127.9.0.1', 'http://[::1]:9000', 'http://localhost:3000'])('allows plain http on loopback %s', (url) => {
    const e = resolveEndpoint('cn-north-4', url);
    expect(e.loopback).toBe(true);
    expect(e.origin).toBe(url);
  });

  it.each([
    ['http://dbss.cn-north-4.myhuaweicloud.com', /plain http is only allowed for loopback/],
    ['http://10.0.0.1:8080', /plain http/],
    ['http://128.0.0.1', /plain http/],
    ['ftp://127.0.0.1', /only https/],
    ['not a url', /not a URL/],
    ['https://user:pw@h.example.com', /user info/],
    ['https://h.example.com/?x=1', /query or fragment/],
  ])('refuses %s', (url, message) => {
    expect(() => resolveEndpoint('cn-north-4', url)).toThrow(ConfigError);
    expect(() => resolveEndpoint('cn-north-4', url)).toThrow(message);
  });

  it('never repeats a password from the URL in its message', () => {
    let message = '';
    try {
      resolveEndpoint('cn-north-4', 'https://user:s3cretPass@h.example.com');
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/user info/);
    expect(message).not.toContain('s3cretPass');
  });

  it('knows loopback hosts', () => {
    expect(['localhost', '127.0.0.1', '127.255.0.9', '[::1]', '::1', 'api.localhost'].every(isLoopbackHost)).toBe(true);
    expect(['example.com', '10.1.1.1', '[::2]', '127.example.com', '0.0.0.0'].some(isLoopbackHost)).toBe(false);
  });
});
