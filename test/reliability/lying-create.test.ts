import { afterEach, describe, expect, it } from 'vitest';
import { runPipeline } from '../convergence/profile-estate.js';
import type { PolicyEstate } from './helpers/policy-estate.js';
import { startPolicyEstate } from './helpers/policy-estate.js';

/**
 * Issue 18 item 5: successors are seen before predecessors go. The emulator's creates answer
 * SUCCESS and store nothing (`hostileAnswers.lyingCreate`); a rename must keep the old rule until a
 * listing shows the new one.
 */

let open: PolicyEstate | undefined;
afterEach(async () => {
  await open?.close();
  open = undefined;
});

/** prod-audit with grant-outside-dba renamed to grant-outside-dba-v2, prune: true. */
const RENAMED = `  - name: prod-audit
    prune: true
    risk_rules:
      - name: bulk-delete-prod
        risk_level: HIGH
        actions: [DELETE]
        affect_rows: { symbol: GREATER, value: 1000 }
      - name: drop-table-in-prod
        risk_level: MEDIUM
        actions: [DROP_TABLE, DROP_TABLESPACE]
        db_ids: [lQZpwJgB0g4pz3UTv74a]
        client_ips: [10.0.0.0/8, 192.168.1.10-192.168.1.20]
        schemas: [{ schema: finance, table: ledger }]
      - name: grant-outside-dba-v2
        risk_level: HIGH
        actions: [GRANT, REVOKE]
        client_ips: [10.20.0.0/16]
      - name: legacy-export
        risk_level: LOW
        actions: [SELECT]
`;

const customs = (e: PolicyEstate) => e.prod().rules.filter((r) => r.ruleType === 'CUSTOMIZE').map((r) => r.name);

describe('a create that answers SUCCESS and stores nothing', () => {
  it('keeps the rule it replaces: the delete is skipped, saying the successor is not listed', async () => {
    open = await startPolicyEstate({ hostileAnswers: { lyingCreate: 'always' } });
    await open.declare(RENAMED);
    const r = await runPipeline(open, 'reconcile');
    expect(open.emulator.counters().byOperation.CreateAuditRiskRule, r.output).toBe(1);
    expect(open.emulator.counters().byOperation.DeleteAuditRuleRisk ?? 0, r.output).toBe(0);
    expect(customs(open)).toEqual(['bulk-delete-prod', 'drop-table-in-prod', 'grant-outside-dba', 'legacy-export']);
    expect(r.output).toContain('create of grant-outside-dba-v2 answered success but grant-outside-dba-v2 is not listed; keeping grant-outside-dba');
    expect(r.code, r.output).not.toBe(0);
  });

  it('once per name: the next run creates the successor, sees it, and only then deletes the old rule', async () => {
    open = await startPolicyEstate({ hostileAnswers: { lyingCreate: 'once' } });
    await open.declare(RENAMED);
    const first = await runPipeline(open, 'reconcile');
    expect(customs(open), first.output).toContain('grant-outside-dba');
    const second = await runPipeline(open, 'reconcile');
    expect(second.code, second.output).toBe(0);
    expect(customs(open), second.output).toEqual(['bulk-delete-prod', 'drop-table-in-prod', 'grant-outside-dba-v2', 'legacy-export']);
    expect((await runPipeline(open, 'plan')).code).toBe(0);
  });
});
