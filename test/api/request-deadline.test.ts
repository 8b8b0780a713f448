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

describe('a wait for the rate budget counts toward the request deadline', () => {
  it('a request whose turn in the budget comes after its deadline fails at once, unsent, saying why', async () => {
    server = await startTestServer(() => reply.json(200, { total: 0, rules: [] }));
    const clock = virtualClock();
    // one request per 200 s: the second one's turn is 200 s away, past the 150 s deadline
    const { client } = testClient(server.url, { clock, timeoutMs: TIMEOUT, maxAttempts: ATTEMPTS, rateLimit: { requests: 1, perMs: 200_000 } });
    await client.listRules(PROJECT, INSTANCE);
    const err = await client.listRules(PROJECT, INSTANCE).then(() => undefined, (e: unknown) => e as DbssApiError);
    await client.close();
    expect(err?.kind).toBe('not-sent');
    expect(err?.message).toMatch(/: DEADLINE waiting 200 s for the request rate budget \(0\.01\/s\) would pass this request's deadline \(150 s left of --timeout × --max-attempts\); not sent$/);
    expect(server.requests.length).toBe(1);
    expect(clock.elapsed()).toBe(0);
  });

  it('a wait that fits is waited', async () => {
    server = await startTestServer(() => reply.json(200, { total: 0, rules: [] }));
    const clock = virtualClock();
    const { client } = testClient(server.url, { clock, timeoutMs: TIMEOUT, maxAttempts: ATTEMPTS, rateLimit: { requests: 1, perMs: 100_000 } });
    await client.listRules(PROJECT, INSTANCE);
    await client.listRules(PROJECT, INSTANCE);
    await client.close();
    expect(server.requests.length).toBe(2);
    expect(clock.elapsed()).toBe(100_000);
  });
});

describe('a run cutoff (--max-duration while reading) bounds every request and wait', () => {
  const cutoffIn = (clock: Clock, ms: number) => {
    const at = clock.now() + ms;
    return () => ({ at, reason: '--max-duration 5s' });
  };

  it('no wait for the budget that would end after the cutoff is begun, and nothing is sent after it', async () => {
    server = await startTestServer(() => reply.json(200, { total: 0, rules: [] }));
    const clock = virtualClock();
    const { client } = testClient(server.url, { clock, rateLimit: { requests: 1, perMs: 10_000 }, cutoff: cutoffIn(clock, 5000) });
    await client.listRules(PROJECT, INSTANCE);
    const waited = await client.listRules(PROJECT, INSTANCE).then(() => undefined, (e: unknown) => e as DbssApiError);
    expect(waited?.message).toMatch(/waiting 10 s for the request rate budget \(0\.1\/s\) would pass --max-duration 5s; not sent$/);
    await clock.sleep(5000);
    const late = await client.listInstances(PROJECT).then(() => undefined, (e: unknown) => e as DbssApiError);
    expect(late?.message).toMatch(/: CUTOFF not sent: --max-duration 5s reached$/);
    await client.close();
    expect(server.requests.length).toBe(1);
  });

  it('a retry whose backoff would end after the cutoff is not made', async () => {
    const clock = virtualClock();
    // the answer arrives as the cutoff passes: any backoff, even 0 ms, would end after it
    server = await startTestServer(async () => {
      await clock.sleep(1);
      return reply.error(503, 'APIG.0201', 'Backend unavailable');
    });
    const { client } = testClient(server.url, { clock, backoff: { baseMs: 10_000, maxMs: 10_000 }, cutoff: cutoffIn(clock, 1) });
    const err = await client.listRules(PROJECT, INSTANCE).then(() => undefined, (e: unknown) => e as DbssApiError);
    await client.close();
    expect(server.requests.length).toBe(1);
    expect(err?.message).toMatch(/503 APIG\.0201 Backend unavailable; a retry in [\d.]+ s would start past --max-duration 5s; not retried$/);
  });
});
