import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runInProcess } from '../helpers/run-in-process.js';

/** `--settle MS` (issue 18 item 3): how long a listing may lag a create; bounded, a usage error otherwise. */
const POLICIES = join(import.meta.dirname, '../../policies');
const cli = (args: string[]) => runInProcess(args, { cwd: process.cwd(), env: {} });

describe('--settle', () => {
  it('is shown in the help of plan, apply and reconcile with its default and bound', async () => {
    for (const verb of ['plan', 'apply', 'reconcile']) {
      expect((await cli(['help', verb])).stdout).toMatch(/--settle MS +how long a listing may lag a create, in ms \(0-60000, default 5000\)/);
    }
  });

  it.each(['abc', '-1', '60001', '1.5', ''])('refuses %j before any request, naming the flag and the range', async (value) => {
    const r = await cli(['plan', '--emulator', '--policies', POLICIES, `--settle=${value}`]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(`--settle must be a whole number of milliseconds from 0 to 60000, got "${value}"`);
    expect(r.stderr).not.toContain('Using the embedded DBSS emulator');
  });

  it('accepts 0 (one listing) and the maximum', async () => {
    for (const value of ['0', '60000']) {
      const r = await cli(['plan', '--emulator', '--policies', POLICIES, '--settle', value]);
      expect(r.stderr).not.toContain('--settle');
      expect(r.stdout).toContain('Plan:');
    }
  });
});
