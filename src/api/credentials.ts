import { inspect } from 'node:util';
import { ConfigError } from '../errors.js';
import { signRequest, type SignableRequest } from './signer.js';

/**
 * Credentials that authenticate DBSS requests. The secret values live in #private fields:
 * JSON.stringify, util.inspect and string conversion show only the kind, never a value.
 */
export interface Credentials {
  /** `aksk` (signed requests, optionally temporary with a security token) or `token` (IAM token). */
  readonly kind: 'aksk' | 'token';
  /** The request's headers plus the ones that authenticate it (signature or token). */
  authenticate(request: SignableRequest, date: Date): Record<string, string>;
  /** `text` with every secret value (AK, SK, token) replaced by `***`. */
  redact(text: string): string;
  /** Where the values came from, for messages: names (environment variables), never values. */
  readonly source?: string;
}

const REDACTED = '***';

function redactValues(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (s.length > 0) out = out.split(s).join(REDACTED);
  return out;
}

/**
 * Real keys are long (an AK is 20 characters, an SK 40, tokens far more). A value of a few
 * characters is a placeholder or a mistake, and since every occurrence of a secret is redacted
 * from output, a one-letter "secret" would turn every message into `***` soup: refuse it.
 */
export const MIN_CREDENTIAL_LENGTH = 8;

function requireValue(value: string, what: string): string {
  if (value.trim() === '') throw new ConfigError(`${what} is empty`);
  if (/[\r\n\0]/.test(value)) throw new ConfigError(`${what} contains a line break or NUL character`);
  const v = value.trim();
  if (v.length < MIN_CREDENTIAL_LENGTH) {
    throw new ConfigError(`${what} is ${v.length} character${v.length === 1 ? '' : 's'} long, shorter than any real one (at least ${MIN_CREDENTIAL_LENGTH}; a Huawei Cloud AK has 20): refusing it as not a real credential`);
  }
  return v;
}

/** A permanent or temporary AK/SK pair; requests are signed with SDK-HMAC-SHA256. */
export class AkSkCredentials implements Credentials {
  readonly kind = 'aksk' as const;
  readonly #ak: string;
  readonly #sk: string;
  readonly #securityToken: string | undefined;
  readonly source?: string;

  /** `source`: where the keys came from, e.g. `HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK` (never a value). */
  constructor(keys: { accessKey: string; secretKey: string; securityToken?: string; source?: string }) {
    if (keys.source !== undefined) this.source = keys.source;
    this.#ak = requireValue(keys.accessKey, 'access key');
    this.#sk = requireValue(keys.secretKey, 'secret key');
    this.#securityToken = keys.securityToken === undefined ? undefined : requireValue(keys.securityToken, 'security token');
  }

  /** True for temporary credentials (a security token is sent and signed). */
  get temporary(): boolean {
    return this.#securityToken !== undefined;
  }

  authenticate(request: SignableRequest, date: Date): Record<string, string> {
    const headers = this.#securityToken === undefined ? request.headers : { ...request.headers, 'X-Security-Token': this.#securityToken };
    return signRequest({ ...request, headers }, { ak: this.#ak, sk: this.#sk }, date);
  }

  redact(text: string): string {
    return redactValues(text, [this.#ak, this.#sk, this.#securityToken ?? '']);
  }

  toJSON(): object {
    return { kind: this.kind, accessKey: REDACTED, temporary: this.temporary };
  }

  toString(): string {
    return `AkSkCredentials(${this.temporary ? 'temporary' : 'permanent'})`;
  }

  [inspect.custom](): string {
    return this.toString();
  }
}

/** An IAM token, sent as X-Auth-Token (valid 24 h; an expired one answers 401 APIG.0301). */
export class TokenCredentials implements Credentials {
  readonly kind = 'token' as const;
  readonly #token: string;
  readonly source?: string;

  /** `source`: where the token came from, e.g. `HUAWEICLOUD_AUTH_TOKEN` (never a value). */
  constructor(token: string, source?: string) {
    this.#token = requireValue(token, 'IAM token');
    if (source !== undefined) this.source = source;
  }

  authenticate(request: SignableRequest): Record<string, string> {
    return { ...request.headers, 'X-Auth-Token': this.#token };
  }

  redact(text: string): string {
    return redactValues(text, [this.#token]);
  }

  toJSON(): object {
    return { kind: this.kind, token: REDACTED };
  }

  toString(): string {
    return 'TokenCredentials';
  }

  [inspect.custom](): string {
    return this.toString();
  }
}

/** The first of `names` set to a non-blank value. */
const firstSet = (env: Readonly<Record<string, string | undefined>>, names: readonly string[]): string | undefined =>
  names.find((n) => (env[n]?.trim() ?? '') !== '');
const first = (env: Readonly<Record<string, string | undefined>>, names: readonly string[]): string | undefined => {
  const name = firstSet(env, names);
  return name === undefined ? undefined : env[name]!.trim();
};

const AK_VARS = ['HUAWEICLOUD_SDK_AK', 'HW_ACCESS_KEY'] as const;
const SK_VARS = ['HUAWEICLOUD_SDK_SK', 'HW_SECRET_KEY'] as const;
const TOKEN_VARS = ['HUAWEICLOUD_SDK_SECURITY_TOKEN', 'HW_SECURITY_TOKEN'] as const;
const AUTH_TOKEN_VAR = 'HUAWEICLOUD_AUTH_TOKEN';

/**
 * Credentials from the environment: Huawei SDK names first, Terraform provider names as
 * fallbacks, an IAM token last. An AK/SK pair wins over a token when both are set.
 * Errors name the variables, never their values.
 */
export function credentialsFromEnv(env: Readonly<Record<string, string | undefined>> = process.env): Credentials {
  const ak = first(env, AK_VARS);
  const sk = first(env, SK_VARS);
  const securityToken = first(env, TOKEN_VARS);
  if (ak !== undefined && sk !== undefined) {
    const names = [firstSet(env, AK_VARS), firstSet(env, SK_VARS), ...(securityToken === undefined ? [] : [firstSet(env, TOKEN_VARS)])];
    const source = names.join(names.length === 3 ? ', ' : ' and ').replace(/, ([^,]+)$/, ' and $1');
    return new AkSkCredentials({ accessKey: ak, secretKey: sk, ...(securityToken === undefined ? {} : { securityToken }), source });
  }
  if (ak !== undefined || sk !== undefined) {
    const [set, missing] = ak !== undefined ? [AK_VARS, SK_VARS] : [SK_VARS, AK_VARS];
    throw new ConfigError(`${set.join(' or ')} is set but ${missing.join(' or ')} is not: set both halves of the AK/SK pair`);
  }
  if (securityToken !== undefined) {
    throw new ConfigError(`${TOKEN_VARS.join(' or ')} is set without an AK/SK pair: set ${AK_VARS[0]} and ${SK_VARS[0]} too`);
  }
  const token = first(env, [AUTH_TOKEN_VAR]);
  if (token !== undefined) return new TokenCredentials(token, AUTH_TOKEN_VAR);
  throw new ConfigError(
    `no DBSS credentials: set ${AK_VARS[0]} and ${SK_VARS[0]} (or ${AK_VARS[1]} and ${SK_VARS[1]}), ` +
      `plus ${TOKEN_VARS[0]} for temporary keys, or set ${AUTH_TOKEN_VAR} to an IAM token`,
  );
}
