import type { Json, KindFinding, KindValues } from '../kind.js';
import { SCOPES_KEY } from './scope-spec.js';

/**
 * What the schema cannot check in one place's audit scopes: a name declared twice (an error: the
 * later one would silently win), an operation token the eu-west-0 reference does not list (a
 * warning: it is sent as written, and other regions may know it), an address in both source_ips
 * and exception_ips (a warning: exception IPs take priority, so it is never audited).
 */

/** The operation tokens of the eu-west-0 reference (RuleScopeInfo.action). */
export const DOCUMENTED_ACTIONS = ['LOGIN', 'SELECT', 'SELECT_FOR_UPDATE', 'INSERT', 'UPDATE', 'DELETE', 'CREATE_TABLE', 'DROP_TABLE', 'CREATE_TABLESPACE', 'DROP_TABLESPACE', 'CREATE_USER', 'DROP_USER', 'GRANT', 'REVOKE', 'ROLLBACK'] as const;

type YamlObject = { readonly [k: string]: Json };

const strings = (v: Json | undefined): string[] => (Array.isArray(v) ? (v as readonly Json[]).map(String) : []);

/** The findings of one entry's or rule set's audit_scopes. */
export function checkScopes(values: KindValues['values']): KindFinding[] {
  const list = values[SCOPES_KEY];
  if (!Array.isArray(list)) return [];
  const findings: KindFinding[] = [];
  const firstAt = new Map<string, number>();
  (list as readonly Json[]).forEach((raw, i) => {
    const scope = raw as YamlObject;
    const name = String(scope.name);
    const first = firstAt.get(name);
    if (first === undefined) firstAt.set(name, i);
    else findings.push({ path: [SCOPES_KEY, i, 'name'], message: `audit scope ${JSON.stringify(name)} is declared twice here (also item ${first + 1}); a name may appear once` });
    strings(scope.actions).forEach((token, j) => {
      if (!(DOCUMENTED_ACTIONS as readonly string[]).includes(token)) {
        findings.push({ path: [SCOPES_KEY, i, 'actions', j], message: `operation ${JSON.stringify(token)} is not among the documented ones (${DOCUMENTED_ACTIONS.join(', ')}); it is sent as written`, warning: true });
      }
    });
    const excepted = new Set(strings(scope.exception_ips));
    strings(scope.source_ips).forEach((ip, j) => {
      if (excepted.has(ip)) findings.push({ path: [SCOPES_KEY, i, 'source_ips', j], message: `${ip} is also in exception_ips, which take priority: it is never audited`, warning: true });
    });
  });
  return findings;
}
