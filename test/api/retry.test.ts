import { describe, expect, it } from 'vitest';
import { DbssApiError, type ApiErrorInit } from '../../src/api/errors.js';
import { backoffDelay, classifyFailure } from '../../src/api/retry.js';

const site = { operation: 'op', method: 'POST', path: '/x', pathTemplate: '/x' };
const err = (extra: Omit<ApiErrorInit, keyof typeof site>): DbssApiError => new DbssApiError({ ...site, ...extra });

describe('classifyFailure', () => {
  it.each([
    ['429 APIG.0308', err({ kind: 'http', status: 429, errorCode: 'APIG.0308' }), { retryable: true, mayHaveApplied: false, throttled: true }],
    ['500 DBSS.11000000', err({ kind: 'http', status: 500, errorCode: 'DBSS.11000000' }), { retryable: true, mayHaveApplied: true, throttled: false }],
    ['502 APIG.0201', err({ kind: 'http', status: 502, errorCode: 'APIG.0201' }), { retryable: true, mayHaveApplied: true, throttled: false }],
    ['504 APIG.0201', err({ kind: 'http', status: 504, errorCode: 'APIG.0201' }), { retryable: true, mayHaveApplied: true, throttled: false }],
    ['connection reset', err({ kind: 'network', errorCode: 'ECONNRESET' }), { retryable: true, mayHaveApplied: true, throttled: false }],
    ['connection refused', err({ kind: 'network', errorCode: 'ECONNREFUSED' }), { retryable: true, mayHaveApplied: false, throttled: false }],
    ['host not found', err({ kind: 'network', errorCode: 'ENOTFOUND' }), { retryable: false, mayHaveApplied: false, throttled: false }],
    ['timeout', err({ kind: 'timeout', errorCode: 'TIMEOUT' }), { retryable: true, mayHaveApplied: true, throttled: false }],
    ['401 APIG.0301', err({ kind: 'http', status: 401, errorCode: 'APIG.0301' }), { retryable: false, mayHaveApplied: false, throttled: false }],
    ['400 DBSS.10000001', err({ kind: 'http', status: 400, errorCode: 'DBSS.10000001' }), { retryable: false, mayHaveApplied: false, throttled: false }],
    ['413 APIG.0201', err({ kind: 'http', status: 413, errorCode: 'APIG.0201' }), { retryable: false, mayHaveApplied: false, throttled: false }],
    ['TLS', err({ kind: 'tls', errorCode: 'DEPTH_ZERO_SELF_SIGNED_CERT' }), { retryable: false, mayHaveApplied: false, throttled: false }],
    ['200 FAILED', err({ kind: 'business', status: 200, errorCode: 'FAILED' }), { retryable: false, mayHaveApplied: false, throttled: false }],
    ['bad JSON', err({ kind: 'bad-response', status: 200, errorCode: 'BAD_JSON' }), { retryable: false, mayHaveApplied: false, throttled: false }],
  ])('%s', (_, e, verdict) => {
    expect(classifyFailure(e)).toEqual(verdict);
  });
});

describe('backoffDelay (full jitter)', () => {
  const b = { baseMs: 100, maxMs: 1000 };
  it('draws from [0, min(max, base·2^(n-1)))', () => {
    expect([1, 2, 3, 4, 5, 9].map((n) => backoffDelay(n, b, () => 0.999999))).toEqual([99, 199, 399, 799, 999, 999]);
    expect(backoffDelay(3, b, () => 0)).toBe(0);
    expect(backoffDelay(2, b, () => 0.5)).toBe(100);
  });
});
