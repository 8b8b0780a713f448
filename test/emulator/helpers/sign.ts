import { createHash, createHmac } from 'node:crypto';

/**
 * A test-side SDK-HMAC-SHA256 signer written from dbss-api.md §1.1, so the tests can build
 * well-signed and deliberately broken requests. (Huawei's own signer is exercised separately
 * in sdk-signer.test.ts.)
 */

/** An AK/SK pair to sign with. */
export interface SigningKey {
  readonly ak: string;
  readonly sk: string;
}

const encode = (s: string): string =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** `YYYYMMDDTHHMMSSZ` of an epoch-ms time. */
export function sdkDate(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/** The Authorization header for a request; `headers` are all signed (names lower-cased). */
export function authorization(
  key: SigningKey,
  method: string,
  url: URL,
  headers: Readonly<Record<string, string>>,
  body: string,
): string {
  const path = url.pathname.split('/').map((s) => encode(decodeURIComponent(s))).join('/');
  const uri = path.endsWith('/') ? path : `${path}/`;
  const query = [...url.searchParams]
    .map(([k, v]) => [encode(k), encode(v)])
    .sort(([a = '', av = ''], [b = '', bv = '']) => (a === b ? av.localeCompare(bv) : a < b ? -1 : 1))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const names = Object.keys(headers).map((h) => h.toLowerCase()).sort();
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  const canonicalHeaders = names.map((n) => `${n}:${(lower[n] ?? '').trim()}\n`).join('');
  const bodyHash = createHash('sha256').update(body).digest('hex');
  const canonical = [method, uri, query, canonicalHeaders, names.join(';'), bodyHash].join('\n');
  const date = lower['x-sdk-date'] ?? '';
  const toSign = `SDK-HMAC-SHA256\n${date}\n${createHash('sha256').update(canonical).digest('hex')}`;
  const signature = createHmac('sha256', key.sk).update(toSign).digest('hex');
  return `SDK-HMAC-SHA256 Access=${key.ak}, SignedHeaders=${names.join(';')}, Signature=${signature}`;
}
