import { describe, expect, it } from 'vitest';
import { credentialMap } from '../../src/api/credential-map.js';
import type { ClientStats, DbssClient } from '../../src/api/types.js';
import { ConfigError } from '../../src/errors.js';
import { createClientPool } from '../../src/live/client-pool.js';

/** A hand-written client: only its counters and close matter to the pool. */
function fakeClient(stats: ClientStats): DbssClient & { closed: boolean } {
  const client = { closed: false, stats: () => stats, close: async () => void (client.closed = true) };
  return client as unknown as DbssClient & { closed: boolean };
}

const A = 'a'.repeat(32);
const B = 'b'.repeat(32);
const C = 'c'.repeat(32);
const RULES = [
  { name: 'team-a', projects: [A], accessKeyEnv: 'A_AK', secretKeyEnv: 'A_SK', at: 'dbss-policy.yaml:2' },
  { name: 'team-b', projects: [B], accessKeyEnv: 'B_AK', secretKeyEnv: 'B_SK', at: 'dbss-policy.yaml:6' },
];

describe('the client pool', () => {
  it('keys clients by credential and endpoint: one per pair, whatever the project or region', async () => {
    const signers = credentialMap(RULES, {});
    const endpointOf = (region: string) => (region === 'eu-west-101' ? 'https://eu' : 'https://shared'); // one override serves two regions
    const created: string[] = [];
    const pool = createClientPool(
      (region, projectId) => {
        created.push(`${signers.nameOf(region, projectId)} ${endpointOf(region)}`);
        return fakeClient({ requests: created.length, retries: 1, throttled: created.length === 1 ? 2 : 0, byOperation: { listRules: 1 } });
      },
      { keyOf: (region, projectId) => `${signers.nameOf(region, projectId)}\n${endpointOf(region)}` },
    );
    const a1 = pool.client('cn-north-4', A);
    expect(pool.client('cn-east-3', A)).toBe(a1); // same credential, same endpoint
    expect(pool.client('cn-north-4', B)).not.toBe(a1); // another credential: its own client and budget
    expect(pool.client('eu-west-101', A)).not.toBe(a1); // another endpoint
    expect(pool.client('cn-north-4', C)).toBe(pool.client('cn-east-3', C)); // default credentials
    expect(created).toEqual(['team-a https://shared', 'team-b https://shared', 'team-a https://eu', 'default https://shared']);
    // counters summed over every client
    expect(pool.stats()).toEqual({ requests: 1 + 2 + 3 + 4, retries: 4, throttled: 2, byOperation: { listRules: 4 } });
    await pool.close();
  });

  it('without a key function, one client per region (as before credentials maps)', () => {
    const pool = createClientPool(() => fakeClient({ requests: 0, retries: 0, throttled: 0, byOperation: {} }));
    expect(pool.client('cn-north-4', A)).toBe(pool.client('cn-north-4', B));
    expect(pool.client('cn-east-3', A)).not.toBe(pool.client('cn-north-4', A));
    expect(pool.checkCredentials).toBeUndefined();
  });

  it('checkCredentials names every missing variable at once, before any client exists', () => {
    const signers = credentialMap(RULES, { A_AK: 'TEAMAACCESSKEY000001' });
    let built = 0;
    const pool = createClientPool(
      () => {
        built++;
        return fakeClient({ requests: 0, retries: 0, throttled: 0, byOperation: {} });
      },
      { checkCredentials: (region, projectId) => void signers.credentials(signers.nameOf(region, projectId)) },
    );
    const projects = [A, B, A].map((projectId) => ({ region: 'cn-north-4', projectId }));
    expect(() => pool.checkCredentials!(projects)).toThrow(ConfigError);
    let message = '';
    try {
      pool.checkCredentials!(projects);
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toBe(
      'the credentials of this run cannot be read; nothing was sent:\n' +
        '  credential "team-a" (dbss-policy.yaml:2): the environment variable A_SK (its secret key) is not set; nothing was sent\n' +
        '  credential "team-b" (dbss-policy.yaml:6): the environment variable B_AK (its access key) is not set; nothing was sent',
    );
    expect(message).not.toContain('TEAMAACCESSKEY000001');
    expect(built).toBe(0);
  });
});
