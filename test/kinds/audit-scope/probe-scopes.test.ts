import { describe, expect, it } from 'vitest';
import { EMULATED_AUDIT_SCOPES } from '../../../src/kinds/audit-scope/emulator.js';
import { AUDIT_SCOPE_KIND as kind } from '../../../src/kinds/audit-scope/index.js';
import { PROBE_SCOPE_NAME, probeScopes } from '../../../src/kinds/audit-scope/probe-scopes.js';
import { harness, TARGET } from './harness.js';

/** probe --write of audit scopes: the write-only readings, learned on a temporary scope that is gone afterwards. */

const WRITE_OPTIONS = ['scopeAllDatabasesWrite', 'scopeCreatedStatus', 'scopeEditEnabled'] as const;

const cases = [
  { scopeAllDatabasesWrite: 'any', scopeCreatedStatus: 'ON', scopeEditEnabled: 'allowed' },
  { scopeAllDatabasesWrite: 'listed', scopeCreatedStatus: 'OFF', scopeEditEnabled: 'refused', scopeAllDatabases: 'plain' },
  { scopeAllDatabasesWrite: 'any', scopeCreatedStatus: 'OFF', scopeEditEnabled: 'allowed', scopeAllDatabases: 'english' },
  { scopeAllDatabasesWrite: 'listed', scopeCreatedStatus: 'ON', scopeEditEnabled: 'refused' },
  EMULATED_AUDIT_SCOPES.profiles.hostile!,
];

describe('probing audit scopes by writing', () => {
  it.each(cases)('%j: learned, and nothing left behind', async (options) => {
    const h = harness(EMULATED_AUDIT_SCOPES, options);
    const before = structuredClone(h.state());
    const probe = await probeScopes(h.api, TARGET);
    const expected = Object.fromEntries(WRITE_OPTIONS.map((o) => [o, (options as Record<string, string>)[o] ?? EMULATED_AUDIT_SCOPES.options[o]![0]]));
    // "listed" can only be told apart where the listed spelling differs from the SDK's
    if (expected.scopeAllDatabasesWrite === 'listed' && (options as Record<string, string>).scopeAllDatabases === undefined) expected.scopeAllDatabasesWrite = 'any';
    expect(probe.learned).toEqual(expected);
    expect(probe.leftovers).toEqual([]);
    expect(h.state()).toEqual(before);
  });

  it('deletes a temporary scope an interrupted probe left, first', async () => {
    const h = harness(EMULATED_AUDIT_SCOPES);
    await kind.write(h.api, TARGET, { op: 'create', subject: PROBE_SCOPE_NAME, payload: { databases: 'ALL', actions: [], db_users: [], source_ips: [], source_ports: [], exception_ips: [], status: 'ON' } });
    const probe = await probeScopes(h.api, TARGET);
    expect(probe.leftovers).toEqual([]);
    expect((await kind.read(h.api, TARGET)).objects.filter((o) => !o.builtIn)).toEqual([]);
  });
});
