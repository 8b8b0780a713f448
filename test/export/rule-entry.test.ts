import { describe, expect, it } from 'vitest';
import type { ReadableRuleSpec } from '../../src/domain.js';
import { riskRuleEntry } from '../../src/export/rule-entry.js';

/** A live rule with every value at the policy default. */
function liveRule(overrides: Partial<ReadableRuleSpec> = {}): ReadableRuleSpec {
  return {
    name: 'r1',
    riskLevel: 'HIGH',
    status: 'ON',
    actions: [],
    affectRows: { symbol: 'GREATER_EQUAL', value: 0 },
    executionTime: { symbol: 'GREATER_EQUAL', value: 0 },
    dbIds: [],
    clientIps: [],
    schemas: [],
    ignoreCase: false,
    ...overrides,
  };
}

describe('riskRuleEntry', () => {
  it('writes only name and risk level for a rule at every default', () => {
    expect(riskRuleEntry(liveRule())).toEqual({ name: 'r1', risk_level: 'HIGH' });
  });

  it('writes every non-default value under its policy key, in the schema order', () => {
    const entry = riskRuleEntry(
      liveRule({
        status: 'OFF',
        actions: ['SELECT'],
        affectRows: { symbol: 'GREATER', value: 10 },
        executionTime: { symbol: 'GREATER_EQUAL', value: 5 },
        dbIds: ['db1'],
        clientIps: ['10.0.0.0/8'],
        schemas: [{ schema: 'hr', table: 't', column: 'c' }],
        ignoreCase: true,
      }),
    );
    expect(Object.keys(entry)).toEqual([
      'name',
      'risk_level',
      'status',
      'actions',
      'affect_rows',
      'execution_time',
      'db_ids',
      'client_ips',
      'schemas',
      'ignore_case',
    ]);
    expect(entry).toMatchObject({
      status: 'OFF',
      affect_rows: { symbol: 'GREATER', value: 10 },
      execution_time: { symbol: 'GREATER_EQUAL', value: 5 },
      ignore_case: true,
    });
  });

  it('keeps a threshold whose symbol or value alone differs from GREATER_EQUAL 0', () => {
    const entry = riskRuleEntry(liveRule({ affectRows: { symbol: 'NO_MATCH', value: 0 }, executionTime: { symbol: 'GREATER_EQUAL', value: 1 } }));
    expect(entry.affect_rows).toEqual({ symbol: 'NO_MATCH', value: 0 });
    expect(entry.execution_time).toEqual({ symbol: 'GREATER_EQUAL', value: 1 });
  });

  it('makes list entries unique as the schema requires, keeping the first spelling and the live order', () => {
    const entry = riskRuleEntry(
      liveRule({
        actions: ['select', 'DELETE', ' SELECT'],
        dbIds: ['b', 'a', 'b '],
        clientIps: ['2001:DB8::1', '10.0.0.0/8', '2001:db8:0::1', ' 10.0.0.0/8'],
      }),
    );
    expect(entry.actions).toEqual(['SELECT', 'DELETE']);
    expect(entry.db_ids).toEqual(['b', 'a']);
    expect(entry.client_ips).toEqual(['2001:DB8::1', '10.0.0.0/8']);
  });

  it('drops empty parts of target objects, and targets naming nothing or repeated', () => {
    const entry = riskRuleEntry(
      liveRule({ schemas: [{ schema: '', table: 't' }, {}, { schema: '', table: '', column: '' }, { table: 't' }, { column: 'c' }] }),
    );
    expect(entry.schemas).toEqual([{ table: 't' }, { column: 'c' }]);
  });

  it('never writes exception_ips: the API does not return it', () => {
    const withExceptions = { ...liveRule(), exceptionIps: ['10.0.0.5'] } as ReadableRuleSpec;
    expect(riskRuleEntry(withExceptions)).not.toHaveProperty('exception_ips');
  });
});
