import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/**
 * The gateway's side of `SDK-HMAC-SHA256` (dbss-api.md §1.1), written from the reference
 * independently of the client's signer: rebuild the canonical request from what arrived,
 * using the SignedHeaders the client listed and the SHA-256 of the exact body bytes.
 */

export const ALGORITHM = 'SDK-HMAC-SHA256';
const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';

/** The parts of an `Authorization: SDK-HMAC-SHA256 Access=…, SignedHeaders=…, Signature=…` header. */
export interface SignatureHeader {
  /** The access key. */
  readonly accessKey: string;
  /** Lower-cased signed header names, in the order given. */
  readonly signedHeaders: readonly string[];
  /** Hex signature. */
  readonly signature: string;
}

/** Parses the Authorization header; undefined when it is not an SDK-HMAC-SHA256 header. */
export function parseAuthorization(value: string | undefined): SignatureHeader | undefined {
  if (!value?.startsWith(`${ALGORITHM} `)) return undefined;
  const fields = new Map<string, string>();
  for (const part of value.slice(ALGORITHM.length + 1).split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const accessKey = fields.get('Access');
  const signed = fields.get('SignedHeaders');
  const signature = fields.get('Signature');
  if (!accessKey || !signed || !signature) return undefined;
  return { accessKey, signedHeaders: signed.split(';').map((h) => h.toLowerCase()), signature };
}

/** RFC 3986 encoding: everything but `A-Z a-z 0-9 - _ . ~` is percent-encoded (UTF-8). */
export function rfc3986(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function decodeLoosely(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Each path segment decoded then re-encoded, with a trailing `/` added for signing. */
export function canonicalUri(rawPath: string): string {
  const uri = rawPath.split('/').map((s) => rfc3986(decodeLoosely(s))).join('/');
  return uri.endsWith('/') ? uri : `${uri}/`;
}

/** Names and values decoded (`+` is a space) and re-encoded, sorted by name then value. */
export function canonicalQuery(rawQuery: string): string {
  const pairs = [...new URLSearchParams(rawQuery)].map(([k, v]) => [rfc3986(k), rfc3986(v)] as const);
  pairs.sort(([ak, av], [bk, bv]) => (ak === bk ? (av < bv ? -1 : av > bv ? 1 : 0) : ak < bk ? -1 : 1));
  return pairs.map(([k, v]) => `${k}=${v}`).join('&');
}

/** The request as it arrived, for verification. */
export interface ReceivedRequest {
  /** HTTP method. */
  readonly method: string;
  /** The raw request target (path and query, as sent). */
  readonly rawUrl: string;
  /** Headers (Node lower-cases names; repeated headers are comma-joined). */
  readonly headers: IncomingHttpHeaders;
  /** Exact body bytes. */
  readonly body: Buffer;
}

const sha256Hex = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');

/**
 * The body hash that goes into the canonical request. The SDKs may send `X-Sdk-Content-Sha256`:
 * `UNSIGNED-PAYLOAD` is taken as is; any other value must be the real hash of the body.
 */
export function payloadHash(req: ReceivedRequest): string | undefined {
  const actual = sha256Hex(req.body);
  const declared = req.headers['x-sdk-content-sha256'];
  if (typeof declared !== 'string') return actual;
  if (declared === UNSIGNED_PAYLOAD) return declared;
  return declared.toLowerCase() === actual ? declared : undefined;
}

/** The string to sign for a request and its listed signed headers, or undefined when the body hash is false. */
export function stringToSign(req: ReceivedRequest, signedHeaders: readonly string[], sdkDate: string): string | undefined {
  const hash = payloadHash(req);
  if (hash === undefined) return undefined;
  const q = req.rawUrl.indexOf('?');
  const path = q < 0 ? req.rawUrl : req.rawUrl.slice(0, q);
  const query = q < 0 ? '' : req.rawUrl.slice(q + 1);
  const names = [...signedHeaders].sort();
  const headers = names.map((name) => {
    const value = req.headers[name];
    return `${name}:${(Array.isArray(value) ? value.join(',') : (value ?? '')).trim()}\n`;
  });
  const canonical = [req.method, canonicalUri(path), canonicalQuery(query), headers.join(''), names.join(';'), hash].join('\n');
  return `${ALGORITHM}\n${sdkDate}\n${sha256Hex(canonical)}`;
}

/** True when `signature` is the HMAC-SHA256 of `toSign` under `secretKey` (constant-time compare). */
export function signatureMatches(toSign: string, secretKey: string, signature: string): boolean {
  const expected = Buffer.from(createHmac('sha256', secretKey).update(toSign).digest('hex'), 'utf8');
  const given = Buffer.from(signature.toLowerCase(), 'utf8');
  return expected.length === given.length && timingSafeEqual(expected, given);
}
