import { AKSKSigner } from '@huaweicloud/huaweicloud-sdk-core/auth/AKSKSigner.js';
import type { RecordedRequest } from './test-server.js';

/**
 * Huawei's own Node SDK signer (AKSKSigner.sign), used as an independent reference: it signs
 * every header it is given plus host, takes the date from an X-Sdk-Date header, encodes each
 * path segment of `endpoint` and hashes JSON.stringify(data).
 */
export function huaweiSign(
  request: { method: string; endpoint: string; headers: Record<string, string>; queryParams?: Record<string, string | string[]>; data?: unknown },
  ak: string,
  sk: string,
): string {
  const signed = AKSKSigner.sign(request as never, { getAk: () => ak, getSk: () => sk } as never) as Record<string, string>;
  const auth = signed['Authorization'];
  if (auth === undefined) throw new Error('SDK signer returned no Authorization');
  return auth;
}

/** Parses `SDK-HMAC-SHA256 Access=..., SignedHeaders=..., Signature=...`. */
export function parseAuthorization(value: string | undefined): { access: string; signedHeaders: string[]; signature: string } {
  const m = /^SDK-HMAC-SHA256 Access=([^,]+), SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/.exec(value ?? '');
  if (!m) throw new Error(`not an SDK-HMAC-SHA256 Authorization header: ${value}`);
  return { access: m[1]!, signedHeaders: m[2]!.split(';'), signature: m[3]! };
}

/**
 * Re-computes a received request's signature with Huawei's signer from what arrived on the
 * socket (the signed headers' values, path, query, body) and says whether it matches.
 * The SDK re-encodes the path it is given, so it gets the decoded path (ids here are ASCII).
 */
export function signatureMatches(req: RecordedRequest, ak: string, sk: string): boolean {
  const auth = parseAuthorization(req.headers['authorization']);
  if (auth.access !== ak) return false;
  const headers: Record<string, string> = {};
  for (const name of auth.signedHeaders) {
    const value = req.headers[name];
    if (typeof value !== 'string') return false;
    // the SDK only recognises the date header spelled X-Sdk-Date
    headers[name === 'x-sdk-date' ? 'X-Sdk-Date' : name] = value;
  }
  const queryParams: Record<string, string | string[]> = {};
  for (const [k, v] of req.query) {
    const prev = queryParams[k];
    queryParams[k] = prev === undefined ? v : [...(Array.isArray(prev) ? prev : [prev]), v];
  }
  const path = req.path.split('/').map(decodeURIComponent).join('/');
  const expected = huaweiSign(
    { method: req.method, endpoint: `http://${headers['host'] ?? ''}${path}`, headers, queryParams, ...(req.body === '' ? {} : { data: JSON.parse(req.body) }) },
    ak,
    sk,
  );
  return expected === req.headers['authorization'];
}
