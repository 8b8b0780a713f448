import { describe, expect, it } from 'vitest';
import { EMULATED_AUDIT_SCOPES } from '../../../src/kinds/audit-scope/emulator.js';
import { AUDIT_SCOPE_KIND as kind } from '../../../src/kinds/audit-scope/index.js';
import { harness, TARGET } from './harness.js';

/** What a read of the scope list settles (for probe) and says (plan notes), under each reading. */

describe('reading the scope list', () => {
  it.each([
    ['default', {}, { scopeAllDatabases: 'brackets', scopeBuiltInName: 'chinese', scopeStatusWords: 'switch', scopeListFields: 'full' }, ['built-in full-audit scope listed as "全审计规则"']],
    [
      'hostile',
      EMULATED_AUDIT_SCOPES.profiles.hostile!,
      { scopeAllDatabases: 'plain', scopeBuiltInName: 'english', scopeStatusWords: 'enabled', scopeListFields: 'sparse' },
      [
        'audit scope status spelled Enabled/Disabled: read as ON/OFF ("Full audit rule")',
        'built-in full-audit scope listed as "Full audit rule"',
        'all databases listed as db_ids "ALL", db_names "全部数据库"',
      ],
    ],
    ['english spelling', { scopeAllDatabases: 'english' }, { scopeAllDatabases: 'english' }, ['built-in full-audit scope listed as "全审计规则"', 'all databases listed as db_ids "[ALL]", db_names "[All databases]"']],
    ['no built-in scope', { scopeBuiltInName: 'absent' }, { scopeBuiltInName: 'absent', scopeListFields: 'full' }, ['no built-in full-audit scope is listed (no scope has all_audit true)']],
  ])('%s: settles the readings it can, and says what it saw', async (_, options, learned, observations) => {
    const h = harness(EMULATED_AUDIT_SCOPES, options);
    const live = await kind.read(h.api, TARGET);
    expect(live.learned).toMatchObject(learned);
    expect(live.observations).toEqual(observations);
  });

  it('a reading it cannot settle is left out: no status word when nothing is listed, no spelling without an all-databases scope', async () => {
    const live = await kind.read(harness(EMULATED_AUDIT_SCOPES, { scopeBuiltInName: 'absent' }).api, TARGET);
    expect(live.learned).toEqual({ scopeBuiltInName: 'absent', scopeListFields: 'full' });
    expect(live.settings).toEqual({});
  });

  it('every learned option is one of the emulator option values', async () => {
    const live = await kind.read(harness(EMULATED_AUDIT_SCOPES, EMULATED_AUDIT_SCOPES.profiles.hostile).api, TARGET);
    for (const [option, value] of Object.entries(live.learned ?? {})) expect(EMULATED_AUDIT_SCOPES.options[option]).toContain(value);
  });
});
