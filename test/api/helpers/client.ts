import { createDbssClient } from '../../../src/api/client.js';
import type { ClientEvent, ClientOptions } from '../../../src/api/client-options.js';
import { AkSkCredentials } from '../../../src/api/credentials.js';
import type { DbssClient } from '../../../src/api/types.js';
import type { RiskRuleSpec } from '../../../src/domain.js';

/** Test credentials, long enough to look real. */
export const AK = 'HPUATESTACCESSKEY0042';
export const SK = 'testSecretKeyValue0123456789abcdefghijklm';
export const PROJECT = '0a1b2c3d4e5f60718293a4b5c6d7e8f9';
export const INSTANCE = 'f9e8d7c6b5a4938271605f4e3d2c1b0a';

/** A client against a local test server, with fast settings; its events are collected. */
export function testClient(url: string | undefined, overrides: Partial<ClientOptions> = {}): { client: DbssClient; events: ClientEvent[] } {
  const events: ClientEvent[] = [];
  const client = createDbssClient({
    region: 'cn-north-4',
    endpoint: url,
    credentials: new AkSkCredentials({ accessKey: AK, secretKey: SK }),
    rateLimit: { requests: 1000, perMs: 1000 },
    backoff: { baseMs: 1, maxMs: 20 },
    // A hang guard far above any loopback answer on a busy machine; tests of timeouts set their own.
    timeoutMs: 30_000,
    // One listing decides a lost create's fate, as before list lag was modelled; the settle
    // window has its own tests on a fake clock (client-create-lag.test.ts).
    settleMs: 0,
    onEvent: (e) => events.push(e),
    ...overrides,
  });
  return { client, events };
}

/** A complete custom rule spec. */
export function ruleSpec(name: string, overrides: Partial<RiskRuleSpec> = {}): RiskRuleSpec {
  return {
    name,
    riskLevel: 'HIGH',
    status: 'ON',
    actions: ['DROP_TABLE'],
    affectRows: { symbol: 'GREATER', value: 100 },
    executionTime: { symbol: 'GREATER_EQUAL', value: 0 },
    dbIds: [],
    clientIps: ['10.0.0.0/8'],
    exceptionIps: [],
    schemas: [{ schema: 'sales' }],
    ignoreCase: true,
    ...overrides,
  };
}
