import { afterEach, describe, expect, it } from 'vitest';
import { AkSkCredentials, createDbssClient } from '../../src/api/index.js';
import type { DbssClient } from '../../src/api/types.js';
import { DEFAULT_PROFILE, DEMO_INSTANCES, DEMO_PROJECTS, demoState, startEmulator, type ApiProfile, type Emulator } from '../../src/emulator/index.js';
import { ruleSpec } from './helpers/client.js';

/**
 * What "" means in action, client_ips, db_ids and exception_ips is unconfirmed: a region may
 * clear the field, keep it, or refuse "" with a 400. The client leaves empty optional fields
 * out (as the SDK does), so a create and an update with empty lists work under each reading.
 */

const AK = 'EMPTYFIELDSACCESSKEY';
const SK = 'empty-fields-secret-key';
const P = DEMO_PROJECTS.payments;
const I = DEMO_INSTANCES.prodAudit;

let emulator: Emulator | undefined;
let client: DbssClient | undefined;
afterEach(async () => {
  await client?.close();
  await emulator?.close();
  client = undefined;
  emulator = undefined;
});

async function against(emptyWrite: ApiProfile['emptyWrite']): Promise<DbssClient> {
  emulator = await startEmulator({ state: demoState(), profile: { ...DEFAULT_PROFILE, emptyWrite }, auth: { credentials: [{ ak: AK, sk: SK }], tokens: [] } });
  client = createDbssClient({ region: 'cn-north-4', endpoint: emulator.url, credentials: new AkSkCredentials({ accessKey: AK, secretKey: SK }), rateLimit: { requests: 1000, perMs: 1000 } });
  return client;
}

const bare = ruleSpec('no-lists', { actions: [], clientIps: [], dbIds: [], exceptionIps: [], schemas: [] });

describe('empty optional fields on the write side', () => {
  it.each(['unset', 'kept', 'rejected'] as const)('a create and an update with empty lists are accepted where "" is %s', async (emptyWrite) => {
    const c = await against(emptyWrite);
    await c.createRule(P, I, bare);
    const id = (await c.listRules(P, I)).find((r) => r.name === 'no-lists')!.id;
    expect(await c.showRule(P, I, id)).toMatchObject({ actions: [], clientIps: [], dbIds: [] });
    await c.updateRule(P, I, id, { ...bare, riskLevel: 'LOW' });
    expect(await c.showRule(P, I, id)).toMatchObject({ riskLevel: 'LOW', actions: [], clientIps: [] });
  });

  it('an update clears a list where leaving it out clears it', async () => {
    const c = await against('unset');
    await c.createRule(P, I, ruleSpec('clear-me', { clientIps: ['10.0.0.0/8'] }));
    const id = (await c.listRules(P, I)).find((r) => r.name === 'clear-me')!.id;
    await c.updateRule(P, I, id, ruleSpec('clear-me', { clientIps: [] }));
    expect((await c.showRule(P, I, id)).clientIps).toEqual([]);
  });
});
