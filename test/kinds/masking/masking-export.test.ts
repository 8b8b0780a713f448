import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_INSTANCES, DEMO_PROJECTS } from '../../../src/emulator/index.js';
import { startEmulatorEnv, TEST_AK, TEST_SK, writes } from '../../cli/emulator-env.js';
import type { EmulatorEnv } from '../../cli/emulator-env.js';
import { call } from '../../emulator/helpers/call.js';
import { runInProcess } from '../../helpers/run-in-process.js';

/** `export` writes masking into the instance entry, and planning the export changes nothing. */

let e: EmulatorEnv | undefined;
afterEach(async () => {
  await e?.close();
  e = undefined;
});

const RULES = `/v1/${DEMO_PROJECTS.payments}/audit/${DEMO_INSTANCES.prodAudit}/sensitive/mask/rule`;
const ODD = 'odd: "quoted" # not a comment ✓ 卡号';

describe('export of masking', () => {
  it('exports switches, custom rules (odd names and regexes) and built-in switches; the plan of the export is empty', async () => {
    e = await startEmulatorEnv({ profile: 'hostile' });
    const auth = { key: { ak: TEST_AK, sk: TEST_SK } };
    for (const [name, regex, value] of [
      [ODD, "^(?:\\d{3})-'\\d+'$", '*** "x"'],
      ['plain', '\\S+@\\S+', '***'],
    ]) {
      expect((await call(e.emulator.url, 'POST', RULES, { auth, body: { rule_name: name, mask_regex: regex, mask_value: value } })).json).toEqual({ status: 'SUCCESS' });
    }
    const cli = (args: string[]) => runInProcess([...args, '--rate-limit', '1000/s'], { env: e!.env, cwd: e!.dir });
    const exported = await cli(['export', '--project', DEMO_PROJECTS.payments, '--region', 'cn-north-4', '--out', 'adopted']);
    expect(exported.code, exported.stderr).toBe(0);
    const yaml = await readFile(join(e.dir, 'adopted/cn-north-4', `${DEMO_PROJECTS.payments}.yaml`), 'utf8');
    expect(yaml).toMatch(/^ {4}masking: OFF$/m);
    expect(yaml).toMatch(/^ {4}result_set_storage: ON$/m);
    expect(yaml).toMatch(/^ {6}Bank card number: ON$/m);
    expect(yaml).toContain('卡号');
    e.emulator.resetCounters();
    const plan = await cli(['plan', '--policies', 'adopted', '--detailed-exitcode']);
    expect(plan.stdout, plan.stdout + plan.stderr).toContain('No changes.');
    expect(plan.code).toBe(0);
    expect(writes(e.emulator)).toBe(0);
  });
});
