/**
 * Success of a write is recognised positively. Rule writes answer `{ "status": "SUCCESS" }`
 * (switch on the 2024 eu-west-0 page: `{ "result": "SUCCESS" }`), the rank call
 * `{ "result": "success" }` (API reference §3.5-§3.9); only the summary-task write documents an
 * empty answer (§4.1). Anything else — `FAILED`, `ERROR`, an unknown word, no status at all — is
 * a failure that quotes what the answer said, so it is never counted as applied.
 */

/** How a write's answer was judged. */
export type WriteVerdict =
  | { /** The answer says success (or is an allowed empty answer). */ readonly ok: true }
  | {
      /** The answer does not say success. */
      readonly ok: false;
      /** The status value quoted, e.g. `status "ERROR"`, or what was missing. */
      readonly said: string;
      /** The answer said FAILED (the documented failure word), not something unknown. */
      readonly documentedFailure: boolean;
    };

const SUCCESS = 'SUCCESS';

/** Judges a write's answer body (undefined = empty answer). */
export function writeVerdict(body: Readonly<Record<string, unknown>> | undefined, emptyIsSuccess: boolean): WriteVerdict {
  if (body === undefined) {
    return emptyIsSuccess ? { ok: true } : { ok: false, said: 'an empty answer (no status)', documentedFailure: false };
  }
  const words = (['status', 'result'] as const)
    .filter((k) => body[k] !== undefined && body[k] !== null)
    .map((k) => ({ key: k, value: body[k] }));
  if (words.length === 0) {
    return emptyIsSuccess ? { ok: true } : { ok: false, said: 'no status or result in the answer', documentedFailure: false };
  }
  const bad = words.find((w) => typeof w.value !== 'string' || w.value.toUpperCase() !== SUCCESS);
  if (!bad) return { ok: true };
  const value = typeof bad.value === 'string' ? bad.value : JSON.stringify(bad.value);
  return { ok: false, said: `${bad.key} ${JSON.stringify(value)}`, documentedFailure: typeof bad.value === 'string' && bad.value.toUpperCase() === 'FAILED' };
}
