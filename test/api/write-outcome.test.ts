import { describe, expect, it } from 'vitest';
import { writeVerdict } from '../../src/api/write-outcome.js';

/** writeVerdict (src/api/write-outcome.ts): success is recognised positively, anything else is quoted. */

describe('writeVerdict', () => {
  it.each([
    [{ status: 'SUCCESS' }],
    [{ result: 'success' }],
    [{ status: 'Success', result: 'SUCCESS' }],
    [{ status: null, result: 'SUCCESS' }],
    [{ status: 'SUCCESS', result: null, id: 'x' }],
  ])('%j says success', (body) => {
    expect(writeVerdict(body, false)).toEqual({ ok: true });
  });

  it('takes an empty answer, or one without a status, as success only where that is documented', () => {
    expect(writeVerdict(undefined, true)).toEqual({ ok: true });
    expect(writeVerdict({}, true)).toEqual({ ok: true });
    expect(writeVerdict({ status: null, result: null }, true)).toEqual({ ok: true });
    expect(writeVerdict(undefined, false)).toEqual({ ok: false, said: 'an empty answer (no status)', documentedFailure: false });
    expect(writeVerdict({ id: 'x' }, false)).toEqual({ ok: false, said: 'no status or result in the answer', documentedFailure: false });
    expect(writeVerdict({ status: null }, false)).toEqual({ ok: false, said: 'no status or result in the answer', documentedFailure: false });
  });

  it('a status that is present must say success even where an empty answer would do', () => {
    expect(writeVerdict({ status: 'ERROR' }, true)).toEqual({ ok: false, said: 'status "ERROR"', documentedFailure: false });
  });

  it.each([
    [{ status: 'FAILED' }, 'status "FAILED"', true],
    [{ result: 'failed' }, 'result "failed"', true],
    [{ status: 'SUCCESS', result: 'Failed' }, 'result "Failed"', true],
    [{ status: 'FAILED', result: 'SUCCESS' }, 'status "FAILED"', true],
    [{ status: 'ERROR', result: 'FAILED' }, 'status "ERROR"', false],
    [{ result: 'ERROR' }, 'result "ERROR"', false],
    [{ status: 'SUCCESSFUL' }, 'status "SUCCESSFUL"', false],
    [{ status: '' }, 'status ""', false],
    [{ status: 0 }, 'status "0"', false],
    [{ status: true }, 'status "true"', false],
    [{ result: { ok: 1 } }, 'result "{\\"ok\\":1}"', false],
  ])('%j is a failure quoting %s', (body, said, documentedFailure) => {
    expect(writeVerdict(body, false)).toEqual({ ok: false, said, documentedFailure });
    expect(writeVerdict(body, true)).toEqual({ ok: false, said, documentedFailure });
  });
});
