import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { startEmulatorEnv, TEST_AK, TEST_SK } from './emulator-env.js';
import type { EmulatorEnv } from './emulator-env.js';

const REPO = join(import.meta.dirname, '../..');
const POLICIES = join(REPO, 'policies');

/**
 * `show PLANFILE` as a reviewer runs it on a CI artifact: no credentials, no endpoint, no
 * policies; each format prints what `plan` printed for the same plan.
 */

/** No credentials and no endpoint: a live read would fail, so every output below is the file's. */
const OFFLINE = { HUAWEICLOUD_SDK_AK: undefined, HUAWEICLOUD_SDK_SK: undefined, HW_ACCESS_KEY: undefined, HW_SECRET_KEY: undefined, HUAWEICLOUD_AUTH_TOKEN: undefined, DBSS_ENDPOINT: undefined, GITHUB_STEP_SUMMARY: undefined };

let e: EmulatorEnv;
let planFile: string;
const planned: Record<string, string> = {};

beforeAll(async () => {
  e = await startEmulatorEnv();
  planFile = join(e.dir, 'plan.json');
  for (const format of ['text', 'markdown', 'github']) {
    const r = await runCli(['plan', '--policies', POLICIES, '--rate-limit', '1000/s', '--format', format, '--out', planFile], { env: e.env, cwd: REPO });
    expect(r.code).toBe(0);
    planned[format] = r.stdout;
  }
  planned['json'] = await readFile(planFile, 'utf8');
});
afterAll(async () => {
  await e.close();
});

const show = (args: string[]) => runCli(['show', ...args], { env: OFFLINE, cwd: e.dir });

describe('dbss-policy show PLANFILE', () => {
  it.each(['text', 'markdown', 'json', 'github'])('prints the saved plan as plan --format %s printed it, without credentials or a read', async (format) => {
    const requests = e.emulator.counters();
    const r = await show(['plan.json', '--format', format]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    // plan --format github also annotates the policy warnings it read (untitled); show reads no
    // policies. Titled annotations located in policies (weakening, guardrail) are the plan's own.
    const policyWarnings = format === 'github' ? /^::warning file=policies\/[^,:\n]+,line=\d+,col=\d+::[^\n]*\n/gm : /$^/;
    expect(r.stdout).toBe(planned[format]!.replace(policyWarnings, ''));
    expect(r.stdout).toContain('truncate-in-prod');
    expect(e.emulator.counters()).toEqual(requests);
    expect(r.stdout + r.stderr).not.toContain(TEST_SK);
    expect(r.stdout + r.stderr).not.toContain(TEST_AK);
  });

  it('shows text by default', async () => {
    const r = await show([planFile]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(planned['text']);
  });

  it('refuses an edited plan file as apply does, naming the file and the JSON path', async () => {
    const plan = JSON.parse(planned['json']!) as { changes: { kind: string }[] };
    plan.changes[0]!.kind = 'explode';
    await writeFile(join(e.dir, 'edited.json'), JSON.stringify(plan));
    const shown = await show(['edited.json']);
    const applied = await runCli(['apply', 'edited.json', '--policies', POLICIES], { env: { ...e.env }, cwd: e.dir });
    expect(shown.code).toBe(1);
    expect(shown.stdout).toBe('');
    expect(shown.stderr).toMatch(/^dbss-policy show: edited\.json: not a valid dbss-policy plan:\n {2}\/changes\/0/);
    expect(shown.stderr.replace('dbss-policy show: ', '')).toBe(applied.stderr.replace('dbss-policy apply: ', ''));
  });

  it('refuses a file that is missing or not JSON', async () => {
    const missing = await show(['nope.json']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^dbss-policy show: cannot read plan file \S*nope\.json: ENOENT\n$/);
    await writeFile(join(e.dir, 'text.json'), 'Plan: 1 to create\n');
    const notJson = await show(['text.json']);
    expect(notJson.code).toBe(1);
    expect(notJson.stderr).toMatch(/^dbss-policy show: text\.json: not a dbss-policy plan: invalid JSON/);
  });

  it('needs exactly one plan file and a known format', async () => {
    expect((await show([])).stderr).toMatch(/expected one plan file \(from plan --out\), got 0/);
    const bad = await show(['plan.json', '--format', 'yaml']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('--format must be text, markdown, json or github, got "yaml"');
  });
});
