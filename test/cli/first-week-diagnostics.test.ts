import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli/run.js';
import { toolVersion } from '../../src/version.js';

const POLICIES = join(import.meta.dirname, '../../policies');

/** Runs the CLI in process; output streams record what was written. */
async function cli(args: string[], env: Record<string, string> = {}) {
  const out = { isTTY: false, text: '', write(c: string) { this.text += c; return true; } };
  const err = { isTTY: false, text: '', write(c: string) { this.text += c; return true; } };
  const code = await run(args, { stdout: out, stderr: err, env, cwd: process.cwd() });
  return { code, stdout: out.text, stderr: err.text };
}

describe('the version', () => {
  it.each([['version'], ['--version'], ['-V'], ['-v']])('%s prints it on stdout and exits 0', async (flag) => {
    expect(await cli([flag])).toEqual({ code: 0, stdout: `${toolVersion()}\n`, stderr: '' });
  });

  it('the top-level help says how to get it', async () => {
    expect((await cli(['help'])).stdout).toContain('dbss-policy version');
  });
});

describe('--summary-tasks without --instance', () => {
  it.each(['plan', 'apply', 'reconcile'])('%s: a usage error that says what to do, nothing read', async (verb) => {
    const r = await cli([verb, '--summary-tasks', '--emulator', '--policies', POLICIES]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`dbss-policy ${verb}: --summary-tasks only adds the summary tasks back to an --instance run`);
    expect(r.stderr).toContain('Add --instance NAME or drop --summary-tasks');
    expect(r.stderr).not.toMatch(/reading:/);
  });
});
