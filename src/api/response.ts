import { DbssApiError, parseErrorBody, shortenDetail, type ApiErrorInit } from './errors.js';
import type { ExpectedBody } from './api-call.js';
import type { HttpResponse } from './http.js';
import { writeVerdict } from './write-outcome.js';

/** The call an answer belongs to, for error messages. */
export type CallSite = Pick<ApiErrorInit, 'operation' | 'method' | 'path' | 'pathTemplate'>;

type JsonObject = Record<string, unknown>;

/** The JSON value of a body, or undefined when it is not JSON (JSON has no undefined, so nothing else reads as it). */
function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch {
    // not JSON: falls through to undefined
  }
  return undefined;
}

/** A non-2xx answer as a DbssApiError, whichever error body shape it carries; `redact` cleans server text. */
function httpError(site: CallSite, res: HttpResponse, redact: (t: string) => string): DbssApiError {
  const contentType = res.headers['content-type'] === undefined ? undefined : redact(res.headers['content-type']);
  const parsed = parseJson(res.body);
  const fields = parseErrorBody(parsed);
  const detail =
    fields.message !== undefined
      ? redact(fields.message)
      : res.body.length > 0
        ? `(${parsed === undefined ? 'non-JSON answer' : 'no error message'}${contentType ? `, ${contentType}` : ''}, ${res.body.length} bytes)`
        : undefined;
  const rawRequestId = res.headers['x-request-id'] ?? fields.requestId;
  const requestId = rawRequestId === undefined ? undefined : redact(rawRequestId);
  return new DbssApiError({
    ...site,
    kind: 'http',
    status: res.status,
    ...(fields.code === undefined ? {} : { errorCode: redact(fields.code) }),
    detail,
    requestId,
    ...(fields.details === undefined
      ? {}
      : { details: fields.details.map((d) => ({ code: d.code, message: d.message === undefined ? undefined : redact(d.message) })) }),
  });
}

/**
 * Reads an answer: a non-2xx status becomes a DbssApiError (kind `http`); a 2xx answer must be
 * a JSON object (or empty where `expect` allows); a write's answer must say success (see
 * write-outcome.ts), anything else is a DbssApiError too (kind `business`). Returns the object, or undefined
 * for an allowed empty answer. Server text passes through `redact` before it reaches a message.
 */
export function readAnswer(site: CallSite, res: HttpResponse, expect: ExpectedBody, redactSecrets: (t: string) => string): JsonObject | undefined {
  const redact = (t: string): string => shortenDetail(redactSecrets(t));
  if (res.status < 200 || res.status > 299) throw httpError(site, res, redact);
  const requestId = res.headers['x-request-id'] === undefined ? undefined : redact(res.headers['x-request-id']);
  const fail = (errorCode: string, detail: string, kind: 'bad-response' | 'business' = 'bad-response'): DbssApiError =>
    new DbssApiError({ ...site, kind, status: res.status, errorCode, detail, requestId });
  const empty = res.body.toString('utf8').trim() === '';

  if (expect === 'json') {
    if (empty) throw fail('EMPTY_BODY', 'empty answer where a JSON object was expected');
    const body = jsonObject(res, redact, fail);
    // A read has its own `status` (ON/OFF, ACTIVE, ...); only the documented failure word counts.
    const failed = (['status', 'result'] as const).find((k) => typeof body[k] === 'string' && body[k].toUpperCase() === 'FAILED');
    if (failed === undefined) return body;
    const fields = parseErrorBody(body);
    const said = `the answer says the operation failed (${failed} ${String(body[failed])})`;
    throw fail(fields.code === undefined ? 'FAILED' : redact(fields.code), fields.message === undefined ? said : redact(fields.message), 'business');
  }
  // A write; an empty answer is judged by writeVerdict (success only where it is documented).
  const body = empty ? undefined : jsonObject(res, redact, fail);
  const verdict = writeVerdict(body, expect === 'write-empty-or-status');
  if (!verdict.ok) {
    const fields = parseErrorBody(body);
    const code = fields.code === undefined ? (verdict.documentedFailure ? 'FAILED' : 'NOT_SUCCESS') : redact(fields.code);
    const said = verdict.documentedFailure
      ? `the answer says the operation failed (${redact(verdict.said)})`
      : `the answer does not say the operation succeeded (${redact(verdict.said)})`;
    throw fail(code, fields.message === undefined ? said : `${redact(fields.message)} (${redact(verdict.said)})`, 'business');
  }
  return body;
}

/** A 2xx answer's body as a JSON object, or a bad-response error. */
function jsonObject(
  res: HttpResponse,
  redact: (t: string) => string,
  fail: (errorCode: string, detail: string) => DbssApiError,
): JsonObject {
  const contentType = res.headers['content-type'];
  // no content type at all is read as JSON
  if (contentType !== undefined && !/\bjson\b/i.test(contentType)) throw fail('BAD_CONTENT_TYPE', `answer is ${redact(contentType)}, expected JSON`);
  const value = parseJson(res.body);
  if (value === undefined) throw fail('BAD_JSON', `answer is not valid JSON (malformed or truncated, ${res.body.length} bytes)`);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw fail('BAD_JSON', 'answer is not a JSON object');
  return value as JsonObject;
}
