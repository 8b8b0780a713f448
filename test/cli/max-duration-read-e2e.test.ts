import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator/index.js';
import { runCli } from '../helpers/run-cli.js';
import { startEmulatorEnv } from './emulator-env.js';
import type { EmulatorEnv } from './emulator-env.js';

const REPO = join(import.meta.dirname, '../..');
const POLICIES = join(REPO, 'policies');

let e: EmulatorEnv | undefined;
afterEach(async () => {
  await e?.close();
  e = undefined;
});

describe('--max-duration bounds the live read too', () => {
  it('a read still going when the duration is up sends nothing more and says why', async () => {
    let emulator: Emulator | undefined;
    let firstAnswered: number | undefined;
    let release: (() => void) | undefined;
    // After the first answer every request is held; they are released only once the duration has
    // surely passed (the run started before its first request, so its deadline is at most 2 s after it).
    // The release waits a second longer than that, so a request sent just before the deadline has
    // been received (and logged) before the release on a busy machine too: a lower bound, not a limit.
    e = await startEmulatorEnv({
      onRequest: () => {
        if (firstAnswered === undefined && emulator) {
          firstAnswered = Date.now();
          release = emulator.pause();
        }
      },
    });
    emulator = e.emulator;
    const run = runCli(['plan', '--max-duration', '2s', '--policies', POLICIES], { env: e.env, cwd: REPO });
    while (firstAnswered === undefined) await delay(20);
    while (Date.now() <= firstAnswered + 3000) await delay(50);
    const releasedAt = Date.now();
    release!();
    const result = await run;
    expect(result.code).not.toBe(0);
    expect(result.stdout + result.stderr).toContain('not sent: --max-duration 2s reached');
    // what was in flight was answered; nothing arrived after the deadline
    const late = e.emulator.log.filter((entry) => Date.parse(entry.time) > releasedAt);
    expect(late).toEqual([]);
  });
});
