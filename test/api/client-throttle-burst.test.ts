import { afterEach, describe, expect, it } from 'vitest';
import type { ClientEvent } from '../../src/api/client-options.js';
import { PROJECT, testClient } from './helpers/client.js';
import { reply, startTestServer, type TestServer } from './helpers/test-server.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** The limit the 429s state: 600 a minute, one request every 100 ms. */
const STATED = { requests: 600, perMs: 60_000 };
const STATED_SPACING_MS = STATED.perMs / STATED.requests;
const THROTTLED = reply.json(429, { error_code: 'APIG.0308', error_msg: 'The throttling threshold has been reached: policy user over ratelimit,limit:600,time:1 minute' });
const TASK = reply.json(200, { task_switch: 'on', task_status: '0' });
const BURST = 16;
const NEXT = 10;


describe('a burst of 429s stating a limit', () => {
  it('slows the client once, to about the stated limit, not to a crawl', async () => {
    // The whole burst is answered 429 together, once every request of it has arrived: a retry
    // can then never overtake a slow original and meet a 429 of its own (as it could when the
    // first 16 arrivals, whatever they were, got the 429s), however busy the machine.
    let arrived = 0;
    let releasedAt = 0;
    let release = (): void => undefined;
    const allIn = new Promise<void>((resolve) => (release = resolve));
    let warmedUp = false;
    server = await startTestServer(async () => {
      // The credential's first request goes alone (auth-gate.ts); the burst comes after it.
      if (!warmedUp) {
        warmedUp = true;
        return TASK;
      }
      if (arrived >= BURST) return TASK;
      if (++arrived === BURST) {
        releasedAt = Date.now();
        release();
      }
      await allIn;
      return THROTTLED;
    });
    // A budget of 50/s: the stated 10/s is above its floor (a tenth), so it is believed.
    const { client, events } = testClient(server.url, { concurrency: BURST, rateLimit: { requests: 50, perMs: 1000 } });
    try {
      await client.showSummaryTask(PROJECT, 'risk');
      const burst = Promise.all(Array.from({ length: BURST }, () => client.showSummaryTask(PROJECT, 'risk')));
      // every request of the burst is answered 429, then retried at the slowed rate ("not to a
      // crawl" is the 9/s the events state below, not a wall-clock deadline a busy machine can miss)
      await burst;
      expect(server.requests).toHaveLength(1 + 2 * BURST);
      await Promise.all(Array.from({ length: NEXT }, () => client.showSummaryTask(PROJECT, 'audit')));
      expect(server.requests).toHaveLength(1 + 2 * BURST + NEXT);
    } finally {
      await client.close();
    }

    const throttled = events.filter((e): e is Extract<ClientEvent, { type: 'throttled' }> => e.type === 'throttled');
    expect(throttled).toHaveLength(BURST);
    expect(throttled.filter((e) => /slowing to 9\/s/.test(e.message))).toHaveLength(1);
    expect(throttled.filter((e) => /rate already lowered to 9\/s in this episode/.test(e.message))).toHaveLength(BURST - 1);
    for (const e of throttled) expect(e.requestsPerSecond).toBeCloseTo(9);
    // After the burst the client never goes faster than the stated 10/s: none of the retries and
    // later requests could leave before the 429s were answered, so the last one arrives at least
    // that many spacings later (a busy machine can only make it later still).
    const after = server.requests.slice(1 + BURST).map((r) => r.receivedAt);
    expect(after.at(-1)! - releasedAt).toBeGreaterThanOrEqual(after.length * STATED_SPACING_MS);
    expect(client.stats()).toMatchObject({ requests: 1 + 2 * BURST + NEXT, retries: BURST, throttled: BURST });
  });
});
