import { describe, expect, it } from 'vitest';
import { parseRateLimit } from '../../src/emulator/index.js';
import { call } from './helpers/call.js';
import { emulator, manualClock, P1, PROD, paths } from './helpers/fixtures.js';

const A = { ak: 'THROTTLETESTAK000001', sk: 'secret-a' };
const B = { ak: 'THROTTLETESTAK000002', sk: 'secret-b' };

describe('throttling', () => {
  it('answers 429 APIG.0308 once a credential spends its budget, then recovers after the window', async () => {
    const clock = manualClock();
    const emu = await emulator({ now: clock.now, rateLimit: { limit: 3, per: 'minute' }, auth: { credentials: [A, B], tokens: [] } });
    const get = (key = A) => call(emu.url, 'GET', paths.rulesNew(P1, PROD), { auth: { key, signedAt: clock.now() } });
    for (let i = 0; i < 3; i++) expect((await get()).status).toBe(200);
    const throttled = await get();
    expect(throttled.status).toBe(429);
    expect(throttled.json).toEqual({
      error_code: 'APIG.0308',
      error_msg: 'The throttling threshold has been reached: policy user over ratelimit,limit:3,time:1 minute',
      request_id: throttled.headers['x-request-id'],
    });
    expect((await get(B)).status).toBe(200); // per credential
    clock.advance(20_000); // one token back (3 per minute)
    expect((await get()).status).toBe(200);
    expect((await get()).status).toBe(429);
    clock.advance(60_000); // a full window refills the whole budget
    for (let i = 0; i < 3; i++) expect((await get()).status).toBe(200);
    expect(emu.counters().throttled).toBe(2);
  });

  it('says time:1 second for a per-second budget, and can be changed or lifted at runtime', async () => {
    const clock = manualClock();
    const emu = await emulator({ now: clock.now, rateLimit: { limit: 1, per: 'second' } });
    const get = () => call(emu.url, 'GET', paths.rulesNew(P1, PROD));
    expect((await get()).status).toBe(200);
    const res = await get();
    expect(res.json.error_msg).toBe('The throttling threshold has been reached: policy user over ratelimit,limit:1,time:1 second');
    emu.configure({ rateLimit: null });
    for (let i = 0; i < 5; i++) expect((await get()).status).toBe(200);
    emu.configure({ rateLimit: { limit: 2, per: 'minute' } });
    expect((await get()).status).toBe(200);
    expect((await get()).status).toBe(200);
    expect((await get()).status).toBe(429);
  });

  it('parses budgets like the CLI flag', () => {
    expect(parseRateLimit('600/min')).toEqual({ limit: 600, per: 'minute' });
    expect(parseRateLimit('10/s')).toEqual({ limit: 10, per: 'second' });
    expect(parseRateLimit('5 / second')).toEqual({ limit: 5, per: 'second' });
    expect(parseRateLimit('42')).toEqual({ limit: 42, per: 'minute' });
    expect(parseRateLimit('0/min')).toBeUndefined();
    expect(parseRateLimit('ten/min')).toBeUndefined();
    expect(parseRateLimit('10/hour')).toBeUndefined();
  });
});
