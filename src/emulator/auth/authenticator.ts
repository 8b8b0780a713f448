import { createHash } from 'node:crypto';
import { APIG, gatewayFailure } from '../wire-errors.js';
import type { ApiFailure } from '../wire-errors.js';
import type { ReceivedRequest } from './signature.js';
import { parseAuthorization, signatureMatches, stringToSign } from './signature.js';

/** An AK/SK pair the emulator accepts; a temporary one also needs its security token. */
export interface AccessKeyCredential {
  /** Access key id. */
  readonly ak: string;
  /** Secret access key. */
  readonly sk: string;
  /** For temporary credentials: the X-Security-Token that must come with every request. */
  readonly securityToken?: string;
  /** A label for the request log (`caller`), never the key: tests count each credential's requests by it. */
  readonly name?: string;
}

/** Who may call the emulator. */
export interface AuthSettings {
  /** Accepted AK/SK pairs (SDK-HMAC-SHA256 signatures). */
  readonly credentials: readonly AccessKeyCredential[];
  /** Accepted IAM tokens (X-Auth-Token). */
  readonly tokens: readonly string[];
  /** Allowed distance of X-Sdk-Date from the emulator clock (default 15 minutes). */
  readonly maxClockSkewMs?: number;
  /** Consecutive failures an AK may have before it is locked (default 5: the 6th locks). */
  readonly lockoutThreshold?: number;
  /** How long a locked AK stays locked (default 5 minutes). */
  readonly lockoutMs?: number;
}

const MINUTE = 60_000;
const PREFIX = 'Incorrect IAM authentication information';

/** Parses `YYYYMMDDTHHMMSSZ`; NaN when malformed. */
export function parseSdkDate(value: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) return Number.NaN;
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
}

/**
 * Authenticates requests as APIG does: an IAM token in X-Auth-Token, or an AK/SK signature
 * with a fresh X-Sdk-Date (and X-Security-Token for temporary keys). More than `threshold`
 * consecutive failures of one AK lock it; while locked every request of that AK fails.
 * Every failure is 401 APIG.0301; messages never contain the key, secret or token.
 */
export class Authenticator {
  private readonly failures = new Map<string, { count: number; lockedUntil: number }>();

  constructor(
    private readonly settings: AuthSettings,
    private readonly now: () => number,
  ) {}

  /** The principal (throttling key) of an authenticated request; throws 401 APIG.0301 otherwise. */
  authenticate(req: ReceivedRequest): string {
    const token = req.headers['x-auth-token'];
    if (typeof token === 'string' && token !== '') {
      if (!this.settings.tokens.includes(token)) throw fail('the token is invalid or has expired (The token must be updated)');
      return `token:${createHash('sha256').update(token).digest('hex').slice(0, 16)}`;
    }
    const auth = parseAuthorization(typeof req.headers.authorization === 'string' ? req.headers.authorization : undefined);
    if (!auth) throw fail('no X-Auth-Token and no SDK-HMAC-SHA256 Authorization header');
    const entry = this.failures.get(auth.accessKey);
    if (entry && entry.lockedUntil > this.now()) throw fail('the access key is locked after repeated authentication failures; retry in 5 minutes');
    const problem = this.signatureProblem(req, auth);
    if (problem) {
      this.recordFailure(auth.accessKey);
      throw fail(problem);
    }
    this.failures.delete(auth.accessKey);
    return `ak:${auth.accessKey}`;
  }

  /** The `name` of the AK/SK pair a principal stands for, if it has one (the request log's `caller`). */
  callerOf(principal: string): string | undefined {
    if (!principal.startsWith('ak:')) return undefined;
    const ak = principal.slice('ak:'.length);
    return this.settings.credentials.find((c) => c.ak === ak)?.name;
  }

  private signatureProblem(req: ReceivedRequest, auth: NonNullable<ReturnType<typeof parseAuthorization>>): string | undefined {
    const credential = this.settings.credentials.find((c) => c.ak === auth.accessKey);
    const sdkDate = req.headers['x-sdk-date'];
    if (typeof sdkDate !== 'string' || !auth.signedHeaders.includes('x-sdk-date')) return 'X-Sdk-Date is missing or not signed';
    const date = parseSdkDate(sdkDate);
    if (Number.isNaN(date)) return 'X-Sdk-Date is not in the format YYYYMMDDTHHMMSSZ';
    if (Math.abs(this.now() - date) > (this.settings.maxClockSkewMs ?? 15 * MINUTE)) {
      return 'X-Sdk-Date is more than 15 minutes away from the gateway time';
    }
    if (!credential) return 'verify aksk signature fail';
    if (credential.securityToken !== undefined && req.headers['x-security-token'] !== credential.securityToken) {
      return 'a temporary access key needs its valid X-Security-Token';
    }
    const toSign = stringToSign(req, auth.signedHeaders, sdkDate);
    if (toSign === undefined) return 'X-Sdk-Content-Sha256 does not match the request body';
    return signatureMatches(toSign, credential.sk, auth.signature) ? undefined : 'verify aksk signature fail';
  }

  private recordFailure(accessKey: string): void {
    const entry = this.failures.get(accessKey);
    const count = entry && entry.lockedUntil <= this.now() && entry.lockedUntil !== 0 ? 1 : (entry?.count ?? 0) + 1;
    const locked = count > (this.settings.lockoutThreshold ?? 5);
    this.failures.set(accessKey, { count, lockedUntil: locked ? this.now() + (this.settings.lockoutMs ?? 5 * MINUTE) : 0 });
  }
}

function fail(detail: string): ApiFailure {
  return gatewayFailure(401, APIG.auth, `${PREFIX}: ${detail}`);
}
