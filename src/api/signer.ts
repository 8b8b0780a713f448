import { createHash, createHmac } from 'node:crypto';

/**
 * APIG AK/SK signing, `SDK-HMAC-SHA256`, as the API reference §1.1 describes it: a canonical
 * request (method, canonical URI with a trailing slash, sorted encoded query, signed headers,
 * body hash) hashed into a string to sign, HMAC-SHA256 keyed directly with the SK.
 */

/** The signing algorithm name, first word of the Authorization header. */
export const SIGNING_ALGORITHM = 'SDK-HMAC-SHA256';

/** SHA-256 of an empty body. */
export const EMPTY_BODY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

/** A request as the signer sees it. */
export interface SignableRequest {
  /** HTTP method, upper case. */
  readonly method: string;
  /** Full URL as sent (scheme, host, percent-encoded path, query). */
  readonly url: string;
  /** Headers to sign; every one given is signed, plus `host` and `x-sdk-date`. */
  readonly headers: Readonly<Record<string, string>>;
  /** The exact body bytes sent (a string is taken as UTF-8); absent for no body. */
  readonly body?: string | Uint8Array;
}

/** The key pair that signs. */
export interface SigningKey {
  /** Access key id, sent in clear in the Authorization header. */
  readonly ak: string;
  /** Secret key, the HMAC key. */
  readonly sk: string;
}

/** RFC 3986 percent-encoding: everything but `A-Z a-z 0-9 - _ . ~`, as UTF-8 bytes. */
export function encodeRfc3986(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** `YYYYMMDDTHHMMSSZ` in UTC, the X-Sdk-Date format. */
export function formatSdkDate(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');
}

const sha256Hex = (data: string | Uint8Array): string => createHash('sha256').update(data).digest('hex');

/** Each path segment decoded then re-encoded, with a trailing slash added for signing only. */
export function canonicalUri(pathname: string): string {
  const encoded = pathname
    .split('/')
    .map((segment) => encodeRfc3986(decodeURIComponent(segment)))
    .join('/');
  return encoded.endsWith('/') ? encoded : `${encoded}/`;
}

/**
 * Query pairs encoded and sorted by name, then by value for a repeated name. Names and values
 * are sorted before encoding (code-unit order), as the Go, Node and APIG signers all do.
 * The query is split by hand: `+` is a literal plus here, not a space.
 */
export function canonicalQueryString(search: string): string {
  const query = search.startsWith('?') ? search.slice(1) : search;
  if (query === '') return '';
  const pairs = query.split('&').map((part) => {
    const eq = part.indexOf('=');
    const name = eq < 0 ? part : part.slice(0, eq);
    const value = eq < 0 ? '' : part.slice(eq + 1);
    return [decodeURIComponent(name), decodeURIComponent(value)] as const;
  });
  pairs.sort(([an, av], [bn, bv]) => (an !== bn ? (an < bn ? -1 : 1) : av < bv ? -1 : av > bv ? 1 : 0));
  return pairs.map(([n, v]) => `${encodeRfc3986(n)}=${encodeRfc3986(v)}`).join('&');
}

/** The canonical request and the signed header list for a request whose headers are final. */
export function canonicalRequest(request: SignableRequest): { canonical: string; signedHeaders: string } {
  const url = new URL(request.url);
  const headers = new Map<string, string>();
  for (const [name, value] of Object.entries(request.headers)) headers.set(name.toLowerCase(), value.trim());
  if (!headers.has('host')) headers.set('host', url.host);
  const names = [...headers.keys()].sort();
  const canonicalHeaders = names.map((n) => `${n}:${headers.get(n)}\n`).join('');
  const signedHeaders = names.join(';');
  const bodyHash = request.body === undefined || request.body.length === 0 ? EMPTY_BODY_SHA256 : sha256Hex(request.body);
  const canonical = [
    request.method.toUpperCase(),
    canonicalUri(url.pathname),
    canonicalQueryString(url.search),
    canonicalHeaders,
    signedHeaders,
    bodyHash,
  ].join('\n');
  return { canonical, signedHeaders };
}

/**
 * Signs a request: returns its headers plus `X-Sdk-Date` (from `date`) and `Authorization`.
 * Every given header is signed, plus `host` (taken from the URL unless given); the Host header
 * undici sends is the URL's host, so the two agree.
 */
export function signRequest(request: SignableRequest, key: SigningKey, date: Date): Record<string, string> {
  const sdkDate = formatSdkDate(date);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (name.toLowerCase() !== 'x-sdk-date' && name.toLowerCase() !== 'authorization') headers[name] = value;
  }
  headers['X-Sdk-Date'] = sdkDate;
  const { canonical, signedHeaders } = canonicalRequest({ ...request, headers });
  const stringToSign = [SIGNING_ALGORITHM, sdkDate, sha256Hex(canonical)].join('\n');
  const signature = createHmac('sha256', key.sk).update(stringToSign).digest('hex');
  headers['Authorization'] = `${SIGNING_ALGORITHM} Access=${key.ak}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
  return headers;
}
