import { afterEach, describe, expect, it } from 'vitest';
import { AkSkCredentials, createDbssClient } from '../../src/api/index.js';
import type { Emulator } from '../../src/emulator/index.js';
import { createRawApi } from '../../src/probe/raw-api.js';
import { runProbe } from '../../src/probe/run-probe.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { AK, PROJECT, probeEmulator, probeRulesLeft, REGION, SK } from './probe-helpers.js';

/**
 * probe --write under a list that shows new rules 3 s late (issue 18 items 3 and 6): the probe
 * finds its rules once they are listed, never ranks one before it reads OFF, and says "nothing
 * left behind" only when a listing that shows every rule it created shows them gone. The
 * emulator and the probe share a fake clock: the settle window's waits take no real time.
 */
let emu: Emulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

describe('probe --write under list lag', () => {
  for (const profile of ['default', 'custom-ranks'] as const) {
    it(`${profile}: every write check runs, the profile is named, and nothing is left behind`, async () => {
      const clock = new FakeClock();
      clock.t = Date.now();
      emu = await probeEmulator({ profile, now: () => clock.now(), listLagMs: 3000 });
      const options = { region: REGION, endpoint: emu.url, credentials: new AkSkCredentials({ accessKey: AK, secretKey: SK }), rateLimit: { requests: 500, perMs: 1000 } };
      const client = createDbssClient({ ...options, clock });
      const raw = createRawApi(options);
      try {
        const report = await runProbe(client, raw, { region: REGION, projectId: PROJECT, instance: 'prod-audit', write: true, settle: { windowMs: 5000, clock } });
        expect(report.errors).toEqual([]);
        expect(report.emulatorProfile.name).toBe(profile);
        expect(report.cleanup?.leftovers).toEqual([]);
        expect(probeRulesLeft(emu)).toEqual([]);
      } finally {
        await client.close();
        await raw.close();
      }
    });
  }
});
