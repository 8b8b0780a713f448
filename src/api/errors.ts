import { DbssPolicyError } from '../errors.js';

/** How a call failed; decides what may be retried. */
export type ApiFailureKind =
  /** The server answered with a non-2xx status. */
  | 'http'
  /** The connection failed, was reset or closed before a full answer. */
  | 'network'
  /** No full answer within the per-request timeout. */
  | 'timeout'
  /** TLS setup failed (certificate not trusted, wrong host): never retried. */
  | 'tls'
  /** A 2xx answer that cannot be read (bad JSON, wrong content type, too large, missing field). */
  | 'bad-response'
  /** A 2xx answer whose body says the operation failed (`status: FAILED`, `result: failed`). */
  | 'business'
  /**
   * Not sent at all: the wait before it would pass its deadline or the run's cutoff
   * (`--max-duration`), or its credential failed authentication on an earlier request.
   */
  | 'not-sent';

/** One entry of a flat error body's `details` (IAM authorization data, mostly on 403). */
export interface ApiErrorDetail {
  /** Detail error code. */
  readonly code?: string;
  /** Detail message. */
  readonly message?: string;
}

/** Everything a DbssApiError says about a failed call. */
export interface ApiErrorInit {
  /** Client operation name, e.g. `updateRule`. */
  readonly operation: string;
  /** HTTP method. */
  readonly method: string;
  /** Concrete path sent, without the query string. */
  readonly path: string;
  /** Path template, e.g. `/v2/{project_id}/audit/{instance_id}/rule/risk/{id}`. */
  readonly pathTemplate: string;
  /** How it failed. */
  readonly kind: ApiFailureKind;
  /** HTTP status; absent when no answer arrived. */
  readonly status?: number;
  /** DBSS.* or APIG.* code from the body, or a transport code (ECONNRESET, TIMEOUT, BAD_JSON...). */
  readonly errorCode?: string;
  /** The server's error message (already redacted), or the client's description of the failure. */
  readonly detail?: string;
  /** X-Request-Id header or body request_id. */
  readonly requestId?: string;
  /** Entries of a flat error body's `details`. */
  readonly details?: readonly ApiErrorDetail[];
  /** Attempts made, when more than one. */
  readonly attempts?: number;
  /**
   * An attempt of this call may have taken effect although it failed (its answer was lost:
   * reset, timeout, 5xx), so the error does not prove the write did not happen: a caller that
   * can read the state back should (src/apply/confirm-write.ts).
   */
  readonly mayHaveApplied?: boolean;
  /** Underlying error (a transport error; never a request or its headers). */
  readonly cause?: unknown;
}

/** Server text in a detail is cut to this many characters, after redaction (so no partial secret remains). */
const MAX_DETAIL_CHARS = 500;

/** `text` cut to a readable length for an error message. */
export function shortenDetail(text: string): string {
  return text.length > MAX_DETAIL_CHARS ? `${text.slice(0, MAX_DETAIL_CHARS)}…` : text;
}

function describe(init: ApiErrorInit): string {
  const parts = [init.status, init.errorCode, init.detail].filter((p) => p !== undefined && p !== '');
  let text = `${init.method} ${init.path}: ${parts.join(' ') || 'failed'}`;
  if (init.requestId) text += ` (request id ${init.requestId})`;
  if (init.attempts !== undefined && init.attempts > 1) text += ` [after ${init.attempts} attempts]`;
  return text;
}

/**
 * A DBSS API call failed. The message reads like
 * `PUT /v2/p/audit/i/rule/risk/abc: 400 DBSS.10000001 malformed request (request id r-1)`.
 */
export class DbssApiError extends DbssPolicyError implements ApiErrorInit {
  readonly operation: string;
  readonly method: string;
  readonly path: string;
  readonly pathTemplate: string;
  readonly kind: ApiFailureKind;
  readonly status?: number;
  readonly errorCode?: string;
  readonly detail?: string;
  readonly requestId?: string;
  readonly details?: readonly ApiErrorDetail[];
  readonly attempts?: number;
  readonly mayHaveApplied?: boolean;

  constructor(init: ApiErrorInit) {
    super('API', describe(init), init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'DbssApiError';
    this.operation = init.operation;
    this.method = init.method;
    this.path = init.path;
    this.pathTemplate = init.pathTemplate;
    this.kind = init.kind;
    this.status = init.status;
    this.errorCode = init.errorCode;
    this.detail = init.detail;
    this.requestId = init.requestId;
    this.details = init.details;
    this.attempts = init.attempts;
    if (init.mayHaveApplied) this.mayHaveApplied = true;
  }

  /** The same error, saying how many attempts were made and whether one of them may have taken effect. */
  withAttempts(attempts: number, mayHaveApplied = false): DbssApiError {
    return new DbssApiError({ ...this.init(), attempts, ...(mayHaveApplied ? { mayHaveApplied } : {}) });
  }

  /** The fields this error was built from. */
  init(): ApiErrorInit {
    const { operation, method, path, pathTemplate, kind, status, errorCode, detail, requestId, details, attempts, mayHaveApplied } = this;
    const uncertain = mayHaveApplied ? { mayHaveApplied } : {};
    return { operation, method, path, pathTemplate, kind, status, errorCode, detail, requestId, details, attempts, ...uncertain, cause: this.cause };
  }
}

/**
 * The answer DBSS gives for an id it does not know. Unconfirmed (API reference §3.4): 400
 * DBSS.10020021 ("invalid id parameter") is the likely one, a 404 is possible; both are read as
 * "unknown id".
 */
export function isUnknownIdError(err: unknown): boolean {
  return err instanceof DbssApiError && err.kind === 'http' && (err.status === 404 || (err.status === 400 && err.errorCode === 'DBSS.10020021'));
}

/** What an error body says, whichever of the three shapes it has. */
export interface ParsedErrorBody {
  /** error_code (or code). */
  readonly code?: string;
  /** error_msg (or message). */
  readonly message?: string;
  /** request_id, when the body carries one (APIG errors). */
  readonly requestId?: string;
  /** Flat-shape `details` entries. */
  readonly details?: readonly ApiErrorDetail[];
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : undefined);

/**
 * Reads an error body the way the Go SDK's sdkerr does: top-level `error_code`/`error_msg`
 * first, then `code`/`message`, then any nested object (`error` first) for what is still
 * missing. Covers the nested `{error:{...}}`, flat-with-`details` and APIG shapes.
 */
export function parseErrorBody(body: unknown): ParsedErrorBody {
  if (!isObject(body)) return {};
  let code = text(body['error_code']);
  let message = text(body['error_msg']);
  if (code === undefined || message === undefined) {
    code ??= text(body['code']);
    message ??= text(body['message']);
  }
  let requestId = text(body['request_id']);
  if (code === undefined || message === undefined || requestId === undefined) {
    const nested = Object.keys(body).sort((a, b) => (a === 'error' ? -1 : b === 'error' ? 1 : 0));
    for (const key of nested) {
      const inner = body[key];
      if (!isObject(inner)) continue;
      const found = parseErrorBody(inner);
      code ??= found.code;
      message ??= found.message;
      requestId ??= found.requestId;
    }
  }
  const details = Array.isArray(body['details'])
    ? body['details'].filter(isObject).map((d) => ({ code: text(d['error_code']) ?? text(d['code']), message: text(d['error_msg']) ?? text(d['message']) }))
    : undefined;
  return {
    ...(code === undefined ? {} : { code }),
    ...(message === undefined ? {} : { message }),
    ...(requestId === undefined ? {} : { requestId }),
    ...(details === undefined || details.length === 0 ? {} : { details }),
  };
}
