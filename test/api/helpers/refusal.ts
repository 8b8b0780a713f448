import type { Fail } from '../../../src/api/wire-reader.js';

/** What the wire mappers call on an answer they cannot read: here it throws the detail. */
export const fail: Fail = (detail) => {
  throw new Error(detail);
};

/** The message of what `f` throws; a test fails when it throws nothing. */
export const refusal = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected a refusal, got none');
};
