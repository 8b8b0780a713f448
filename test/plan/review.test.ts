import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RiskRuleSpec, Threshold } from '../../src/domain.js';
import { reviewDelete, reviewExceptionIps, reviewSwitch, reviewTask, reviewUpdate } from '../../src/plan/review.js';
import { thresholdCovers } from '../../src/plan/threshold-scope.js';
import { differingFields } from '../../src/plan/normalise.js';
import { content } from './arbitraries.js';
import { rule } from './builders.js';

const { source: _s, ...base } = rule('r');
const spec = (over: Partial<RiskRuleSpec>): RiskRuleSpec => ({ ...base, ...over });
const th = (symbol: Threshold['symbol'], value: number): Threshold => ({ symbol, value });

describe('thresholdCovers (does the new threshold match every value the old one did?)', () => {
  it.each([
    [th('GREATER', 1000), th('GREATER', 500), true],
    [th('GREATER', 1000), th('GREATER', 5000), false],
    [th('GREATER', 1000), th('GREATER_EQUAL', 1001), true],
    [th('GREATER_EQUAL', 1001), th('GREATER', 1000), true],
    [th('GREATER_EQUAL', 0), th('LESS', 10), false],
    [th('LESS', 10), th('LESS_EQUAL', 10), true],
    [th('LESS', 10), th('LESS', 5), false],
    [th('EQUAL', 5), th('GREATER_EQUAL', 5), true],
    [th('EQUAL', 5), th('GREATER_EQUAL', 0), true],
    [th('GREATER_EQUAL', 0), th('EQUAL', 5), false],
    [th('NO_MATCH', 5), th('GREATER', 5), false],
    [th('NO_MATCH', 5), th('GREATER_EQUAL', 0), true],
    [th('LESS', 0), th('GREATER_EQUAL', 0), true],
    [th('GREATER_EQUAL', 0), th('LESS', 0), false],
    [th('NO_MATCH', 0), th('GREATER', 0), true],
  ])('%j → %j covers: %s', (before, after, covers) => {
    expect(thresholdCovers(after, before)).toBe(covers);
  });
});

describe('reviewUpdate', () => {
  const reasons = (before: Partial<RiskRuleSpec>, after: Partial<RiskRuleSpec>): readonly string[] =>
    reviewUpdate(spec(before), spec(after)).reasons;

  it.each([
    ['a lower risk level', { riskLevel: 'HIGH' }, { riskLevel: 'LOW' }, ['risk_level HIGH → LOW']],
    ['turning OFF', { status: 'ON' }, { status: 'OFF' }, ['status ON → OFF']],
    ['a removed action', { actions: ['GRANT', 'REVOKE'] }, { actions: ['GRANT'] }, ['actions no longer include REVOKE']],
    ['"any" actions narrowed to a list', { actions: [] }, { actions: ['SELECT'] }, ['actions any → [SELECT]']],
    ['fewer client IPs', { clientIps: ['10.0.0.0/8', '172.16.0.0/12'] }, { clientIps: ['10.0.0.0/8'] }, ['client_ips no longer cover 172.16.0.0/12']],
    ['a narrower IPv4 CIDR', { clientIps: ['10.0.0.0/8'] }, { clientIps: ['10.20.0.0/16'] }, ['client_ips no longer cover 10.0.0.0/8']],
    ['an IPv4 /32 dropped', { clientIps: ['10.0.0.1/32', '10.0.0.2'] }, { clientIps: ['10.0.0.2'] }, ['client_ips no longer cover 10.0.0.1/32']],
    ['a narrower IPv6 CIDR', { clientIps: ['2001:db8::/32'] }, { clientIps: ['2001:db8::/48'] }, ['client_ips no longer cover 2001:db8::/32']],
    ['an IPv6 /128 dropped', { clientIps: ['::1/128', '2001:db8::/32'] }, { clientIps: ['2001:db8::/32'] }, ['client_ips no longer cover ::1/128']],
    ['a shorter range', { clientIps: ['10.0.0.1-10.0.0.100'] }, { clientIps: ['10.0.0.1-10.0.0.99'] }, ['client_ips no longer cover 10.0.0.1-10.0.0.100']],
    ['a range no CIDR fully covers', { clientIps: ['10.0.0.200-10.0.1.5'] }, { clientIps: ['10.0.0.0/24'] }, ['client_ips no longer cover 10.0.0.200-10.0.1.5']],
    ['an IPv4 list replaced by IPv6', { clientIps: ['10.0.0.0/8'] }, { clientIps: ['::/0'] }, ['client_ips no longer cover 10.0.0.0/8']],
    ['any client narrowed', { clientIps: [] }, { clientIps: ['10.0.0.0/8'] }, ['client_ips any → [10.0.0.0/8]']],
    ['fewer databases', { dbIds: ['a', 'b'] }, { dbIds: ['a'] }, ['db_ids no longer include b']],
    ['a lost schema target', { schemas: [{ schema: 'f', table: 't' }] }, { schemas: [{ schema: 'g' }] }, ['schemas no longer cover f.t']],
    ['a looser rows threshold', { affectRows: th('GREATER', 1000) }, { affectRows: th('GREATER', 5000) }, ['affect_rows GREATER 1000 → GREATER 5000']],
    ['a looser time threshold', { executionTime: th('GREATER_EQUAL', 0) }, { executionTime: th('GREATER', 5000) }, ['execution_time GREATER_EQUAL 0 → GREATER 5000']],
    ['case-sensitive matching', { ignoreCase: true }, { ignoreCase: false }, ['ignore_case true → false']],
  ] as [string, Partial<RiskRuleSpec>, Partial<RiskRuleSpec>, string[]][])('flags %s as weakening', (_what, before, after, expected) => {
    expect(reasons(before, after)).toEqual(expected);
  });

  it.each([
    ['a higher risk level', { riskLevel: 'LOW' }, { riskLevel: 'HIGH' }],
    ['turning ON', { status: 'OFF' }, { status: 'ON' }],
    ['actions becoming "any"', { actions: ['SELECT'] }, { actions: [] }],
    ['an added action', { actions: ['GRANT'] }, { actions: ['GRANT', 'REVOKE'] }],
    ['more client IPs', { clientIps: ['10.0.0.1'] }, { clientIps: ['10.0.0.1', '10.0.0.2'] }],
    ['a wider IPv4 CIDR', { clientIps: ['10.20.0.0/16'] }, { clientIps: ['10.0.0.0/8'] }],
    ['an IPv4 /32 replaced by its CIDR', { clientIps: ['10.0.0.1/32'] }, { clientIps: ['10.0.0.0/24'] }],
    ['a wider IPv6 CIDR', { clientIps: ['2001:db8:1::/48'] }, { clientIps: ['2001:db8::/32'] }],
    ['an IPv6 /128 replaced by a range', { clientIps: ['2001:db8::5/128'] }, { clientIps: ['2001:db8::1-2001:db8::ff'] }],
    ['a range replaced by the CIDR it spans', { clientIps: ['10.0.0.0-10.0.0.255'] }, { clientIps: ['10.0.0.0/24'] }],
    ['a CIDR split into a range and a CIDR', { clientIps: ['10.0.0.0/24'] }, { clientIps: ['10.0.0.0-10.0.0.127', '10.0.0.128/25'] }],
    ['a CIDR with host bits set vs its network', { clientIps: ['10.20.0.0/16'] }, { clientIps: ['10.20.0.5/16'] }],
    ['client IPs becoming "any"', { clientIps: ['10.0.0.1'] }, { clientIps: [] }],
    ['client IPs respelled', { clientIps: ['2001:DB8::1'] }, { clientIps: ['2001:db8::1'] }],
    ['a schema widened to its database', { schemas: [{ schema: 'f', table: 't' }] }, { schemas: [{ schema: 'f' }] }],
    ['a stricter threshold', { affectRows: th('GREATER', 5000) }, { affectRows: th('GREATER', 1000) }],
    ['case-insensitive matching', { ignoreCase: false }, { ignoreCase: true }],
  ] as [string, Partial<RiskRuleSpec>, Partial<RiskRuleSpec>][])('does not flag %s', (_what, before, after) => {
    expect(reviewUpdate(spec(before), spec(after))).toEqual({ weakening: false, reasons: [] });
  });

  it('counts an unknown live risk level as the worst case', () => {
    expect(reasons({ riskLevel: 'SEVERE' as never }, { riskLevel: 'HIGH' })).toEqual(['risk_level SEVERE → HIGH']);
  });

  it('does not judge exception IPs, whose previous value cannot be read', () => {
    expect(reviewUpdate(spec({ riskLevel: 'MEDIUM' }), spec({ exceptionIps: ['0.0.0.0/0'] }))).toEqual({ weakening: false, reasons: [] });
  });
});

describe('other reviews', () => {
  it('classifies switches, deletes and tasks', () => {
    expect(reviewSwitch('OFF', ['a', 'b'])).toEqual({ weakening: true, reasons: ['a turned OFF', 'b turned OFF'] });
    expect(reviewSwitch('ON', ['a']).weakening).toBe(false);
    expect(reviewDelete()).toEqual({ weakening: true, reasons: ['rule deleted'] });
    expect(reviewTask('risk', true, false)).toEqual({ weakening: true, reasons: ['risk summary task switched off'] });
    expect(reviewTask('risk', false, true).weakening).toBe(false);
  });
});

describe('reviewExceptionIps (when the previous list is known)', () => {
  it.each([
    [['10.0.0.0/24'], ['10.0.0.0/16'], ['exception_ips now exempt 10.0.0.0/16']],
    [[], ['10.0.0.1'], ['exception_ips now exempt 10.0.0.1']],
    [['2001:db8::/64'], ['2001:db8::/64', '::1/128'], ['exception_ips now exempt ::1/128']],
    [['10.0.0.1-10.0.0.9'], ['10.0.0.1-10.0.0.10'], ['exception_ips now exempt 10.0.0.1-10.0.0.10']],
  ])('flags widening %j → %j', (before, after, expected) => {
    expect(reviewExceptionIps(before, after)).toEqual({ weakening: true, reasons: expected });
  });

  it.each([
    [['10.0.0.0/16'], ['10.0.0.0/24']],
    [['10.0.0.0/24'], []],
    [['2001:db8::/32'], ['2001:db8::1/128', '2001:db8:0:1::/64']],
    [['10.0.0.0/24'], ['10.0.0.0-10.0.0.255']],
  ])('does not flag narrowing or equal coverage %j → %j', (before, after) => {
    expect(reviewExceptionIps(before, after)).toEqual({ weakening: false, reasons: [] });
  });
});

describe('reviewUpdate over the changed fields only', () => {
  it('gives the reasons of the whole review when told which fields differ (what the planner passes)', () => {
    fc.assert(
      fc.property(content, content, (b, a) => {
        const before = { name: 'r', ...b };
        const after = { name: 'r', ...a };
        expect(reviewUpdate(before, after, differingFields(before, after))).toEqual(reviewUpdate(before, after));
      }),
      { numRuns: 500 },
    );
  });

  it('looks at no other field', () => {
    const before = spec({ status: 'ON', riskLevel: 'HIGH', actions: ['GRANT', 'REVOKE'] });
    const after = spec({ status: 'OFF', riskLevel: 'LOW', actions: ['GRANT'] });
    expect(reviewUpdate(before, after, ['actions']).reasons).toEqual(['actions no longer include REVOKE']);
    expect(reviewUpdate(before, after, []).reasons).toEqual([]);
  });
});
