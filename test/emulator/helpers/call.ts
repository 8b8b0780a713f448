import { request } from 'undici';
import type { SigningKey } from './sign.js';
import { authorization, sdkDate } from './sign.js';

/** How a test request authenticates: AK/SK signature, IAM token, or nothing (open mode). */
export interface CallAuth {
  /** Sign with this key. */
  readonly key?: SigningKey;
  /** X-Sdk-Date time in epoch ms (default now). */
  readonly signedAt?: number;
  /** X-Security-Token to send (and sign). */
  readonly securityToken?: string;
  /** X-Auth-Token to send. */
  readonly token?: string;
}

/** A test request. */
export interface CallOptions {
  /** JSON body (serialised with JSON.stringify) or a raw string. */
  readonly body?: unknown;
  /** Authentication. */
  readonly auth?: CallAuth;
  /** Extra headers (signed too). */
  readonly headers?: Readonly<Record<string, string>>;
}

/** A parsed answer. */
export interface CallResult {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly text: string;
  /** The JSON body, or undefined when the body is empty. */
  readonly json: any;
}

/** Sends one request to the emulator at `base` (path may include a query string). */
export async function call(base: string, method: string, path: string, options: CallOptions = {}): Promise<CallResult> {
  const url = new URL(path, base);
  const body = options.body === undefined ? '' : typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  if (body !== '') headers['content-type'] ??= 'application/json';
  const auth = options.auth;
  if (auth?.token) headers['x-auth-token'] = auth.token;
  if (auth?.securityToken) headers['x-security-token'] = auth.securityToken;
  if (auth?.key) {
    headers['x-sdk-date'] = sdkDate(auth.signedAt ?? Date.now());
    headers.host = url.host;
    headers.authorization = authorization(auth.key, method, url, headers, body);
  }
  const res = await request(url, { method: method as 'GET', headers, body: body === '' ? undefined : body });
  const text = await res.body.text();
  return { status: res.statusCode, headers: res.headers, text, json: text === '' ? undefined : JSON.parse(text) };
}
