import { describe, expect, it } from 'vitest';
import type { ReadableRuleSpec, RiskRuleSpec, Threshold } from '../../src/domain.js';
import { NOT_WEAKENING, reviewExceptionIps, reviewSwitch, reviewTask, reviewUpdate } from '../../src/plan/review.js';
import { thresholdCovers } from '../../src/plan/threshold-scope.js';
import { rule } from './builders.js';

/**
 * The weakening review judged by meaning, for the cases issue 13 found unpinned: schema targets
 * narrowed by a table or a column, schemas going from any to a list, risk level order at its
 * bottom end, and thresholds whose matched set moves or shrinks by one value.
 */

const { source: _s, ...base } = rule('r');
const spec = (over: Partial<RiskRuleSpec>): RiskRuleSpec => ({ ...base, ...over });
const th = (symbol: string, value: number): Threshold => ({ symbol, value }) as Threshold;
const reasons = (before: Partial<RiskRuleSpec>, after: Partial<RiskRuleSpec>): readonly string[] => reviewUpdate(spec(before), spec(after)).reasons;

describe('schemas', () => {
  it.each<[string, RiskRuleSpec['schemas'], RiskRuleSpec['schemas'], string[]]>([
    ['any narrowed to a schema', [], [{ schema: 'finance' }], ['schemas any → [finance]']],
    ['any narrowed to two targets', [], [{ schema: 'finance', table: 'ledger' }, { table: 'audit' }], ['schemas any → [*.audit, finance.ledger]']],
    ['a schema narrowed to a table', [{ schema: 'finance' }], [{ schema: 'finance', table: 'ledger' }], ['schemas no longer cover finance']],
    ['a table narrowed to a column', [{ schema: 'finance', table: 'ledger' }], [{ schema: 'finance', table: 'ledger', column: 'pan' }], ['schemas no longer cover finance.ledger']],
    ['a table in any schema narrowed to one schema', [{ table: 'ledger' }], [{ schema: 'finance', table: 'ledger' }], ['schemas no longer cover *.ledger']],
    ['a column in any table narrowed to one table', [{ schema: 'f', column: 'pan' }], [{ schema: 'f', table: 't', column: 'pan' }], ['schemas no longer cover f.*.pan']],
    ['a target moved to another table', [{ schema: 'f', table: 't' }], [{ schema: 'f', table: 'u' }], ['schemas no longer cover f.t']],
    ['a target moved to another column', [{ schema: 'f', table: 't', column: 'a' }], [{ schema: 'f', table: 't', column: 'b' }], ['schemas no longer cover f.t.a']],
    ['one of two targets dropped', [{ schema: 'f' }, { schema: 'g' }], [{ schema: 'g' }], ['schemas no longer cover f']],
    ['two of three targets dropped', [{ schema: 'f' }, { schema: 'g' }, { schema: 'h' }], [{ schema: 'g' }], ['schemas no longer cover f, h']],
  ])('flags %s', (_what, before, after, expected) => {
    expect(reasons({ schemas: before }, { schemas: after })).toEqual(expected);
  });

  it.each<[string, RiskRuleSpec['schemas'], RiskRuleSpec['schemas']]>([
    ['a list becoming any', [{ schema: 'f', table: 't' }], []],
    ['a column widened to its table', [{ schema: 'f', table: 't', column: 'c' }], [{ schema: 'f', table: 't' }]],
    ['a table widened to that table in any schema', [{ schema: 'f', table: 't' }], [{ table: 't' }]],
    ['a column widened to that column in any table', [{ schema: 'f', table: 't', column: 'c' }], [{ schema: 'f', column: 'c' }]],
    ['two targets covered by one', [{ schema: 'f', table: 't' }, { schema: 'f', table: 'u' }], [{ schema: 'f' }]],
    ['a target added', [{ schema: 'f' }], [{ schema: 'f' }, { schema: 'g' }]],
  ])('does not flag %s', (_what, before, after) => {
    expect(reviewUpdate(spec({ schemas: before }), spec({ schemas: after }))).toEqual(NOT_WEAKENING);
  });
});

describe('lists', () => {
  it('names every entry a list no longer includes, and none of the kept ones', () => {
    expect(reasons({ actions: ['DELETE', 'GRANT', 'REVOKE'], dbIds: ['a', 'b', 'c'] }, { actions: ['GRANT'], dbIds: ['b', 'd'] })).toEqual([
      'actions no longer include DELETE, REVOKE',
      'db_ids no longer include a, c',
    ]);
  });

  it.each([
    ['db_ids', { dbIds: [] }, { dbIds: ['a', 'b'] }, ['db_ids any → [a, b]']],
    ['actions', { actions: ['OPERATE ALL'] }, { actions: ['SELECT', 'DELETE'] }, ['actions any → [DELETE, SELECT]']],
    ['client_ips', { clientIps: [] }, { clientIps: ['10.0.0.1', '10.0.0.0/8'] }, ['client_ips any → [10.0.0.0/8, 10.0.0.1]']],
  ] as [string, Partial<RiskRuleSpec>, Partial<RiskRuleSpec>, string[]][])('flags %s narrowed from any to a list', (_what, before, after, expected) => {
    expect(reasons(before, after)).toEqual(expected);
  });

  it('names every client entry no longer covered', () => {
    expect(reasons({ clientIps: ['10.0.0.1', '10.0.0.2', '10.0.0.3'] }, { clientIps: ['10.0.0.2'] })).toEqual(['client_ips no longer cover 10.0.0.1, 10.0.0.3']);
  });

  it('does not flag lists that keep every entry, in another order or spelling', () => {
    expect(reviewUpdate(spec({ actions: ['grant', 'REVOKE'], dbIds: ['b', 'a'] }), spec({ actions: ['REVOKE', 'GRANT'], dbIds: ['a', 'b'] }))).toEqual(NOT_WEAKENING);
  });
});

describe('risk level', () => {
  it.each([
    ['HIGH', 'MEDIUM'],
    ['MEDIUM', 'LOW'],
    ['LOW', 'NO_RISK'],
    ['HIGH', 'NO_RISK'],
  ])('flags %s → %s', (before, after) => {
    expect(reasons({ riskLevel: before as never }, { riskLevel: after as never })).toEqual([`risk_level ${before} → ${after}`]);
  });

  it.each([
    ['NO_RISK', 'LOW'],
    ['NO_RISK', 'HIGH'],
    ['LOW', 'MEDIUM'],
    ['MEDIUM', 'HIGH'],
    ['high', 'HIGH'],
    ['NO_RISK', 'NO_RISK'],
  ])('does not flag %s → %s', (before, after) => {
    expect(reviewUpdate(spec({ riskLevel: before as never }), spec({ riskLevel: after as never }))).toEqual(NOT_WEAKENING);
  });

  it('counts an unknown level as the worst case on either side', () => {
    expect(reasons({ riskLevel: 'SEVERE' as never }, { riskLevel: 'NO_RISK' })).toEqual(['risk_level SEVERE → NO_RISK']);
    expect(reasons({ riskLevel: 'HIGH' }, { riskLevel: 'SEVERE' as never })).toEqual(['risk_level HIGH → SEVERE']);
    expect(reasons({ riskLevel: 'NO_RISK' }, { riskLevel: 'SEVERE' as never })).toEqual(['risk_level NO_RISK → SEVERE']);
  });
});

describe('thresholds', () => {
  it.each([
    [th('EQUAL', 5), th('EQUAL', 6), false],
    [th('EQUAL', 5), th('EQUAL', 5), true],
    [th('EQUAL', 0), th('EQUAL', 1), false],
    [th('LESS_EQUAL', 10), th('LESS', 10), false],
    [th('LESS_EQUAL', 10), th('LESS', 11), true],
    [th('LESS', 10), th('LESS_EQUAL', 9), true],
    [th('LESS_EQUAL', 0), th('EQUAL', 0), true],
    [th('LESS_EQUAL', 1), th('EQUAL', 0), false],
    [th('GREATER', 5), th('GREATER_EQUAL', 5), true],
    [th('GREATER_EQUAL', 5), th('GREATER', 5), false],
    [th('GREATER', 0), th('NO_MATCH', 0), true],
    [th('NO_MATCH', 5), th('NO_MATCH', 6), false],
    [th('NO_MATCH', 5), th('NO_MATCH', 5), true],
    [th('EQUAL', 4), th('NO_MATCH', 5), true],
    [th('EQUAL', 6), th('NO_MATCH', 5), true],
    [th('EQUAL', 5), th('NO_MATCH', 5), false],
    [th('LESS', 5), th('NO_MATCH', 5), true],
    [th('LESS_EQUAL', 5), th('NO_MATCH', 5), false],
    [th('GREATER', 5), th('NO_MATCH', 5), true],
    [th('GREATER_EQUAL', 5), th('NO_MATCH', 5), false],
    // A value below zero matches like zero (no statement affects fewer rows or takes less time).
    [th('GREATER_EQUAL', -5), th('GREATER_EQUAL', 0), true],
    [th('GREATER', -3), th('GREATER_EQUAL', 0), true],
    [th('LESS', 1), th('EQUAL', 0), true],
    // Symbols in any case mean the same.
    [th('equal', 5), th('EQUAL', 6), false],
    [th('greater', 1000), th('GREATER_EQUAL', 1001), true],
    [th('less_equal', 10), th('LESS', 10), false],
    [th('no_match', 5), th('NO_MATCH', 5), true],
    [th('less', 10), th('LESS_EQUAL', 9), true],
    [th('greater_equal', 0), th('GREATER_EQUAL', 1), false],
    // An unknown symbol matches nothing: changing to it loosens, changing away from it does not.
    [th('GREATER', 5), th('BETWEEN', 5), false],
    [th('BETWEEN', 5), th('EQUAL', 5), true],
    [th('LESS', 0), th('BETWEEN', 5), true],
  ])('%j → %j covers: %s', (before, after, covers) => {
    expect(thresholdCovers(after, before)).toBe(covers);
  });

  it('names both thresholds of a change that matches less', () => {
    expect(reasons({ affectRows: th('EQUAL', 5) }, { affectRows: th('EQUAL', 6) })).toEqual(['affect_rows EQUAL 5 → EQUAL 6']);
    expect(reasons({ executionTime: th('LESS_EQUAL', 10) }, { executionTime: th('LESS', 10) })).toEqual(['execution_time LESS_EQUAL 10 → LESS 10']);
  });

  it('reads an absent live threshold as the default, which matches everything', () => {
    const { affectRows: _a, ...noRows } = spec({});
    expect(reviewUpdate(noRows as unknown as ReadableRuleSpec, spec({ affectRows: th('GREATER', 0) })).reasons).toEqual(['affect_rows GREATER_EQUAL 0 → GREATER 0']);
  });
});

describe('several reasons at once', () => {
  it('lists them in field order', () => {
    const before = spec({ status: 'ON', riskLevel: 'HIGH', actions: [], dbIds: [], clientIps: [], schemas: [], affectRows: th('GREATER', 1), executionTime: th('GREATER', 1), ignoreCase: true });
    const after = spec({ status: 'OFF', riskLevel: 'LOW', actions: ['SELECT'], dbIds: ['d'], clientIps: ['10.0.0.1'], schemas: [{ schema: 's' }], affectRows: th('GREATER', 2), executionTime: th('GREATER', 3), ignoreCase: false });
    expect(reviewUpdate(before, after)).toEqual({
      weakening: true,
      reasons: [
        'status ON → OFF',
        'risk_level HIGH → LOW',
        'actions any → [SELECT]',
        'db_ids any → [d]',
        'client_ips any → [10.0.0.1]',
        'schemas any → [s]',
        'affect_rows GREATER 1 → GREATER 2',
        'execution_time GREATER 1 → GREATER 3',
        'ignore_case true → false',
      ],
    });
  });

  it('does not flag an OFF rule staying OFF, or switched on', () => {
    expect(reviewUpdate(spec({ status: 'OFF' }), spec({ status: 'OFF', riskLevel: 'HIGH' }))).toEqual(NOT_WEAKENING);
    expect(reviewUpdate(spec({ status: 'OFF' }), spec({ status: 'ON' }))).toEqual(NOT_WEAKENING);
    expect(reviewUpdate(spec({ ignoreCase: false }), spec({ ignoreCase: false }))).toEqual(NOT_WEAKENING);
  });
});

describe('switches and tasks', () => {
  it('flags each rule a batch turns OFF, nothing a batch turns ON', () => {
    expect(reviewSwitch('ON', ['a', 'b'])).toEqual(NOT_WEAKENING);
    expect(reviewSwitch('OFF', [])).toEqual(NOT_WEAKENING);
  });

  it('flags a task switched off from on or from an unreadable switch, nothing else', () => {
    expect(reviewTask('audit', undefined, false)).toEqual({ weakening: true, reasons: ['audit summary task switched off'] });
    expect(reviewTask('audit', false, false)).toEqual(NOT_WEAKENING);
    expect(reviewTask('risk', true, true)).toEqual(NOT_WEAKENING);
    expect(reviewTask('risk', undefined, true)).toEqual(NOT_WEAKENING);
  });
});

describe('exception_ips', () => {
  it('names every address range newly exempt', () => {
    expect(reviewExceptionIps(['10.0.0.1'], ['10.0.0.1', '10.0.0.2', '10.0.0.3'])).toEqual({ weakening: true, reasons: ['exception_ips now exempt 10.0.0.2, 10.0.0.3'] });
  });
});
