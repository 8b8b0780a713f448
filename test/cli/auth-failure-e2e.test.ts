import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_PROJECTS } from '../../src/emulator/index.js';
import { runCli } from '../helpers/run-cli.js';
import { startEmulatorEnv, TEST_AK, TEST_SK } from './emulator-env.js';
import type { EmulatorEnv } from './emulator-env.js';

const REPO = join(import.meta.dirname, '../..');
const POLICIES = join(REPO, 'policies');
const WRONG_SK = 'a-mistyped-secret-key-that-is-long-enough-0000';

let e: EmulatorEnv | undefined;
afterEach(async () => {
  await e?.close();
  e = undefined;
});

/**
 * A mistyped secret key: DBSS locks the access key after 5 failed authentications in a row, so
 * each command must send exactly one request with it, whatever it reads and however many
 * requests it would have in flight. Counted at the emulator, over a real socket.
 */
describe('a wrong key makes exactly one authenticated request per run', () => {
  const commands: Record<string, string[]> = {
    plan: ['plan', '--policies', POLICIES],
    reconcile: ['reconcile', '--yes', '--policies', POLICIES],
    export: ['export', '--project', DEMO_PROJECTS.payments, '--region', 'cn-north-4', '--out', 'adopted'],
    probe: ['probe', '--project', DEMO_PROJECTS.payments, '--region', 'cn-north-4', '--instance', 'prod-audit'],
  };
  for (const [name, args] of Object.entries(commands)) {
    it(`${name}`, async () => {
      e = await startEmulatorEnv();
      const run = await runCli([...args, '--concurrency', '8'], { env: { ...e.env, HUAWEICLOUD_SDK_SK: WRONG_SK }, cwd: name === 'export' ? e.dir : REPO });
      expect(run.code).not.toBe(0);
      expect(e.emulator.counters().requests).toBe(1);
      expect(e.emulator.counters().authFailures).toBe(1);
      const output = run.stdout + run.stderr;
      expect(output).toContain('HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK');
      expect(output).toContain('DBSS locks an access key after 5 failed authentications in a row');
      for (const secret of [WRONG_SK, TEST_SK, TEST_AK]) expect(output).not.toContain(secret);
    });
  }
});
