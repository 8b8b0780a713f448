import { describe, expect, it } from 'vitest';
import { DbssApiError, type ApiErrorInit } from '../../src/api/errors.js';
import { backoffDelay, classifyFailure } from '../../src/api/retry.js';

/**
 * Every failure class of src/api/retry.ts one by one (test/api/retry.test.ts has the documented
 * APIG/DBSS codes): which network codes mean "never sent", which mean "retrying cannot help",
 * where the 5xx boundary lies, and the backoff caps at their edges.
 */

const site = { operation: 'op', method: 'POST', path: '/x', pathTemplate: '/x' };
const err = (extra: Omit<ApiErrorInit, keyof typeof site>): DbssApiError => new DbssApiError({ ...site, ...extra });

const RETRY_MAY_HAVE_APPLIED = { retryable: true, mayHaveApplied: true, throttled: false };
const RETRY_NOT_SENT = { retryable: true, mayHaveApplied: false, throttled: false };
const NEVER = { retryable: false, mayHaveApplied: false, throttled: false };

describe('classifyFailure: network codes', () => {
  it.each(['ECONNREFUSED', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT', 'EHOSTUNREACH', 'ENETUNREACH'])('%s: nothing was sent, retry', (errorCode) => {
    expect(classifyFailure(err({ kind: 'network', errorCode }))).toEqual(RETRY_NOT_SENT);
  });

  it.each(['ENOTFOUND', 'UND_ERR_CLOSED', 'UND_ERR_DESTROYED'])('%s: retrying cannot help', (errorCode) => {
    expect(classifyFailure(err({ kind: 'network', errorCode }))).toEqual(NEVER);
  });

  it.each(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'econnrefused'])('%s: retry, the request may have been applied', (errorCode) => {
    expect(classifyFailure(err({ kind: 'network', errorCode }))).toEqual(RETRY_MAY_HAVE_APPLIED);
  });

  it('a network failure without a code may have been applied, and is retried', () => {
    expect(classifyFailure(err({ kind: 'network' }))).toEqual(RETRY_MAY_HAVE_APPLIED);
  });
});

describe('classifyFailure: http statuses', () => {
  it.each([
    [429, { retryable: true, mayHaveApplied: false, throttled: true }],
    [499, NEVER],
    [500, RETRY_MAY_HAVE_APPLIED],
    [501, RETRY_MAY_HAVE_APPLIED],
    [599, RETRY_MAY_HAVE_APPLIED],
    [404, NEVER],
    [409, NEVER],
    [428, NEVER],
    [430, NEVER],
  ])('%i', (status, verdict) => {
    expect(classifyFailure(err({ kind: 'http', status }))).toEqual(verdict);
  });

  it('an http failure without a status is not retried', () => {
    expect(classifyFailure(err({ kind: 'http' }))).toEqual(NEVER);
  });

  it('only the kind decides for the other kinds, whatever status they carry', () => {
    expect(classifyFailure(err({ kind: 'timeout' }))).toEqual(RETRY_MAY_HAVE_APPLIED);
    expect(classifyFailure(err({ kind: 'tls', status: 503 }))).toEqual(NEVER);
    expect(classifyFailure(err({ kind: 'bad-response', status: 500 }))).toEqual(NEVER);
    expect(classifyFailure(err({ kind: 'business', status: 429 }))).toEqual(NEVER);
  });
});

describe('backoffDelay', () => {
  it('doubles the cap from baseMs on the first retry up to maxMs', () => {
    const b = { baseMs: 250, maxMs: 3000 };
    const top = (n: number): number => backoffDelay(n, b, () => 0.9999999);
    expect([1, 2, 3, 4, 5, 6].map(top)).toEqual([249, 499, 999, 1999, 2999, 2999]);
  });

  it('rounds the drawn delay down', () => {
    expect(backoffDelay(1, { baseMs: 10, maxMs: 100 }, () => 0.55)).toBe(5);
    expect(backoffDelay(1, { baseMs: 10, maxMs: 100 }, () => 0.19)).toBe(1);
  });

  it('uses Math.random by default, within the cap', () => {
    const d = backoffDelay(2, { baseMs: 100, maxMs: 1000 });
    expect(Number.isInteger(d) && d >= 0 && d < 200).toBe(true);
  });

  it('is capped by maxMs even when it is below baseMs', () => {
    expect(backoffDelay(1, { baseMs: 500, maxMs: 100 }, () => 0.5)).toBe(50);
  });
});
