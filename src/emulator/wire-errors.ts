/**
 * Error answers in the three shapes DBSS traffic shows (dbss-api.md §5):
 * - old path families: nested `{"error":{"error_code","error_msg"}}`;
 * - new path families: flat `{"error_code","error_msg"}`;
 * - the gateway (APIG): `{"error_code":"APIG.xxxx","error_msg","request_id"}`, whatever the path.
 */

/** Which DBSS error body a route answers with. */
export type ErrorStyle = 'nested' | 'flat';

/** DBSS error codes the emulator uses (ErrorCode page). */
export const DBSS = {
  /** 400: malformed request (bad body, bad enum, missing field, bad paging). */
  malformed: 'DBSS.10000001',
  /** 400: invalid id parameter (id format, unknown instance or rule). */
  invalidId: 'DBSS.10020021',
  /** 404: not found (the ErrorCode page's only DBSS 404; used by profiles answering 404 for an unknown rule). */
  notFound: 'DBSS.10021004',
  /** 400: database operation failed. */
  dbOperation: 'DBSS.10020102',
  /** 500: internal error. */
  internal: 'DBSS.11000000',
} as const;

/** Gateway error codes (APIG error table). */
export const APIG = {
  /** 404: API not found or not published. */
  notFound: 'APIG.0101',
  /** 413/414 request too large; 502/504 backend unavailable or timed out. */
  backendOrSize: 'APIG.0201',
  /** 401: incorrect IAM authentication (signature, AK, lock, token). */
  auth: 'APIG.0301',
  /** 429: throttled. */
  throttled: 'APIG.0308',
} as const;

/** A failure the emulator answers with; thrown by handlers, turned into a body by the server. */
export class ApiFailure extends Error {
  /** HTTP status. */
  readonly status: number;
  /** error_code. */
  readonly errorCode: string;
  /** True for gateway (APIG) errors, which have their own body shape on every path. */
  readonly gateway: boolean;

  constructor(status: number, errorCode: string, message: string, gateway = false) {
    super(message);
    this.status = status;
    this.errorCode = errorCode;
    this.gateway = gateway;
    this.name = 'ApiFailure';
  }
}

/** A 400 DBSS error. */
export function badRequest(message: string, code: string = DBSS.malformed): ApiFailure {
  return new ApiFailure(400, code, message);
}

/** The answer to an unknown rule id under the profile: 400 invalid id, or 404 not found. */
export function unknownRule(message: string, unknownId: '400' | '404'): ApiFailure {
  return unknownId === '404' ? new ApiFailure(404, DBSS.notFound, message) : badRequest(message, DBSS.invalidId);
}

/** A gateway error. */
export function gatewayFailure(status: number, code: string, message: string): ApiFailure {
  return new ApiFailure(status, code, message, true);
}

/** The JSON body of a failure in the shape of the route's family. */
export function errorBody(failure: ApiFailure, style: ErrorStyle, requestId: string): Record<string, unknown> {
  if (failure.gateway) return { error_code: failure.errorCode, error_msg: failure.message, request_id: requestId };
  const detail = { error_code: failure.errorCode, error_msg: failure.message };
  return style === 'nested' ? { error: detail } : detail;
}
