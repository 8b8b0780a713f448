import { profileByName, sameProfile } from '../../src/emulator/profiles.js';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator/index.js';
import { loadProfileFile, PROFILES } from '../../src/emulator/index.js';
import { CLI_MAIN, runCli } from '../helpers/run-cli.js';
import { AK, PROJECT, probeEmulator, probeRulesLeft, REGION, SK } from './probe-helpers.js';

let dir = '';
beforeAll(async () => {
  if (!existsSync(CLI_MAIN)) throw new Error(`${CLI_MAIN} is missing: build first (npx tsc -p tsconfig.json)`);
  dir = await mkdtemp(join(tmpdir(), 'dbss-probe-e2e-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('dbss-policy probe (built CLI)', () => {
  it('names the profile of its embedded emulator, and the emulator command loads what it wrote', async () => {
    const r = await runCli(['probe', '--emulator', '--emulator-profile', 'gapped', '--project', PROJECT, '--region', REGION, '--instance', 'prod-audit', '--write', '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.emulatorProfile.name).toBe('gapped');
    const file = join(dir, 'region-profile.json');
    await writeFile(file, r.stdout);
    expect(sameProfile(await loadProfileFile(file), profileByName('gapped'))).toBe(true);

    const child = spawn(process.execPath, [CLI_MAIN, 'emulator', '--port', '0', '--seed-demo', '--ephemeral', '--no-auth', '--profile-file', file], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((res) => child.on('exit', (code) => res(code)));
    const line = await new Promise<string>((res) => createInterface({ input: child.stdout }).once('line', res));
    const url = line.replace(/^listening on /, '');
    const list = await fetch(`${url}/v1/${PROJECT}/audit/5f2b7c0e9a1d4e3f8b6c2d1a0e9f8b7c/rule/risk`).then((res) => res.json() as Promise<{ rules: { rank: number }[] }>);
    expect(list.rules.map((x) => x.rank)).toEqual([10, 20, 30, 40, 50, 60, 70, 80]);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(stderr).toContain('API profile: from');
    expect(stderr).toContain('(same as "gapped")');
  });

  it('probe --write interrupted by SIGINT after its first create deletes its rules and exits 130', async () => {
    let emulator: Emulator | undefined;
    let release: (() => void) | undefined;
    let onFirstCreate: (() => void) | undefined;
    emulator = await probeEmulator({
      onRequest: (entry) => {
        if (entry.operation === 'CreateAuditRiskRule' && release === undefined && emulator) {
          // Hold every later request, so the interrupt lands before the probe's next step.
          release = emulator.pause();
          onFirstCreate?.();
        }
      },
    });
    try {
      const child = spawn(process.execPath, [CLI_MAIN, 'probe', '--project', PROJECT, '--region', REGION, '--instance', 'prod-audit', '--write', '--rate-limit', '500/s'], {
        env: { ...process.env, DBSS_ENDPOINT: emulator.url, HUAWEICLOUD_SDK_AK: AK, HUAWEICLOUD_SDK_SK: SK, NO_COLOR: '1' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
      const exited = new Promise<number | null>((res) => child.on('exit', (code) => res(code)));
      onFirstCreate = () => child.kill('SIGINT');
      // Once the probe says it was interrupted, let its held request through.
      child.stderr.setEncoding('utf8').on('data', (d: string) => {
        stderr += d;
        if (stderr.includes('interrupted')) release?.();
      });
      expect(await exited).toBe(130);
      expect(stderr).toContain('SIGINT: interrupted: finishing the call in flight, then deleting the temporary rules');
      expect(stdout).toContain('Interrupted: stopped early');
      expect(stdout).toMatch(/Temporary rules \(created or attempted\): dbss-policy-probe-[0-9a-f]{8}-a; 1 deleted\./);
      expect(stdout).toContain('Nothing left behind.');
      expect(probeRulesLeft(emulator)).toEqual([]);
      expect(emulator.counters().byOperation['CreateAuditRiskRule']).toBe(1);
      expect(emulator.counters().byOperation['SetRiskRuleRank']).toBeUndefined();
    } finally {
      release?.();
      await emulator.close();
    }
  });
});
