import { describe, expect, it } from 'vitest';
import type { RuleSummary } from '../../src/api/types.js';
import { inRankOrder, liveDetail, resolveRuleTypes } from '../../src/live/rule-kinds.js';

const r = (id: string, name: string, ruleType: RuleSummary['ruleType'], rank?: number): RuleSummary => ({ id, name, ruleType, status: 'ON', ...(rank === undefined ? {} : { rank }) });

describe('rule kinds: what may be done with a listed rule', () => {
  it('reads a rule without rule_type as custom only when no system rule has its name and customize_total counts it', () => {
    const rules = [r('1', 'Regional_rule', 'SYSTEM'), r('2', 'Regional_rule', 'UNKNOWN'), r('3', 'Batch_data_deletion_detection', 'UNKNOWN'), r('4', 'mine', 'UNKNOWN'), r('5', 'c', 'CUSTOMIZE')];
    const counted = (customizeTotal: number) => Object.assign([...rules], { customizeTotal });
    expect(resolveRuleTypes(counted(2)).map((x) => x.ruleType)).toEqual(['SYSTEM', 'UNKNOWN', 'UNKNOWN', 'CUSTOMIZE', 'CUSTOMIZE']);
    // issue 18 item 4: without customize_total, or with one that counts otherwise, nothing is resolved
    expect(resolveRuleTypes(rules).map((x) => x.ruleType)).toEqual(['SYSTEM', 'UNKNOWN', 'UNKNOWN', 'UNKNOWN', 'CUSTOMIZE']);
    expect(resolveRuleTypes(counted(1)).map((x) => x.ruleType)).toEqual(['SYSTEM', 'UNKNOWN', 'UNKNOWN', 'UNKNOWN', 'CUSTOMIZE']);
    expect(resolveRuleTypes(counted(3)).map((x) => x.ruleType)).toEqual(['SYSTEM', 'UNKNOWN', 'UNKNOWN', 'UNKNOWN', 'CUSTOMIZE']);
  });

  it('never resolves an explicit unknown rule_type (BUILT_IN reads as OTHER), whatever customize_total says', () => {
    const rules = Object.assign([r('1', 'Sensitive_export', 'OTHER'), r('2', 'c', 'CUSTOMIZE')], { customizeTotal: 2 });
    expect(resolveRuleTypes(rules).map((x) => x.ruleType)).toEqual(['OTHER', 'CUSTOMIZE']);
  });

  it('orders ranked rules by rank (ties in list order) and puts unranked ones last', () => {
    const rules = [r('a', 'a', 'SYSTEM'), r('b', 'b', 'CUSTOMIZE', 3), r('c', 'c', 'CUSTOMIZE', 1), r('d', 'd', 'CUSTOMIZE', 3), r('e', 'e', 'SYSTEM', -1)];
    expect(inRankOrder(rules).map((x) => x.id)).toEqual(['e', 'c', 'b', 'd', 'a']);
  });

  it('completes a terse show answer from its list item', () => {
    const summary: RuleSummary = { id: 'x', name: 'listed', ruleType: 'CUSTOMIZE', status: 'OFF', rank: 4, riskLevel: 'LOW' };
    const detail = { id: 'x', actions: [], affectRows: { symbol: 'GREATER_EQUAL', value: 0 }, executionTime: { symbol: 'GREATER_EQUAL', value: 0 }, dbIds: [], clientIps: [], schemas: [], ignoreCase: false } as const;
    expect(liveDetail(summary, detail)).toMatchObject({ id: 'x', name: 'listed', status: 'OFF', riskLevel: 'LOW', rank: 4 });
    expect(liveDetail({ ...summary, riskLevel: undefined }, { ...detail, riskLevel: 'HIGH', status: 'ON' })).toMatchObject({ riskLevel: 'HIGH', status: 'ON' });
    expect(liveDetail({ id: 'x', name: 'n', ruleType: 'CUSTOMIZE', status: 'ON' }, detail)).not.toHaveProperty('riskLevel');
  });
});
