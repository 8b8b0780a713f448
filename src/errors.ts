/**
 * The few error classes of dbss-policy. Each has a stable `code`; the CLI's single top-level
 * catch maps them to exit codes. Anything else reaching the CLI is an internal bug.
 */

export type ErrorCode =
  | 'POLICY_INVALID'
  | 'USAGE'
  | 'CONFIG'
  | 'API'
  | 'PLAN_REFUSED'
  | 'PLAN_STALE'
  | 'NOT_CONVERGED'
  | 'LOCKED'
  | 'INTERRUPTED';

/** Base class: a user-facing failure with a stable code. */
export class DbssPolicyError extends Error {
  /** Stable machine-readable code. */
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = 'DbssPolicyError';
  }
}

/** Bad command line (unknown flag, missing argument). */
export class UsageError extends DbssPolicyError {
  constructor(message: string) {
    super('USAGE', message);
    this.name = 'UsageError';
  }
}

/** Bad configuration or environment (missing credentials, bad endpoint). */
export class ConfigError extends DbssPolicyError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('CONFIG', message, options);
    this.name = 'ConfigError';
  }
}
