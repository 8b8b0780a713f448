import { afterEach, describe, expect, it } from 'vitest';
import type { Clock } from '../../src/api/clock.js';
import type { DbssApiError } from '../../src/api/errors.js';
import { INSTANCE, PROJECT, testClient } from './helpers/client.js';
import { reply, startTestServer, type TestServer } from './helpers/test-server.js';

/**
 * One deadline per request, retries and Retry-After included: `--timeout × --max-attempts`.
 * The client runs on a virtual clock whose sleeps return at once, so a storm of hour-long
 * Retry-After answers is played through without real waiting.
 */
let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A clock whose time moves only when someone sleeps. */
function virtualClock(start = Date.UTC(2026, 0, 1)): Clock & { slept: number[]; elapsed(): number } {
  let now = start;
  const slept: number[] = [];
  return {
    slept,
    now: () => now,
    sleep: async (ms) => {
      slept.push(ms);
      now += Math.max(0, ms);
    },
    elapsed: () => now - start,
  };
}

const TIMEOUT = 30_000;
const ATTEMPTS = 5;
const throttled = (retryAfter: string) => reply.error(429, 'APIG.0308', 'The throttling threshold has been reached: policy user over ratelimit,limit:10,time:1 minute', { 'retry-after': retryAfter });

async function storm(retryAfter: string) {
  server = await startTestServer(() => throttled(retryAfter));
  const clock = virtualClock();
  const { client } = testClient(server.url, { clock, timeoutMs: TIMEOUT, maxAttempts: ATTEMPTS });
  const err = await client.listRules(PROJECT, INSTANCE).then(() => undefined, (e: unknown) => e as DbssApiError);
  await client.close();
  return { err, clock, requests: server.requests.length };
}

describe('a Retry-After storm ends within --timeout × --max-attempts', () => {
  it('Retry-After: 3600 fails the request at once with a clear message, without waiting', async () => {
    const { err, clock, requests } = await storm('3600');
    expect(err?.message).toMatch(/429 APIG\.0308 .*; the server asked to retry after 3600 s, beyond this request's deadline \(150 s left of --timeout × --max-attempts\); not retried$/);
    expect(requests).toBe(1);
    expect(clock.elapsed()).toBeLessThanOrEqual(TIMEOUT * ATTEMPTS);
    expect(clock.slept.filter((ms) => ms >= 3_600_000)).toEqual([]);
  });

  it('Retry-After: 40 is honoured while it fits; the request still ends by its deadline', async () => {
    const { err, clock, requests } = await storm('40');
    expect(clock.elapsed()).toBeLessThanOrEqual(TIMEOUT * ATTEMPTS);
    expect(requests).toBe(3); // at 0 s, about 40 s and 80 s (plus rate pacing); a fourth would not end by 150 s
    expect(err?.message).toMatch(/the server asked to retry after 40 s, beyond this request's deadline \([\d.]+ s left of --timeout × --max-attempts\); not retried \[after 3 attempts\]$/);
  });

  it('an HTTP-date Retry-After an hour ahead is treated the same', async () => {
    server = await startTestServer(() => throttled(new Date(Date.UTC(2026, 0, 1, 1)).toUTCString()));
    const clock = virtualClock();
    const { client } = testClient(server.url, { clock, timeoutMs: TIMEOUT, maxAttempts: ATTEMPTS });
    const err = await client.showSummaryTask(PROJECT, 'risk').then(() => undefined, (e: unknown) => e as DbssApiError);
    await client.close();
    expect(err?.message).toMatch(/retry after 3600 s, beyond this request's deadline/);
    expect(clock.elapsed()).toBe(0);
  });
});
