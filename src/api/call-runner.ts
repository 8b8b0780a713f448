import type { LimitFunction } from 'p-limit';
import { callPath, callQuery, type ApiCall } from './api-call.js';
import type { ClientEvent } from './client-options.js';
import type { Clock } from './clock.js';
import type { Credentials } from './credentials.js';
import type { Endpoint } from './endpoint.js';
import { unreachableDetail, UNREACHABLE_CODES } from './unreachable.js';
import { DbssApiError, shortenDetail } from './errors.js';
import { TransportFailure, type HttpResponse, type Transport } from './http.js';
import { formatRateLimit } from './rate-limit.js';
import { BudgetWaitRefused, type RequestRateLimiter } from './rate-limiter.js';
import { readAnswer, type CallSite } from './response.js';
import { backoffDelay, classifyFailure, type BackoffOptions } from './retry.js';
import type { CallStats } from './stats.js';
import { parseRetryAfter, parseThrottleLimit } from './throttle-hint.js';
import { RequestDeadline, type SendCutoff } from './request-deadline.js';
import { authAdvice, authGateOf, AuthRefused, authVerdict, refusedEarlier, type AuthTicket } from './auth-gate.js';
import type { Fail } from './wire-reader.js';

/** What a call runner needs; one set per client. */
export interface RunnerDeps {
  /** Where requests go. */
  readonly endpoint: Endpoint;
  /** Authenticates each attempt (a fresh X-Sdk-Date every time) and redacts server text. */
  readonly credentials: Credentials;
  /** Sends the HTTP requests. */
  readonly transport: Transport;
  /** The endpoint's shared request-rate budget. */
  readonly limiter: RequestRateLimiter;
  /** p-limit of requests in flight. */
  readonly concurrency: LimitFunction;
  /** Counters to update. */
  readonly stats: CallStats;
  /** Progress listener (never throws). */
  readonly emit: (event: ClientEvent) => void;
  /** Attempts per call, the first included. */
  readonly maxAttempts: number;
  /** Deadline of one attempt, ms; with maxAttempts it bounds the whole call (request-deadline.ts). */
  readonly timeoutMs: number;
  /** Backoff bounds between attempts. */
  readonly backoff: BackoffOptions;
  /** Time source for dates, delays and Retry-After. */
  readonly clock: Clock;
  /** The run's cutoff, if one is set now: nothing is sent, and no wait ends, after it. */
  readonly cutoff?: () => SendCutoff | undefined;
}

/** How a call may be repeated. */
export interface RunPolicy {
  /**
   * For non-idempotent calls (create): after a failure that may have been applied, this is
   * asked whether it was; true ends the call as a success, false allows another attempt.
   * Without it every retryable failure is simply retried.
   */
  readonly wasApplied?: () => Promise<boolean>;
}

/** Turns a call's JSON answer (undefined when allowed empty) into its domain value; `fail` raises a bad-response error. */
export type Decode<T> = (answer: Record<string, unknown> | undefined, fail: Fail) => T;

/** Runs one logical call with its retries and decodes the answer. */
export type CallRunner = <T>(call: ApiCall, decode: Decode<T>, policy?: RunPolicy) => Promise<T>;

/** Where a call goes, for error messages: the concrete path sent (no query) and its template. */
export function callSite(endpoint: Endpoint, call: ApiCall): CallSite {
  return { operation: call.operation, method: call.method, path: endpoint.basePath + callPath(call), pathTemplate: call.pathTemplate };
}

/** Only waits this long or longer are announced as `waiting` events. */
const ANNOUNCED_WAIT_MS = 1000;
const USER_AGENT = 'dbss-policy';

function toApiError(err: unknown, site: CallSite, redact: (t: string) => string, endpoint: Endpoint): DbssApiError {
  if (err instanceof DbssApiError) return err;
  if (err instanceof TransportFailure) {
    const kind = err.kind === 'too-large' ? 'bad-response' : err.kind;
    const detail = kind === 'network' && UNREACHABLE_CODES.has(err.code) ? unreachableDetail(endpoint, err.message) : err.message;
    return new DbssApiError({ ...site, kind, errorCode: err.code, detail: redact(detail), cause: err });
  }
  throw err;
}

/**
 * Runs API calls: for each attempt, take a concurrency slot, then a rate token inside it
 * (the bucket refills with time alone, so holding a slot while waiting cannot deadlock, and the
 * request leaves right after its token: no bursts from queued slots); sign, send, read. Backoff
 * sleeps happen outside the slot. Retryable failures are retried up to `maxAttempts`; a
 * throttled answer also slows the shared limiter, once per episode: each 429 carries the
 * limiter generation its request was sent in.
 */
export function createCallRunner(deps: RunnerDeps): CallRunner {
  const redact = (t: string): string => deps.credentials.redact(t);
  const authGate = authGateOf(deps.credentials);

  /** Sends one attempt; resolves with the answer and the limiter generation the request was sent in. */
  async function sendOnce(call: ApiCall, url: string, body: Buffer | undefined, latest: number): Promise<{ res: HttpResponse; generation: number }> {
    return deps.concurrency(async () => {
      const generation = await deps.limiter.acquire((ms) => {
        if (ms >= ANNOUNCED_WAIT_MS) {
          deps.emit({ type: 'waiting', operation: call.operation, waitMs: ms, message: `${call.operation}: waiting ${ms} ms for the request rate budget` });
        }
      }, latest);
      const signed = deps.credentials.authenticate(
        { method: call.method, url, headers: { 'Content-Type': call.contentType, 'X-Project-Id': call.projectId }, ...(body ? { body } : {}) },
        new Date(deps.clock.now()),
      );
      deps.stats.requestSent();
      const res = await deps.transport.send({ method: call.method, url, headers: { ...signed, 'User-Agent': USER_AGENT }, ...(body ? { body } : {}) });
      return { res, generation };
    });
  }

  async function run<T>(call: ApiCall, decode: Decode<T>, policy: RunPolicy = {}): Promise<T> {
    const site = callSite(deps.endpoint, call);
    const answer = await attempts(call, site, policy);
    return decode(answer, (detail) => {
      throw new DbssApiError({ ...site, kind: 'bad-response', status: 200, errorCode: 'BAD_RESPONSE', detail: shortenDetail(redact(detail)) });
    });
  }

  async function attempts(call: ApiCall, site: CallSite, policy: RunPolicy): Promise<Record<string, unknown> | undefined> {
    const url = deps.endpoint.origin + site.path + callQuery(call);
    const body = call.body === undefined ? undefined : Buffer.from(JSON.stringify(call.body), 'utf8');
    let uncertain = false; // an earlier attempt may have taken effect
    const deadline = new RequestDeadline(deps.clock.now(), deps.timeoutMs, deps.maxAttempts, deps.cutoff);
    /** The call ends before attempt `attempt` is sent; earlier attempts (and their doubt) are kept. */
    const notSent = (attempt: number, errorCode: string, detail: string): DbssApiError =>
      new DbssApiError({ ...site, kind: 'not-sent', errorCode, detail, ...(attempt > 2 ? { attempts: attempt - 1 } : {}), ...(uncertain ? { mayHaveApplied: true } : {}) });
    for (let attempt = 1; ; attempt++) {
      let res: HttpResponse | undefined;
      let generation: number | undefined;
      const cutOff = deadline.refuseSend(deps.clock.now());
      if (cutOff !== undefined) throw notSent(attempt, 'CUTOFF', cutOff);
      let ticket: AuthTicket;
      try {
        ticket = await authGate.admit(deps.endpoint.origin);
      } catch (refused) {
        if (!(refused instanceof AuthRefused)) throw refused;
        throw notSent(attempt, 'AUTH_FAILED_EARLIER', refusedEarlier(deps.credentials, refused));
      }
      try {
        ({ res, generation } = await sendOnce(call, url, body, deadline.latestSend()));
        const answer = readAnswer(site, res, call.expect, redact);
        ticket('accepted');
        deps.limiter.succeeded();
        return answer;
      } catch (caught) {
        if (caught instanceof BudgetWaitRefused) {
          ticket('unknown');
          throw notSent(attempt, 'DEADLINE', deadline.describeBudgetWait(deps.clock.now(), caught.waitMs, caught.requestsPerSecond));
        }
        let err: DbssApiError;
        try {
          err = toApiError(caught, site, redact, deps.endpoint);
        } finally {
          ticket(authVerdict(res?.status), res ? `${site.method} ${site.path}: ${res.status}` : undefined);
        }
        const verdict = classifyFailure(err);
        const now = deps.clock.now();
        const retryAfterMs = res ? parseRetryAfter(res.headers['retry-after'], now, Number.POSITIVE_INFINITY) : undefined;
        const verify = verdict.mayHaveApplied && policy.wasApplied !== undefined;
        const delayMs = retryAfterMs ?? backoffDelay(attempt, deps.backoff);
        const overrun = retryAfterMs !== undefined && (verdict.retryable || verify) ? deadline.refuseWait(now, retryAfterMs) : undefined;
        let slowedDown = false;
        let belowFloor = false;
        if (verdict.throttled) {
          deps.stats.throttled();
          const serverLimit = parseThrottleLimit(err.detail);
          belowFloor = serverLimit !== undefined && (serverLimit.requests * 1000) / serverLimit.perMs < deps.limiter.floorPerSecond;
          // A Retry-After past the deadline is not honoured, so it must not pause every other request either.
          const pause = retryAfterMs === undefined || overrun !== undefined ? {} : { retryAfterMs };
          slowedDown = deps.limiter.throttled({ ...(serverLimit ? { serverLimit } : {}), ...pause }, generation);
        }
        uncertain ||= verdict.mayHaveApplied;
        const final = (): DbssApiError =>
          attempt > 1 ? err.withAttempts(attempt, uncertain) : uncertain ? new DbssApiError({ ...err.init(), mayHaveApplied: true }) : err;
        // Never retried (classifyFailure), and nothing else goes out with this credential.
        if (err.status === 401) throw new DbssApiError({ ...final().init(), detail: `${err.detail ?? 'unauthorized'}; ${authAdvice(deps.credentials)}` });
        if (overrun !== undefined) {
          // No time left to wait; a create that may have landed is still checked (no resend).
          // final() keeps mayHaveApplied from any earlier attempt, so the caller can still confirm.
          if (verify && policy.wasApplied && (await checkApplied(policy.wasApplied, err))) return undefined;
          throw new DbssApiError({ ...final().init(), detail: `${err.detail ?? 'failed'}; ${overrun}` });
        }
        const lateRetry = deadline.refuseBackoff(now, delayMs);
        const canRetry = verdict.retryable && attempt < deps.maxAttempts && lateRetry === undefined;
        if (!canRetry && !verify) throw lateRetry === undefined ? final() : new DbssApiError({ ...final().init(), detail: `${err.detail ?? 'failed'}; ${lateRetry}` });
        const next = canRetry ? `retry ${attempt} of ${deps.maxAttempts - 1} in ${delayMs} ms` : `no attempts left`;
        if (verdict.throttled) {
          const requestsPerSecond = deps.limiter.requestsPerSecond;
          const rate = formatRateLimit({ requests: requestsPerSecond, perMs: 1000 });
          const floor = belowFloor ? ' (the floor: the stated limit is below a tenth of the budget, not believed)' : '';
          const pace = slowedDown ? `slowing to ${rate}${floor}` : `rate already lowered to ${rate} in this episode`;
          deps.emit({ type: 'throttled', operation: call.operation, attempt, delayMs, requestsPerSecond, message: `${err.message}; ${pace}, ${next}` });
        } else if (!verify) {
          deps.emit({ type: 'retrying', operation: call.operation, attempt, delayMs, ...(err.errorCode ? { errorCode: err.errorCode } : {}), message: `${err.message}; ${next}` });
        }
        await deps.clock.sleep(delayMs);
        if (verify && policy.wasApplied) {
          // after the backoff, so a write still in progress on the backend has had time to land
          deps.emit({ type: 'verifying', operation: call.operation, message: `${err.message}; the write may have happened: checking before ${canRetry ? 'resending' : 'giving up'}` });
          if (await checkApplied(policy.wasApplied, err)) return undefined;
        }
        if (!canRetry) throw final();
        deps.stats.retried();
      }
    }
  }

  return run;
}

async function checkApplied(wasApplied: () => Promise<boolean>, err: DbssApiError): Promise<boolean> {
  try {
    return await wasApplied();
  } catch (checkErr) {
    const why = checkErr instanceof Error ? checkErr.message : String(checkErr);
    throw new DbssApiError({ ...err.init(), detail: `${err.detail ?? 'failed'}; outcome unknown, and checking it failed: ${why}`, cause: checkErr });
  }
}
