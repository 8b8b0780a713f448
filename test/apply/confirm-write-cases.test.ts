import { describe, expect, it } from 'vitest';
import { DbssApiError } from '../../src/api/errors.js';
import type { DbssClient, RuleDetail, RuleSummary, SummaryTask } from '../../src/api/types.js';
import { confirmAfterLostAnswer } from '../../src/apply/confirm-write.js';
import type { Change, PlanTarget } from '../../src/plan/types.js';
import { ruleSpec } from '../api/helpers/client.js';

/**
 * confirmAfterLostAnswer case by case: which failures are read back, what each read must
 * show for the change to count as applied, and the sentence it reports. The reads come from
 * a small in-memory client (only the three reads it may make); every read is recorded.
 */
const TARGET: PlanTarget = { key: 'cn-north-4/p/prod', region: 'cn-north-4', projectId: 'p', instanceId: 'i', instanceName: 'prod' };
const PROJECT_TARGET: PlanTarget = { key: 'cn-north-4/p', region: 'cn-north-4', projectId: 'p' };
const review = { weakening: false, reasons: [] };

function reads(state: { rules?: RuleSummary[]; detail?: Partial<RuleDetail>; task?: boolean | undefined; fail?: boolean }) {
  const made: string[] = [];
  const client = {
    async listRules(project: string, instance: string) {
      made.push(`list ${project}/${instance}`);
      if (state.fail) throw new Error('read failed too');
      return state.rules ?? [];
    },
    async showRule(project: string, instance: string, id: string) {
      made.push(`show ${project}/${instance}/${id}`);
      return { id, ...ruleSpec('r'), ...state.detail } as RuleDetail;
    },
    async showSummaryTask(project: string, busiType: string) {
      made.push(`task ${project}/${busiType}`);
      return { busiType, enabled: state.task } as SummaryTask;
    },
  } as unknown as DbssClient;
  let calls = 0;
  const call = <T>(fn: () => Promise<T>): Promise<T> => {
    calls++;
    return fn();
  };
  return { client, made, call, calls: () => calls };
}

const lostAnswer = (over: Partial<ConstructorParameters<typeof DbssApiError>[0]> = {}) =>
  new DbssApiError({ operation: 'x', method: 'DELETE', path: '/p', pathTemplate: '/p', kind: 'network', errorCode: 'ECONNRESET', attempts: 3, mayHaveApplied: true, ...over });
const rule = (id: string, status: 'ON' | 'OFF' = 'ON'): RuleSummary => ({ id, name: `n-${id}`, ruleType: 'CUSTOMIZE', status });

const del: Change = { id: 'd', target: TARGET.key, kind: 'delete', rule: 'r', ruleId: 'r1', review };
const sw: Change = { id: 's', target: TARGET.key, kind: 'switch', status: 'OFF', rules: [{ id: 'r1', name: 'a', system: false }, { id: 'r2', name: 'b', system: false }], review };
const spec = ruleSpec('r');
const upd: Change = { id: 'u', target: TARGET.key, kind: 'update', rule: 'r', ruleId: 'r1', before: { ...spec, riskLevel: 'LOW' }, after: spec, fields: [], review };
const task = (after: boolean): Change => ({ id: 't', target: PROJECT_TARGET.key, kind: 'set-task', busiType: 'risk', before: !after, after, review });

describe('confirmAfterLostAnswer', () => {
  it('reads nothing back for a failure that cannot have taken effect', async () => {
    const r = reads({ rules: [] });
    expect(await confirmAfterLostAnswer(del, TARGET, r.client, r.call, lostAnswer({ mayHaveApplied: false }))).toBeUndefined();
    expect(await confirmAfterLostAnswer(del, TARGET, r.client, r.call, new Error('plain'))).toBeUndefined();
    expect(r.made).toEqual([]);
  });

  it('says what was lost: the error code, else the status, else the kind, and the attempts when known', async () => {
    const gone = async (err: DbssApiError) => confirmAfterLostAnswer(del, TARGET, reads({ rules: [rule('other')] }).client, reads({}).call, err);
    expect(await gone(lostAnswer())).toBe('an answer was lost (ECONNRESET after 3 attempts); a listing confirms the rule is gone');
    expect(await gone(lostAnswer({ errorCode: undefined, status: 503, attempts: undefined }))).toBe('an answer was lost (503); a listing confirms the rule is gone');
    expect(await gone(lostAnswer({ errorCode: undefined, attempts: 0 }))).toBe('an answer was lost (network); a listing confirms the rule is gone');
  });

  it('a delete counts once the rule is not listed, through the change\'s project and instance', async () => {
    const r = reads({ rules: [rule('other'), rule('r1')] });
    expect(await confirmAfterLostAnswer(del, TARGET, r.client, r.call, lostAnswer())).toBeUndefined();
    expect(r.made).toEqual(['list p/i']);
    expect(r.calls()).toBe(1);
  });

  it('a switch counts only when every rule of it shows the status', async () => {
    const check = async (rules: RuleSummary[]) => confirmAfterLostAnswer(sw, TARGET, reads({ rules }).client, reads({}).call, lostAnswer());
    expect(await check([rule('r1', 'OFF'), rule('r2', 'OFF'), rule('x', 'ON')])).toBe('an answer was lost (ECONNRESET after 3 attempts); a listing confirms every rule is OFF');
    expect(await check([rule('r1', 'OFF'), rule('r2', 'ON')])).toBeUndefined();
    expect(await check([rule('r1', 'OFF'), rule('x', 'OFF')])).toBeUndefined();
    expect(await check([rule('r1', 'ON'), rule('r2', 'ON')])).toBeUndefined();
  });

  it('an update counts when the rule is listed and its content reads as sent; a rule not listed is not shown', async () => {
    const listed = reads({ rules: [rule('x'), rule('r1')] });
    expect(await confirmAfterLostAnswer(upd, TARGET, listed.client, listed.call, lostAnswer())).toBe('an answer was lost (ECONNRESET after 3 attempts); a read-back shows the content as sent');
    expect(listed.made).toEqual(['list p/i', 'show p/i/r1']);
    const missing = reads({ rules: [rule('x')] });
    expect(await confirmAfterLostAnswer(upd, TARGET, missing.client, missing.call, lostAnswer())).toBeUndefined();
    expect(missing.made).toEqual(['list p/i']);
    const other = reads({ rules: [rule('r1')], detail: { riskLevel: 'LOW' } });
    expect(await confirmAfterLostAnswer(upd, TARGET, other.client, other.call, lostAnswer())).toBeUndefined();
    const noLevel = reads({ rules: [rule('r1')], detail: { riskLevel: undefined } });
    expect(await confirmAfterLostAnswer(upd, TARGET, noLevel.client, noLevel.call, lostAnswer())).toBeUndefined(); // nothing to compare the level with
  });

  it('a task change counts when the task reads in the wanted state, on or off', async () => {
    const t = reads({ task: false });
    expect(await confirmAfterLostAnswer(task(false), PROJECT_TARGET, t.client, t.call, lostAnswer())).toBe('an answer was lost (ECONNRESET after 3 attempts); a read-back shows the task off');
    expect(t.made).toEqual(['task p/risk']);
    expect(await confirmAfterLostAnswer(task(true), PROJECT_TARGET, reads({ task: true }).client, t.call, lostAnswer())).toBe('an answer was lost (ECONNRESET after 3 attempts); a read-back shows the task on');
    expect(await confirmAfterLostAnswer(task(true), PROJECT_TARGET, reads({ task: false }).client, t.call, lostAnswer())).toBeUndefined();
    expect(await confirmAfterLostAnswer(task(true), PROJECT_TARGET, reads({ task: undefined }).client, t.call, lostAnswer())).toBeUndefined();
  });

  it('a read that fails leaves the failure standing; other kinds are never read back', async () => {
    const failing = reads({ fail: true });
    expect(await confirmAfterLostAnswer(del, TARGET, failing.client, failing.call, lostAnswer())).toBeUndefined();
    expect(failing.made).toEqual(['list p/i']);
    const r = reads({ rules: [] });
    const create: Change = { id: 'c', target: TARGET.key, kind: 'create', rule: 'r', after: spec, review };
    expect(await confirmAfterLostAnswer(create, TARGET, r.client, r.call, lostAnswer())).toBeUndefined();
    expect(r.made).toEqual([]);
  });
});
