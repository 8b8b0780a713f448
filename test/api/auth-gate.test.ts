import { afterEach, describe, expect, it } from 'vitest';
import { AkSkCredentials, TokenCredentials, credentialsFromEnv } from '../../src/api/credentials.js';
import { DbssApiError } from '../../src/api/errors.js';
import { AK, INSTANCE, PROJECT, SK, testClient } from './helpers/client.js';
import { reply, startTestServer, type TestServer } from './helpers/test-server.js';

/**
 * DBSS locks an access key after 5 failed authentications in a row: a wrong key must cost one
 * failed request per run, not one per request in flight. Real sockets, a local server.
 */
const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const refused = () => reply.error(401, 'APIG.0301', 'Incorrect IAM authentication information: verify aksk signature fail');
const rules = () => reply.json(200, { total: 0, rules: [] });
const failure = (p: Promise<unknown>): Promise<DbssApiError> => p.then(() => Promise.reject(new Error('expected a failure')), (e: unknown) => e as DbssApiError);
/** Lets every pending callback and socket event run a few rounds (a second request would arrive meanwhile). */
const settle = async (): Promise<void> => {
  for (let i = 0; i < 20; i++) await new Promise((r) => setTimeout(r, 5));
};

describe('authentication failures stop at the first one', () => {
  it('ten concurrent calls with a wrong key send one request; the rest are refused unsent, naming the variables', async () => {
    const a = await startTestServer(refused);
    const b = await startTestServer(refused);
    servers.push(a, b);
    const credentials = credentialsFromEnv({ HUAWEICLOUD_SDK_AK: AK, HUAWEICLOUD_SDK_SK: SK });
    const { client } = testClient(a.url, { credentials, concurrency: 8 });
    // another endpoint (another region's client) with the same credentials
    const { client: other } = testClient(b.url, { credentials });
    const errors = await Promise.all([
      ...Array.from({ length: 10 }, () => failure(client.listRules(PROJECT, INSTANCE))),
      failure(other.listInstances(PROJECT)),
    ]);
    await Promise.all([client.close(), other.close()]);
    expect(a.requests.length + b.requests.length).toBe(1);
    const sent = errors.filter((e) => e.status === 401);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.message).toContain('401 APIG.0301');
    expect(sent[0]!.message).toContain('the access key (HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK) was refused');
    expect(sent[0]!.message).toContain('DBSS locks an access key after 5 failed authentications in a row');
    expect(sent[0]!.attempts).toBeUndefined(); // never retried
    const unsent = errors.filter((e) => e.status !== 401);
    expect(unsent).toHaveLength(10);
    for (const e of unsent) {
      expect(e.kind).toBe('not-sent');
      expect(e.message).toMatch(/: AUTH_FAILED_EARLIER not sent: an earlier request with the same credentials \(HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK\) failed authentication \(GET \/.*: 401\)$/);
    }
    for (const e of errors) {
      expect(e.message).not.toContain(SK);
      expect(e.message).not.toContain(AK);
    }
  });

  it('the first request goes alone; once it is answered, the rest fan out', async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let first = true;
    const s = await startTestServer(async () => {
      if (first) {
        first = false;
        await held;
      }
      return rules();
    });
    servers.push(s);
    const { client } = testClient(s.url, { concurrency: 8 });
    const calls = Promise.all(Array.from({ length: 6 }, () => client.listRules(PROJECT, INSTANCE)));
    while (s.requests.length === 0) await settle();
    await settle();
    expect(s.requests.length).toBe(1);
    release();
    await calls;
    await client.close();
    expect(s.requests.length).toBe(6);
  });

  it('a first request without an answer (reset) lets the next one go alone, not all of them', async () => {
    let n = 0;
    const s = await startTestServer(() => (++n === 1 ? reply.reset() : refused()));
    servers.push(s);
    const { client } = testClient(s.url, { maxAttempts: 3 });
    const errors = await Promise.all(Array.from({ length: 5 }, () => failure(client.listRules(PROJECT, INSTANCE))));
    await client.close();
    expect(s.requests.length).toBe(2); // the reset, then one 401
    expect(errors.filter((e) => e.status === 401)).toHaveLength(1);
  });

  it('names the token variable for an IAM token, and the key never appears', async () => {
    const s = await startTestServer(refused);
    servers.push(s);
    const token = 'MIItoken-value-that-must-not-be-printed-0123456789';
    const { client } = testClient(s.url, { credentials: credentialsFromEnv({ HUAWEICLOUD_AUTH_TOKEN: token }) });
    const err = await failure(client.listInstances(PROJECT));
    await client.close();
    expect(err.message).toContain('the IAM token (HUAWEICLOUD_AUTH_TOKEN) was refused: it may have expired');
    expect(err.message).not.toContain(token);
  });

  it('another credentials object is not refused because of the first one', async () => {
    const bad = await startTestServer(refused);
    const good = await startTestServer(rules);
    servers.push(bad, good);
    const { client: wrong } = testClient(bad.url, { credentials: new AkSkCredentials({ accessKey: AK, secretKey: 'wrong-secret-key-000000000000' }) });
    const { client: right } = testClient(good.url, { credentials: new TokenCredentials('some-valid-token-0123456789') });
    await failure(wrong.listRules(PROJECT, INSTANCE));
    await expect(right.listRules(PROJECT, INSTANCE)).resolves.toEqual([]);
    await Promise.all([wrong.close(), right.close()]);
  });
});
