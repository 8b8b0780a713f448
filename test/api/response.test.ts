import { describe, expect, it } from 'vitest';
import type { ExpectedBody } from '../../src/api/api-call.js';
import { DbssApiError } from '../../src/api/errors.js';
import type { HttpResponse } from '../../src/api/http.js';
import { readAnswer } from '../../src/api/response.js';

/**
 * readAnswer (src/api/response.ts) on hand-made answers: which answers are read, which become
 * which DbssApiError, with the exact code, detail and request id, server text redacted.
 * test/api/client-responses.test.ts covers the same through a socket.
 */

const site = { operation: 'op', method: 'PUT', path: '/v2/p/x', pathTemplate: '/v2/{project_id}/x' };
/** Stands in for the runner's secret redaction: hides SECRET. */
const redact = (t: string): string => t.replaceAll('SECRET', '***');

const answer = (status: number, body: string | object, headers: Record<string, string> = { 'content-type': 'application/json' }): HttpResponse => ({
  status,
  headers,
  body: Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)),
});

const read = (res: HttpResponse, expect: ExpectedBody = 'json'): unknown => readAnswer(site, res, expect, redact);

function errorOf(res: HttpResponse, expect: ExpectedBody = 'json'): DbssApiError {
  try {
    read(res, expect);
  } catch (e) {
    if (e instanceof DbssApiError) return e;
    throw e;
  }
  throw new Error('expected a DbssApiError, got an answer');
}

/** The fields of an error that say what happened. */
const said = (e: DbssApiError): object => ({
  kind: e.kind,
  status: e.status,
  errorCode: e.errorCode,
  detail: e.detail,
  requestId: e.requestId,
  details: e.details,
});

describe('status codes', () => {
  it('reads 200 to 299 as answers and anything else as http errors', () => {
    expect(read(answer(200, { a: 1 }))).toEqual({ a: 1 });
    expect(read(answer(299, { a: 2 }))).toEqual({ a: 2 });
    expect(errorOf(answer(199, { a: 1 })).kind).toBe('http');
    expect(errorOf(answer(300, { a: 1 })).kind).toBe('http');
    expect(errorOf(answer(404, { a: 1 })).status).toBe(404);
  });
});

describe('a non-2xx answer', () => {
  it('carries the error body\'s code, message, request id and details, redacted', () => {
    const e = errorOf(
      answer(403, { error_code: 'DBSS.SECRET', error_msg: 'denied SECRET', request_id: 'r-SECRET', details: [{ error_code: 'IAM.1', error_msg: 'no SECRET' }, { code: 'IAM.2' }] }),
    );
    expect(said(e)).toEqual({
      kind: 'http',
      status: 403,
      errorCode: 'DBSS.***',
      detail: 'denied ***',
      requestId: 'r-***',
      details: [{ code: 'IAM.1', message: 'no ***' }, { code: 'IAM.2', message: undefined }],
    });
    expect(e.message).toBe('PUT /v2/p/x: 403 DBSS.*** denied *** (request id r-***)');
  });

  it('prefers the X-Request-Id header to the body\'s request_id', () => {
    const e = errorOf(answer(500, { error_code: 'X', request_id: 'from-body' }, { 'content-type': 'application/json', 'x-request-id': 'from-header SECRET' }));
    expect(e.requestId).toBe('from-header ***');
  });

  it('describes a body without a message by its kind, content type and size', () => {
    expect(errorOf(answer(502, '<html>bad gateway</html>', { 'content-type': 'text/html SECRET' })).detail).toBe('(non-JSON answer, text/html ***, 24 bytes)');
    expect(errorOf(answer(502, 'oops', {})).detail).toBe('(non-JSON answer, 4 bytes)');
    expect(errorOf(answer(500, { error_code: 'DBSS.1' })).detail).toBe('(no error message, application/json, 23 bytes)');
    expect(errorOf(answer(500, { error_code: 'DBSS.1' })).errorCode).toBe('DBSS.1');
  });

  it('has no detail, code, request id or details for an empty body', () => {
    const e = errorOf(answer(503, '', {}));
    expect(said(e)).toEqual({ kind: 'http', status: 503, errorCode: undefined, detail: undefined, requestId: undefined, details: undefined });
    expect(e.message).toBe('PUT /v2/p/x: 503');
    expect(Object.keys(e.init()).filter((k) => (e.init() as unknown as Record<string, unknown>)[k] !== undefined).sort()).toEqual(['kind', 'method', 'operation', 'path', 'pathTemplate', 'status']);
  });

  it('cuts a long server message after redacting it', () => {
    const e = errorOf(answer(400, { error_code: 'DBSS.1', error_msg: `${'x'.repeat(498)}SECRET${'y'.repeat(100)}` }));
    expect(e.detail).toBe(`${'x'.repeat(498)}**…`);
  });
});

describe('a 2xx read (expect json)', () => {
  it('returns the JSON object, whatever JSON content type it has, or none', () => {
    expect(read(answer(200, { rules: [] }, { 'content-type': 'application/problem+JSON; charset=utf-8' }))).toEqual({ rules: [] });
    expect(read(answer(200, { rules: [] }, {}))).toEqual({ rules: [] });
    expect(read(answer(200, '  {"a":1}\n'))).toEqual({ a: 1 });
  });

  it.each([
    ['an empty body', answer(200, ''), 'EMPTY_BODY', 'empty answer where a JSON object was expected'],
    ['a blank body', answer(200, ' \n '), 'EMPTY_BODY', 'empty answer where a JSON object was expected'],
    ['a non-JSON content type', answer(200, '{}', { 'content-type': 'text/plain SECRET' }), 'BAD_CONTENT_TYPE', 'answer is text/plain ***, expected JSON'],
    ['a content type that only contains "json"', answer(200, '{}', { 'content-type': 'application/jsonx' }), 'BAD_CONTENT_TYPE', 'answer is application/jsonx, expected JSON'],
    ['an empty content type', answer(200, '{}', { 'content-type': '' }), 'BAD_CONTENT_TYPE', 'answer is , expected JSON'],
    ['malformed JSON', answer(200, '{"a":'), 'BAD_JSON', 'answer is not valid JSON (malformed or truncated, 5 bytes)'],
    ['a JSON array', answer(200, '[{}]'), 'BAD_JSON', 'answer is not a JSON object'],
    ['JSON null', answer(200, 'null'), 'BAD_JSON', 'answer is not a JSON object'],
    ['a JSON string', answer(200, '"ok"'), 'BAD_JSON', 'answer is not a JSON object'],
  ])('refuses %s as a bad response', (_, res, errorCode, detail) => {
    expect(said(errorOf(res))).toEqual({ kind: 'bad-response', status: 200, errorCode, detail, requestId: undefined, details: undefined });
  });

  it('names the request id of a refused answer', () => {
    expect(errorOf(answer(200, '[]', { 'x-request-id': 'r-1 SECRET' })).requestId).toBe('r-1 ***');
  });

  it('reads its own status words (ON, OFF, ACTIVE) and non-string ones as data', () => {
    expect(read(answer(200, { status: 'OFF', result: 'ACTIVE' }))).toEqual({ status: 'OFF', result: 'ACTIVE' });
    expect(read(answer(200, { status: 0, result: null }))).toEqual({ status: 0, result: null });
  });

  it.each([
    [{ status: 'FAILED' }, 'FAILED', 'the answer says the operation failed (status FAILED)'],
    [{ result: 'failed' }, 'FAILED', 'the answer says the operation failed (result failed)'],
    [{ status: 'ON', result: 'Failed' }, 'FAILED', 'the answer says the operation failed (result Failed)'],
    [{ status: 'FAILED', error_code: 'DBSS.9 SECRET', error_msg: 'busy SECRET' }, 'DBSS.9 ***', 'busy ***'],
  ])('reads %j as a business failure', (body, errorCode, detail) => {
    expect(said(errorOf(answer(200, body, { 'content-type': 'application/json', 'x-request-id': 'r' })))).toEqual({
      kind: 'business',
      status: 200,
      errorCode,
      detail,
      requestId: 'r',
      details: undefined,
    });
  });
});

describe('a 2xx write', () => {
  it('returns the answer that says success', () => {
    expect(read(answer(200, { status: 'SUCCESS', id: 'n' }), 'write-status')).toEqual({ status: 'SUCCESS', id: 'n' });
    expect(read(answer(200, { result: 'success' }), 'write-empty-or-status')).toEqual({ result: 'success' });
  });

  it('takes an empty (or blank) answer as success only where it is documented', () => {
    expect(read(answer(200, ''), 'write-empty-or-status')).toBeUndefined();
    expect(read(answer(204, ' ', {}), 'write-empty-or-status')).toBeUndefined();
    expect(said(errorOf(answer(200, ''), 'write-status'))).toEqual({
      kind: 'business',
      status: 200,
      errorCode: 'NOT_SUCCESS',
      detail: 'the answer does not say the operation succeeded (an empty answer (no status))',
      requestId: undefined,
      details: undefined,
    });
  });

  it('refuses an unreadable answer to a write as a bad response', () => {
    expect(said(errorOf(answer(200, '{'), 'write-empty-or-status'))).toMatchObject({ kind: 'bad-response', errorCode: 'BAD_JSON' });
    expect(said(errorOf(answer(200, '{}', { 'content-type': 'text/html' }), 'write-status'))).toMatchObject({ kind: 'bad-response', errorCode: 'BAD_CONTENT_TYPE' });
  });

  it.each([
    [{ status: 'FAILED' }, 'FAILED', 'the answer says the operation failed (status "FAILED")'],
    [{ result: 'ERROR' }, 'NOT_SUCCESS', 'the answer does not say the operation succeeded (result "ERROR")'],
    [{ status: 'SECRET' }, 'NOT_SUCCESS', 'the answer does not say the operation succeeded (status "***")'],
    [{ id: 'x' }, 'NOT_SUCCESS', 'the answer does not say the operation succeeded (no status or result in the answer)'],
    [{ status: 'FAILED', error_code: 'DBSS.2 SECRET', error_msg: 'rule exists SECRET' }, 'DBSS.2 ***', 'rule exists *** (status "FAILED")'],
    [{ result: 'ERROR', error_msg: 'bad' }, 'NOT_SUCCESS', 'bad (result "ERROR")'],
    [{ result: 'ERROR', code: 'C.1' }, 'C.1', 'the answer does not say the operation succeeded (result "ERROR")'],
  ])('reads %j as a business failure', (body, errorCode, detail) => {
    expect(said(errorOf(answer(200, body), 'write-status'))).toEqual({ kind: 'business', status: 200, errorCode, detail, requestId: undefined, details: undefined });
  });

  it('names the request id of a failed write', () => {
    expect(errorOf(answer(200, { status: 'FAILED' }, { 'x-request-id': 'w-1' }), 'write-status').requestId).toBe('w-1');
  });
});
