import { describe, expect, it } from 'vitest';
import { DbssApiError, parseErrorBody } from '../../src/api/errors.js';
import { DbssPolicyError } from '../../src/errors.js';

describe('parseErrorBody', () => {
  it('reads the old nested shape {error:{error_code,error_msg}}', () => {
    expect(parseErrorBody({ error: { error_code: 'DBSS.10020021', error_msg: 'Invalid id parameter' } })).toEqual({
      code: 'DBSS.10020021',
      message: 'Invalid id parameter',
    });
  });

  it('reads the new flat shape with details and ignores the encoded authorization blob', () => {
    const parsed = parseErrorBody({
      error_code: 'DBSS.10000001',
      error_msg: 'malformed request',
      encoded_authorization_message: 'eyJ0b2tlbiI6Imxvbmcgb3BhcXVlIn0=',
      details: [{ error_code: 'IAM.0001', error_msg: 'Policy doesn\'t allow dbss:rule:update' }],
    });
    expect(parsed).toEqual({
      code: 'DBSS.10000001',
      message: 'malformed request',
      details: [{ code: 'IAM.0001', message: "Policy doesn't allow dbss:rule:update" }],
    });
  });

  it('reads the APIG shape with request_id', () => {
    expect(parseErrorBody({ error_code: 'APIG.0308', error_msg: 'The throttling threshold has been reached', request_id: 'r-9' })).toEqual({
      code: 'APIG.0308',
      message: 'The throttling threshold has been reached',
      requestId: 'r-9',
    });
  });

  it('falls back to code/message, then to nested objects, like the Go SDK', () => {
    expect(parseErrorBody({ code: 'X.1', message: 'plain' })).toEqual({ code: 'X.1', message: 'plain' });
    expect(parseErrorBody({ error_code: 'DBSS.1', error: { error_msg: 'from inside', request_id: 'r' } })).toEqual({ code: 'DBSS.1', message: 'from inside', requestId: 'r' });
    expect(parseErrorBody({ other: { code: 'Y.2', message: 'deep' } })).toEqual({ code: 'Y.2', message: 'deep' });
  });

  it('returns nothing for bodies that are not objects', () => {
    expect(parseErrorBody('oops')).toEqual({});
    expect(parseErrorBody(null)).toEqual({});
    expect(parseErrorBody([1])).toEqual({});
  });
});

describe('DbssApiError', () => {
  const init = {
    operation: 'updateRule',
    method: 'PUT',
    path: '/v2/p1/audit/i1/rule/risk/abc',
    pathTemplate: '/v2/{project_id}/audit/{instance_id}/rule/risk/{id}',
    kind: 'http' as const,
    status: 400,
    errorCode: 'DBSS.10000001',
    detail: 'malformed request',
    requestId: 'r-1',
  };

  it('says what failed, on what, and the detail', () => {
    const err = new DbssApiError(init);
    expect(err.message).toBe('PUT /v2/p1/audit/i1/rule/risk/abc: 400 DBSS.10000001 malformed request (request id r-1)');
    expect(err).toBeInstanceOf(DbssPolicyError);
    expect(err.code).toBe('API');
    expect(err.name).toBe('DbssApiError');
    expect(err.pathTemplate).toBe(init.pathTemplate);
  });

  it('adds the attempt count and keeps every field', () => {
    const err = new DbssApiError(init).withAttempts(3);
    expect(err.message).toMatch(/\(request id r-1\) \[after 3 attempts\]$/);
    expect(err.attempts).toBe(3);
    expect(err.status).toBe(400);
    expect(err.errorCode).toBe('DBSS.10000001');
  });

  it('describes a failure without an answer', () => {
    const err = new DbssApiError({ ...init, kind: 'network', status: undefined, errorCode: 'ECONNRESET', detail: 'connection reset', requestId: undefined });
    expect(err.message).toBe('PUT /v2/p1/audit/i1/rule/risk/abc: ECONNRESET connection reset');
  });
});
