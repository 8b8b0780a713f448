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

/** Time for `n` requests at the stated limit, doubled, plus a second for a slow machine. */
const allowanceMs = (n: number): number => 2 * n * STATED_SPACING_MS + 1000;

/** Waits until the server has `count` requests or `deadlineMs` passed; returns how many it has. */
async function receivedWithin(s: TestServer, count: number, deadlineMs: number): Promise<number> {
  const deadline = Date.now() + deadlineMs;
  while (s.requests.length < count && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
  return s.requests.length;
}

describe('a burst of 429s stating a limit', () => {
  it('slows the client once, to about the stated limit, not to a crawl', { timeout: 15_000 }, async () => {
    let answered = 0;
    server = await startTestServer(() => (answered++ < BURST ? THROTTLED : TASK));
    const { client, events } = testClient(server.url, { concurrency: BURST });
    try {
      const burst = Promise.all(Array.from({ length: BURST }, () => client.showSummaryTask(PROJECT, 'risk')));
      // every request of the burst is answered 429, then retried at the slowed rate
      expect(await receivedWithin(server, 2 * BURST, allowanceMs(BURST))).toBe(2 * BURST);
      await burst;
      const next = Promise.all(Array.from({ length: NEXT }, () => client.showSummaryTask(PROJECT, 'audit')));
      expect(await receivedWithin(server, 2 * BURST + NEXT, allowanceMs(NEXT))).toBe(2 * BURST + NEXT);
      await next;
    } finally {
      await client.close();
    }

    const throttled = events.filter((e): e is Extract<ClientEvent, { type: 'throttled' }> => e.type === 'throttled');
    expect(throttled).toHaveLength(BURST);
    expect(throttled.filter((e) => /slowing to 9\/s/.test(e.message))).toHaveLength(1);
    expect(throttled.filter((e) => /rate already lowered to 9\/s in this episode/.test(e.message))).toHaveLength(BURST - 1);
    for (const e of throttled) expect(e.requestsPerSecond).toBeCloseTo(9);
    // after the burst the client never goes faster than the stated 10/s
    const after = server.requests.slice(BURST).map((r) => r.receivedAt);
    expect(after.at(-1)! - after[0]!).toBeGreaterThanOrEqual((after.length - 1) * STATED_SPACING_MS);
    expect(client.stats()).toMatchObject({ requests: 2 * BURST + NEXT, retries: BURST, throttled: BURST });
  });
});
