import { describe, expect, it } from 'vitest';
import { AUDIT_SCOPE_KIND as kind } from '../../../src/kinds/audit-scope/index.js';

/** What validate reports of audit scopes beyond the schema (at the path given, located by the engine). */

describe('audit scope checks', () => {
  it('a name declared twice in one place is an error at the second one', () => {
    expect(kind.check!({ audit_scopes: [{ name: 'a' }, { name: 'b' }, { name: 'a' }] })).toEqual([
      { path: ['audit_scopes', 2, 'name'], message: 'audit scope "a" is declared twice here (also item 1); a name may appear once' },
    ]);
  });

  it('an undocumented operation token and an address also excepted are warnings', () => {
    expect(kind.check!({ audit_scopes: [{ name: 'a', actions: ['SELECT', 'TRUNCATE'], source_ips: ['10.0.0.1', '10.0.0.2'], exception_ips: ['10.0.0.2'] }] })).toEqual([
      { path: ['audit_scopes', 0, 'actions', 1], message: expect.stringMatching(/^operation "TRUNCATE" is not among the documented ones \(LOGIN, SELECT, .*\); it is sent as written$/), warning: true },
      { path: ['audit_scopes', 0, 'source_ips', 1], message: '10.0.0.2 is also in exception_ips, which take priority: it is never audited', warning: true },
    ]);
  });

  it('nothing to say of a clean place, or of one without audit_scopes', () => {
    expect(kind.check!({ audit_scopes: [{ name: 'a', actions: ['LOGIN'] }, { name: 'b' }] })).toEqual([]);
    expect(kind.check!({ full_audit: 'ON' })).toEqual([]);
  });
});
