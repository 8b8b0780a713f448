import { afterEach, describe, expect, it } from 'vitest';
import { runPipeline } from '../convergence/profile-estate.js';
import type { PolicyEstate } from './helpers/policy-estate.js';
import { startPolicyEstate } from './helpers/policy-estate.js';
import { RENAMED_PROD_AUDIT } from '../apply/rename-fixture.js';

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

const customs = (e: PolicyEstate) => e.prod().rules.filter((r) => r.ruleType === 'CUSTOMIZE').map((r) => r.name);

describe('a create that answers SUCCESS and stores nothing', () => {
  it('keeps the rule it replaces: the delete is skipped, saying the successor is not listed', async () => {
    open = await startPolicyEstate({ hostileAnswers: { lyingCreate: 'always' } });
    await open.declare(RENAMED_PROD_AUDIT);
    const r = await runPipeline(open, 'reconcile');
    expect(open.emulator.counters().byOperation.CreateAuditRiskRule, r.output).toBe(1);
    expect(open.emulator.counters().byOperation.DeleteAuditRuleRisk ?? 0, r.output).toBe(0);
    expect(customs(open)).toEqual(['bulk-delete-prod', 'drop-table-in-prod', 'grant-outside-dba', 'legacy-export']);
    expect(r.output).toContain('create of grant-outside-dba-v2 answered success but grant-outside-dba-v2 is not listed; keeping grant-outside-dba');
    expect(r.code, r.output).not.toBe(0);
  });

  it('once per name: the next run creates the successor, sees it, and only then deletes the old rule', async () => {
    open = await startPolicyEstate({ hostileAnswers: { lyingCreate: 'once' } });
    await open.declare(RENAMED_PROD_AUDIT);
    const first = await runPipeline(open, 'reconcile');
    expect(customs(open), first.output).toContain('grant-outside-dba');
    const second = await runPipeline(open, 'reconcile');
    expect(second.code, second.output).toBe(0);
    expect(customs(open), second.output).toEqual(['bulk-delete-prod', 'drop-table-in-prod', 'grant-outside-dba-v2', 'legacy-export']);
    expect((await runPipeline(open, 'plan')).code).toBe(0);
  });
});
