import { describe, expect, it } from 'vitest';
import type { ReadableRuleSpec as RuleDetail } from '../../src/domain.js';
import { computePlan } from '../../src/plan/compute-plan.js';
import { differingFields, normaliseRule } from '../../src/plan/normalise.js';
import { desired, instance, live, liveState, rule } from './builders.js';

const opts = { toolVersion: '0.1.0' };
const { source: _s, exceptionIps: _e, ...base } = rule('r');

describe('normalisation', () => {
  it.each([
    ['IPv6 spelling', { clientIps: ['2001:DB8:0:0::1', '2001:db8::/32'] }, { clientIps: ['2001:db8::1', '2001:0DB8::/32'] }],
    ['a CIDR with host bits set and its network (IPv4)', { clientIps: ['10.20.0.0/16'] }, { clientIps: ['10.20.0.5/16'] }],
    ['a CIDR with host bits set and its network (IPv6)', { clientIps: ['2001:db8::1/64'] }, { clientIps: ['2001:db8::/64'] }],
    ['IPv4 CIDR prefix with a leading zero and spaces', { clientIps: ['10.0.0.0/08'] }, { clientIps: [' 10.0.0.0/8 '] }],
    ['list order and duplicates', { actions: ['GRANT', 'REVOKE', 'GRANT'], dbIds: ['b', 'a'] }, { actions: ['REVOKE', 'GRANT'], dbIds: ['a', 'b', 'a'] }],
    ['enum case', { riskLevel: 'high', status: 'on', actions: ['select'] }, { riskLevel: 'HIGH', status: 'ON', actions: ['SELECT'] }],
    ['threshold symbol case', { affectRows: { symbol: 'greater', value: 10 } }, { affectRows: { symbol: 'GREATER', value: 10 } }],
    [
      'schemas as sets with absent = empty',
      { schemas: [{ schema: 'finance', table: 'ledger', column: '' }, { schema: 'hr' }] },
      { schemas: [{ schema: 'hr', table: '' }, { schema: 'finance', table: 'ledger' }] },
    ],
    ['an all-empty schema entry is no entry', { schemas: [{}] }, { schemas: [] }],
    ['absent lists and thresholds read as their defaults', { actions: undefined, dbIds: undefined, affectRows: undefined }, { actions: [], dbIds: [] }],
    // "any operation" has one meaning, whichever way it is written or read back
    ['OPERATE ALL and an empty action list', { actions: ['OPERATE ALL'] }, { actions: [] }],
    ['OPERATE_ALL, ALL and absent actions', { actions: ['OPERATE_ALL'] }, { actions: undefined }],
    ['any operation next to other tokens', { actions: ['SELECT', 'all'] }, { actions: [] }],
  ])('treats %s as equal', (_what, liveOver, desiredOver) => {
    const a = { ...base, ...liveOver } as unknown as RuleDetail;
    const b = { ...base, ...desiredOver } as unknown as RuleDetail;
    expect(differingFields(a, b)).toEqual([]);
    expect(normaliseRule(a)).toEqual(normaliseRule(b));
  });

  it.each([
    ['another address', { clientIps: ['10.0.0.1'] }, { clientIps: ['10.0.0.2'] }, ['clientIps']],
    ['another column', { schemas: [{ schema: 'f', table: 't', column: 'c' }] }, { schemas: [{ schema: 'f', table: 't' }] }, ['schemas']],
    ['another threshold value', { executionTime: { symbol: 'GREATER', value: 1 } }, { executionTime: { symbol: 'GREATER', value: 2 } }, ['executionTime']],
    ['ignore case and level', { ignoreCase: true, riskLevel: 'LOW' }, { ignoreCase: false, riskLevel: 'NO_RISK' }, ['riskLevel', 'ignoreCase']],
    ['db id case (ids are case-sensitive)', { dbIds: ['AbC'] }, { dbIds: ['abc'] }, ['dbIds']],
  ])('tells %s apart', (_what, liveOver, desiredOver, fields) => {
    const a = { ...base, ...liveOver } as unknown as RuleDetail;
    const b = { ...base, ...desiredOver } as unknown as RuleDetail;
    expect(differingFields(a, b)).toEqual(fields);
  });

  it('plans nothing for a live rule that differs only in spelling, order and defaults', () => {
    const d = instance('prod-audit', {
      riskRules: [
        rule('drop', {
          actions: ['DROP_TABLE', 'DROP_TABLESPACE'],
          clientIps: ['10.0.0.0/8', '192.168.1.10-192.168.1.20', '2001:db8::1'],
          schemas: [{ schema: 'finance', table: 'ledger' }],
        }),
      ],
    });
    const l = live(d, [
      {
        id: 'id-drop',
        name: 'drop',
        actions: ['drop_tablespace', 'DROP_TABLE'],
        clientIps: ['2001:DB8:0000::0001', '192.168.1.10-192.168.1.20', '10.0.0.0/8'],
        schemas: [{ schema: 'finance', table: 'ledger', column: '' }],
      },
    ]);
    expect(computePlan(desired([d]), liveState([l]), opts).changes).toEqual([]);
  });
});
