import { encodeRfc3986 } from './signer.js';

/** The Content-Type the SDK sends on most calls. */
export const JSON_TYPE = 'application/json';
/** The Content-Type the SDK sends on the v1/v2 switch and instance calls. */
export const JSON_UTF8_TYPE = 'application/json;charset=UTF-8';

/** What the answer of a call must look like. */
export type ExpectedBody =
  /** A JSON object (reads). */
  | 'json'
  /** A write: a JSON object whose `status`/`result` says SUCCESS (see write-outcome.ts). */
  | 'write-status'
  /** A write whose documented answer is empty; a status, when present, must say SUCCESS. */
  | 'write-empty-or-status';

/** One logical DBSS call, before signing. */
export interface ApiCall {
  /** Client operation name, for stats, events and errors. */
  readonly operation: string;
  /** HTTP method. */
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Path template with `{name}` placeholders, e.g. `/v1/{project_id}/audit/instances`. */
  readonly pathTemplate: string;
  /** Values of the placeholders (percent-encoded when substituted). */
  readonly pathParams: Readonly<Record<string, string>>;
  /** Query pairs, in order. */
  readonly query?: readonly (readonly [string, string])[];
  /** JSON body, serialised once; the signed bytes are the sent bytes. */
  readonly body?: unknown;
  /** Content-Type sent. */
  readonly contentType: string;
  /** Project id, sent as X-Project-Id. */
  readonly projectId: string;
  /** What the answer must be. */
  readonly expect: ExpectedBody;
}

/** The concrete path of a call, each parameter encoded as one path segment. */
export function callPath(call: ApiCall): string {
  return call.pathTemplate.replace(/\{([a-z_]+)\}/g, (_, name: string) => {
    const value = call.pathParams[name];
    if (value === undefined) throw new Error(`${call.operation}: missing path parameter ${name}`);
    if (value === '' || value === '.' || value === '..') {
      throw new TypeError(`${call.operation}: ${name} "${value}" cannot be a path segment`);
    }
    return encodeRfc3986(value);
  });
}

/** The query string (with `?`), RFC 3986-encoded so the sent bytes equal the signed form. */
export function callQuery(call: ApiCall): string {
  if (!call.query || call.query.length === 0) return '';
  return `?${call.query.map(([k, v]) => `${encodeRfc3986(k)}=${encodeRfc3986(v)}`).join('&')}`;
}
