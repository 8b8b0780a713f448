import { afterEach, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/run.js';
import type { Emulator } from '../../src/emulator/index.js';
import { demoState, startEmulator } from '../../src/emulator/index.js';
import { PROJECT, REGION } from './probe-helpers.js';

const AK = 'PROBESECRETAKNOTSHOWN';
const SK = 'ProbeSecretSk-never-printed-0123456789';
const STS = `ProbeStsToken-${'z'.repeat(40)}`;

let emu: Emulator | undefined;
afterEach(async () => {
  await emu?.close();
});

async function probeWith(env: Record<string, string>, args: string[]): Promise<{ code: number; text: string }> {
  let text = '';
  const io = { stdout: { write: (s: string) => (text += s) }, stderr: { write: (s: string) => (text += s) }, env: { DBSS_ENDPOINT: emu!.url, ...env }, cwd: process.cwd() };
  const code = await run(['probe', '--project', PROJECT, '--region', REGION, '--instance', 'prod-audit', '--rate-limit', '500/s', ...args], io);
  return { code, text };
}

describe('probe and secrets', () => {
  it('never prints the access key, secret key or security token, on success or on a refused signature', async () => {
    emu = await startEmulator({ state: demoState(), profile: 'hostile', auth: { credentials: [{ ak: AK, sk: SK, securityToken: STS }], tokens: [] } });
    const good = { HUAWEICLOUD_SDK_AK: AK, HUAWEICLOUD_SDK_SK: SK, HUAWEICLOUD_SDK_SECURITY_TOKEN: STS };
    const runs = [
      await probeWith(good, ['--write']),
      await probeWith(good, ['--write', '--format', 'json']),
      await probeWith({ ...good, HUAWEICLOUD_SDK_SK: `${SK}x` }, []),
    ];
    expect(runs.map((r) => r.code)).toEqual([0, 0, 1]);
    expect(runs[2]!.text).toContain('APIG.0301');
    for (const r of runs) for (const secret of [AK, SK, STS]) expect(r.text).not.toContain(secret);
  });
});
