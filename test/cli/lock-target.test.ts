import { describe, expect, it } from 'vitest';
import { canonicalEndpoint, projectLockTarget } from '../../src/cli/lock-target.js';

/** Which run lock a project at an endpoint takes: one per estate, however its endpoint is spelt. */
describe('projectLockTarget', () => {
  it.each([
    'http://localhost:8088',
    'http://LOCALHOST:8088/',
    'http://127.0.0.1:8088',
    'http://127.0.0.1:8088//',
    'http://[::1]:8088',
    'http://[0:0:0:0:0:0:0:1]:8088',
    'HTTP://api.localhost:8088',
  ])('%s is the loopback estate at port 8088', (endpoint) => {
    expect(projectLockTarget('cn-north-4', 'p1', endpoint)).toBe('cn-north-4/p1 at http://localhost:8088');
  });

  it.each([
    ['https://DBSS.cn-north-4.myhuaweicloud.com', 'cn-north-4/p1'],
    ['https://dbss.cn-north-4.myhuaweicloud.com:443/', 'cn-north-4/p1'],
    ['https://dbss.cn-north-4.myhuaweicloud.com.', 'cn-north-4/p1'],
    ['https://dbss.cn-east-3.myhuaweicloud.com', 'cn-north-4/p1 at https://dbss.cn-east-3.myhuaweicloud.com'],
    ['https://proxy.example.com:8443/dbss/', 'cn-north-4/p1 at https://proxy.example.com:8443/dbss'],
    ['http://localhost:80', 'cn-north-4/p1 at http://localhost'],
    ['https://localhost:8088', 'cn-north-4/p1 at https://localhost:8088'],
  ])('%s: %s', (endpoint, target) => {
    expect(projectLockTarget('cn-north-4', 'p1', endpoint)).toBe(target);
  });

  it('without an endpoint is the region/project; a value that is not a URL is kept as given', () => {
    expect(projectLockTarget('cn-north-4', 'p1', undefined)).toBe('cn-north-4/p1');
    expect(canonicalEndpoint('not a url')).toBe('not a url');
  });
});
