import { describe, expect, it } from 'vitest';
import { FIELD_LABELS, formatList, formatSchema, formatThreshold, formatValue, listEntries } from '../../src/plan/field-format.js';

/** How rule values are spelled in plan reasons and renderers: the policy's own words. */

describe('FIELD_LABELS', () => {
  it('are the policy / wire field names reviewers know', () => {
    expect(FIELD_LABELS).toEqual({
      name: 'rule_name',
      riskLevel: 'risk_level',
      status: 'status',
      actions: 'actions',
      affectRows: 'affect_rows',
      executionTime: 'execution_time',
      dbIds: 'db_ids',
      clientIps: 'client_ips',
      exceptionIps: 'exception_ips',
      schemas: 'schemas',
      ignoreCase: 'ignore_case',
    });
  });
});

describe('formatSchema', () => {
  it.each([
    [{}, '*'],
    [{ schema: '', table: '', column: '' }, '*'],
    [{ schema: 'finance' }, 'finance'],
    [{ schema: 'finance', table: 'ledger' }, 'finance.ledger'],
    [{ schema: 'finance', table: 'ledger', column: 'pan' }, 'finance.ledger.pan'],
    [{ table: 'ledger' }, '*.ledger'],
    [{ column: 'pan' }, '*.*.pan'],
    [{ schema: 'finance', column: 'pan' }, 'finance.*.pan'],
    [{ schema: 'finance', table: '', column: '' }, 'finance'],
  ])('%j is %s', (target, text) => {
    expect(formatSchema(target)).toBe(text);
  });
});

describe('formatThreshold and formatList', () => {
  it('spell a threshold as SYMBOL value and a list in brackets', () => {
    expect(formatThreshold({ symbol: 'GREATER', value: 1000 })).toBe('GREATER 1000');
    expect(formatList(['a', 'b'])).toBe('[a, b]');
    expect(formatList([])).toBe('[]');
  });
});

describe('listEntries', () => {
  it('gives one display entry per list element, schema targets spelled as paths', () => {
    expect(listEntries('schemas', [{ schema: 'f', table: 't' }, { column: 'c' }])).toEqual(['f.t', '*.*.c']);
    expect(listEntries('actions', ['SELECT', 'DELETE'])).toEqual(['SELECT', 'DELETE']);
    expect(listEntries('clientIps', [])).toEqual([]);
  });

  it('gives nothing for a value that is not a list', () => {
    expect(listEntries('riskLevel', 'HIGH')).toBeUndefined();
    expect(listEntries('affectRows', { symbol: 'GREATER', value: 1 })).toBeUndefined();
    expect(listEntries('schemas', undefined)).toBeUndefined();
  });
});

describe('formatValue', () => {
  it.each<[Parameters<typeof formatValue>[0], unknown, string]>([
    ['schemas', [{ schema: 'f' }, { table: 't' }], '[f, *.t]'],
    ['dbIds', ['a', 'b'], '[a, b]'],
    ['actions', [], '[]'],
    ['affectRows', { symbol: 'LESS', value: 5 }, 'LESS 5'],
    ['riskLevel', 'HIGH', 'HIGH'],
    ['ignoreCase', false, 'false'],
    ['name', undefined, 'undefined'],
    ['name', null, 'null'],
    // Only an object with both parts reads as a threshold.
    ['affectRows', { symbol: 'LESS' }, '[object Object]'],
    ['affectRows', { value: 5 }, '[object Object]'],
  ])('%s %j is %s', (field, value, text) => {
    expect(formatValue(field, value)).toBe(text);
  });
});
