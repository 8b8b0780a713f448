import { describe, expect, it } from 'vitest';
import type { ReadableRuleSpec } from '../../src/domain.js';
import { COMPARED_FIELDS, DEFAULT_THRESHOLD, differingFields, normaliseIps, normaliseRule, normaliseSchemas } from '../../src/plan/normalise.js';
import { rule } from './builders.js';

/**
 * The comparable form of each field, and differingFields against it: spelling, order and
 * defaults never differ; a real change in any field always does (else the planner skips an
 * update), whatever the other field values are.
 */

const { source: _s, exceptionIps: _e, ...base } = rule('r');
const spec = (over: Record<string, unknown>): ReadableRuleSpec => ({ ...base, ...over }) as unknown as ReadableRuleSpec;

describe('normaliseRule', () => {
  it('spells every compared field one way', () => {
    expect(
      normaliseRule(
        spec({
          riskLevel: 'medium',
          status: 'off',
          actions: [' grant ', 'REVOKE', 'grant'],
          affectRows: { symbol: 'less', value: '12' },
          executionTime: undefined,
          dbIds: [' b ', 'a', 'b'],
          clientIps: ['2001:DB8::1', '10.0.0.1', '10.0.0.1'],
          schemas: [{ schema: 'b' }, { schema: 'a', table: 't' }, {}, { schema: 'b', table: '' }],
          ignoreCase: 1,
        }),
      ),
    ).toEqual({
      name: 'r',
      riskLevel: 'MEDIUM',
      status: 'OFF',
      actions: ['GRANT', 'REVOKE'],
      affectRows: { symbol: 'LESS', value: 12 },
      executionTime: DEFAULT_THRESHOLD,
      dbIds: ['a', 'b'],
      clientIps: ['10.0.0.1', '2001:db8::1'],
      schemas: [
        { schema: 'a', table: 't', column: '' },
        { schema: 'b', table: '', column: '' },
      ],
      ignoreCase: false,
    });
  });

  it('reads absent lists as empty', () => {
    const n = normaliseRule(spec({ actions: undefined, dbIds: undefined, clientIps: undefined, schemas: undefined }));
    expect([n.actions, n.dbIds, n.clientIps, n.schemas]).toEqual([[], [], [], []]);
    expect(normaliseIps(undefined)).toEqual([]);
    expect(normaliseSchemas(undefined)).toEqual([]);
  });

  it('keeps schema entries that name only a table or only a column', () => {
    expect(normaliseSchemas([{ table: 't' }, { column: 'c' }, { schema: '', table: '', column: '' }])).toEqual([
      { schema: '', table: '', column: 'c' },
      { schema: '', table: 't', column: '' },
    ]);
  });

  it('tells schema entries apart by each part', () => {
    expect(normaliseSchemas([{ schema: 'a', table: 'b' }, { schema: 'ab' }, { schema: 'a', column: 'b' }])).toHaveLength(3);
  });

  it('compares fields in display order', () => {
    expect(COMPARED_FIELDS).toEqual(['riskLevel', 'status', 'actions', 'affectRows', 'executionTime', 'dbIds', 'clientIps', 'schemas', 'ignoreCase']);
  });
});

describe('differingFields', () => {
  it.each<[string, Record<string, unknown>, Record<string, unknown>, string[]]>([
    ['a list entry added at the end', { actions: ['GRANT'] }, { actions: ['GRANT', 'REVOKE'] }, ['actions']],
    ['a list entry removed from the end', { dbIds: ['a', 'b'] }, { dbIds: ['a'] }, ['dbIds']],
    ['a list becoming empty', { dbIds: ['a'] }, { dbIds: [] }, ['dbIds']],
    ['an empty list filled', { clientIps: [] }, { clientIps: ['10.0.0.1'] }, ['clientIps']],
    ['an absent list filled', { clientIps: undefined }, { clientIps: ['10.0.0.1'] }, ['clientIps']],
    ['an absent threshold set', { affectRows: undefined }, { affectRows: { symbol: 'GREATER', value: 1 } }, ['affectRows']],
    ['a threshold read as null and another one', { affectRows: null }, { affectRows: { symbol: 'GREATER', value: 1 } }, ['affectRows']],
    ['a threshold read without its value', { affectRows: { symbol: 'GREATER_EQUAL' } }, { affectRows: { symbol: 'GREATER_EQUAL', value: 0 } }, ['affectRows']],
    ['a threshold unset', { executionTime: { symbol: 'GREATER', value: 1 } }, { executionTime: undefined }, ['executionTime']],
    ['a threshold value only', { affectRows: { symbol: 'GREATER', value: 1 } }, { affectRows: { symbol: 'GREATER', value: 2 } }, ['affectRows']],
    ['a threshold symbol only', { affectRows: { symbol: 'GREATER', value: 1 } }, { affectRows: { symbol: 'LESS', value: 1 } }, ['affectRows']],
    ['an absent ignore_case set', { ignoreCase: undefined }, { ignoreCase: true }, ['ignoreCase']],
    ['ignore_case cleared', { ignoreCase: true }, { ignoreCase: false }, ['ignoreCase']],
    ['a schema part', { schemas: [{ schema: 'a', table: 't' }] }, { schemas: [{ schema: 'a', table: 'u' }] }, ['schemas']],
    ['a schema entry added', { schemas: [{ schema: 'a' }] }, { schemas: [{ schema: 'a' }, { schema: 'b' }] }, ['schemas']],
    ['a status', { status: 'ON' }, { status: 'OFF' }, ['status']],
    ['a risk level', { riskLevel: 'HIGH' }, { riskLevel: 'LOW' }, ['riskLevel']],
    ['several fields, in display order', { ignoreCase: true, riskLevel: 'LOW', dbIds: ['x'] }, { ignoreCase: false, riskLevel: 'HIGH', dbIds: [] }, ['riskLevel', 'dbIds', 'ignoreCase']],
  ])('finds %s', (_what, live, want, fields) => {
    expect(differingFields(spec(live), spec(want))).toEqual(fields);
    expect(differingFields(spec(want), spec(live))).toEqual(fields);
  });

  it.each<[string, Record<string, unknown>, Record<string, unknown>]>([
    ['an absent list and an empty one', { dbIds: undefined, clientIps: undefined, schemas: undefined }, { dbIds: [], clientIps: [], schemas: [] }],
    ['an absent threshold and the default', { affectRows: undefined, executionTime: undefined }, { affectRows: { symbol: 'GREATER_EQUAL', value: 0 }, executionTime: { symbol: 'GREATER_EQUAL', value: 0 } }],
    ['a threshold read as null and the default', { affectRows: null, executionTime: null }, { affectRows: { symbol: 'GREATER_EQUAL', value: 0 }, executionTime: { symbol: 'GREATER_EQUAL', value: 0 } }],
    ['an absent ignore_case and false', { ignoreCase: undefined }, { ignoreCase: false }],
    ['a threshold spelled in another case, its value as text', { affectRows: { symbol: 'greater', value: '5' } }, { affectRows: { symbol: 'GREATER', value: 5 } }],
    ['lists in another order', { dbIds: ['b', 'a'], schemas: [{ schema: 'b' }, { schema: 'a', table: 't' }] }, { dbIds: ['a', 'b'], schemas: [{ schema: 'a', table: 't' }, { schema: 'b' }] }],
    ['a schema entry with empty parts spelled out', { schemas: [{ schema: 'a', table: '', column: '' }] }, { schemas: [{ schema: 'a' }] }],
    ['db ids with blanks around them', { dbIds: [' a'] }, { dbIds: ['a '] }],
    ['the same values in separate objects', { affectRows: { symbol: 'LESS', value: 3 }, schemas: [{ schema: 's' }] }, { affectRows: { symbol: 'LESS', value: 3 }, schemas: [{ schema: 's' }] }],
  ])('finds nothing for %s', (_what, live, want) => {
    expect(differingFields(spec(live), spec(want))).toEqual([]);
    expect(differingFields(spec(want), spec(live))).toEqual([]);
  });

  it('ignores anything beside the symbol and value of a threshold', () => {
    const odd = { affectRows: { symbol: 'GREATER', value: 1, unit: 'rows' } };
    expect(differingFields(spec(odd), spec({ affectRows: { symbol: 'GREATER', value: 1 } }))).toEqual([]);
  });
});
