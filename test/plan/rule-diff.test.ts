import { describe, expect, it } from 'vitest';
import type { ReadableRuleSpec, Threshold } from '../../src/domain.js';
import { WRITE_ONLY_NOTE, diffRule, readableSpec, ruleSpec } from '../../src/plan/rule-diff.js';
import type { DesiredRiskRule } from '../../src/policy/types.js';
import { rule } from './builders.js';

/**
 * What one declared rule that exists live needs: nothing, a switch, or a full update naming the
 * fields that differ. A missed difference is a skipped update (the policy is not enforced); a
 * spurious one is an update on every run (the plan never converges).
 */

const { source: _s, exceptionIps: _e, ...liveBase } = rule('r');
const th = (symbol: Threshold['symbol'], value: number): Threshold => ({ symbol, value });
const diff = (live: Partial<ReadableRuleSpec>, want: Partial<DesiredRiskRule>, reassert = false) =>
  diffRule({ ...liveBase, ...live }, rule('r', want), reassert);

describe('diffRule', () => {
  it('needs nothing when live and declared agree', () => {
    expect(diff({}, {})).toEqual({ kind: 'same' });
  });

  it.each<[string, Partial<ReadableRuleSpec>, Partial<DesiredRiskRule>, string]>([
    ['affect_rows changed away from its default', {}, { affectRows: th('GREATER', 100) }, 'affectRows'],
    ['execution_time changed away from its default', {}, { executionTime: th('GREATER_EQUAL', 1) }, 'executionTime'],
    ['ignore_case changed away from its default', {}, { ignoreCase: true }, 'ignoreCase'],
    ['db_ids changed away from "all"', {}, { dbIds: ['db1'] }, 'dbIds'],
    ['client_ips changed away from "any"', {}, { clientIps: ['10.0.0.1'] }, 'clientIps'],
    ['schemas changed away from "any"', {}, { schemas: [{ schema: 'f' }] }, 'schemas'],
    ['actions changed to "any"', {}, { actions: [] }, 'actions'],
    ['an action added that sorts after the existing ones', { actions: ['GRANT'] }, { actions: ['GRANT', 'REVOKE'] }, 'actions'],
    ['an action added that sorts before the existing ones', { actions: ['REVOKE'] }, { actions: ['GRANT', 'REVOKE'] }, 'actions'],
    ['an action removed from the end', { actions: ['GRANT', 'REVOKE'] }, { actions: ['GRANT'] }, 'actions'],
    ['a database added at the end', { dbIds: ['a'] }, { dbIds: ['a', 'b'] }, 'dbIds'],
    ['a client added at the end', { clientIps: ['10.0.0.1'] }, { clientIps: ['10.0.0.1', '10.0.0.2'] }, 'clientIps'],
    ['a schema target added at the end', { schemas: [{ schema: 'a' }] }, { schemas: [{ schema: 'a' }, { schema: 'b' }] }, 'schemas'],
    ['a schema target narrowed by a column', { schemas: [{ schema: 'a', table: 't' }] }, { schemas: [{ schema: 'a', table: 't', column: 'c' }] }, 'schemas'],
    ['a threshold value', { affectRows: th('GREATER', 1) }, { affectRows: th('GREATER', 2) }, 'affectRows'],
    ['a threshold symbol', { executionTime: th('GREATER', 1) }, { executionTime: th('LESS', 1) }, 'executionTime'],
    ['a threshold back to the default', { affectRows: th('GREATER', 1) }, { affectRows: th('GREATER_EQUAL', 0) }, 'affectRows'],
    ['ignore_case back to the default', { ignoreCase: true }, { ignoreCase: false }, 'ignoreCase'],
    ['the risk level', { riskLevel: 'LOW' }, { riskLevel: 'HIGH' }, 'riskLevel'],
  ])('plans an update for %s', (_what, live, want, field) => {
    const outcome = diff(live, want);
    expect(outcome.kind).toBe('update');
    expect(outcome.kind === 'update' && outcome.fields.map((f) => f.field)).toEqual([field]);
  });

  it('carries the live and declared values of each differing field', () => {
    expect(diff({ riskLevel: 'LOW', affectRows: th('GREATER', 1) }, { riskLevel: 'HIGH', affectRows: th('GREATER', 2) })).toEqual({
      kind: 'update',
      fields: [
        { field: 'riskLevel', before: 'LOW', after: 'HIGH' },
        { field: 'affectRows', before: th('GREATER', 1), after: th('GREATER', 2) },
      ],
    });
  });

  it('treats absent live values as their defaults', () => {
    const bare = { name: 'r', riskLevel: 'HIGH', status: 'ON', actions: ['SELECT'] } as unknown as ReadableRuleSpec;
    expect(diffRule(bare, rule('r'), false)).toEqual({ kind: 'same' });
  });

  it('makes a status-only difference a switch, and a status with content an update', () => {
    expect(diff({ status: 'OFF' }, { status: 'ON' })).toEqual({ kind: 'switch', status: 'ON' });
    expect(diff({ status: 'ON' }, { status: 'OFF' })).toEqual({ kind: 'switch', status: 'OFF' });
    expect(diff({ status: 'ON', dbIds: ['a'] }, { status: 'OFF' })).toEqual({
      kind: 'update',
      fields: [
        { field: 'status', before: 'ON', after: 'OFF' },
        { field: 'dbIds', before: ['a'], after: [] },
      ],
    });
  });

  it('notes declared exception IPs it cannot check, on a rule otherwise the same or only switched', () => {
    expect(diff({}, { exceptionIps: ['10.0.0.9'] })).toEqual({ kind: 'same', note: WRITE_ONLY_NOTE });
    expect(diff({ status: 'OFF' }, { exceptionIps: ['10.0.0.9'] })).toEqual({ kind: 'switch', status: 'ON', note: WRITE_ONLY_NOTE });
  });

  it('re-sends exception IPs only when asked, or with an update that happens anyway', () => {
    expect(diff({}, { exceptionIps: ['10.0.0.9'] }, true)).toEqual({ kind: 'update', fields: [{ field: 'exceptionIps', after: ['10.0.0.9'], writeOnly: true }] });
    expect(diff({}, {}, true)).toEqual({ kind: 'same' });
    expect(diff({ riskLevel: 'LOW' }, { exceptionIps: ['10.0.0.9'] })).toEqual({
      kind: 'update',
      fields: [
        { field: 'riskLevel', before: 'LOW', after: 'HIGH' },
        { field: 'exceptionIps', after: ['10.0.0.9'], writeOnly: true },
      ],
    });
  });
});

describe('readableSpec', () => {
  it('is the readable content in a fixed key order, absent values as their defaults', () => {
    const shown = readableSpec({ name: 'r', riskLevel: 'HIGH', status: 'OFF' } as ReadableRuleSpec);
    expect(shown).toEqual({
      name: 'r',
      riskLevel: 'HIGH',
      status: 'OFF',
      actions: [],
      affectRows: { symbol: 'GREATER_EQUAL', value: 0 },
      executionTime: { symbol: 'GREATER_EQUAL', value: 0 },
      dbIds: [],
      clientIps: [],
      schemas: [],
      ignoreCase: false,
    });
    expect(Object.keys(shown)).toEqual(['name', 'riskLevel', 'status', 'actions', 'affectRows', 'executionTime', 'dbIds', 'clientIps', 'schemas', 'ignoreCase']);
  });

  it('keeps what was read, drops what is not content (id, rank) and absent schema parts', () => {
    const detail = {
      ...liveBase,
      id: 'id-r',
      rank: 7,
      actions: ['GRANT'],
      dbIds: ['d'],
      clientIps: ['10.0.0.1'],
      affectRows: { symbol: 'LESS', value: 3, extra: 1 },
      executionTime: th('GREATER', 9),
      schemas: [{ schema: 'f', table: null, column: undefined }, { table: 't' }, { column: 'c' }],
      ignoreCase: true,
    } as unknown as ReadableRuleSpec;
    const shown = readableSpec(detail);
    expect(shown).toEqual({
      name: 'r',
      riskLevel: 'HIGH',
      status: 'ON',
      actions: ['GRANT'],
      affectRows: th('LESS', 3),
      executionTime: th('GREATER', 9),
      dbIds: ['d'],
      clientIps: ['10.0.0.1'],
      schemas: [{ schema: 'f' }, { table: 't' }, { column: 'c' }],
      ignoreCase: true,
    });
    expect(shown.schemas.map((x) => Object.keys(x))).toEqual([['schema'], ['table'], ['column']]);
    expect(shown.actions).not.toBe(detail.actions);
  });

  it('reads only a true ignore_case as true', () => {
    expect(readableSpec({ ...liveBase, ignoreCase: 'true' as never }).ignoreCase).toBe(false);
  });
});

describe('ruleSpec', () => {
  it('is the full content to send in a fixed key order, without the source location', () => {
    const r = rule('r', { clientIps: ['10.0.0.1'], exceptionIps: ['10.0.0.9'], schemas: [{ schema: 'f', table: 't', column: 'c' }], dbIds: ['d'], ignoreCase: true });
    const sent = ruleSpec(r);
    expect(sent).toEqual({
      name: 'r',
      riskLevel: 'HIGH',
      status: 'ON',
      actions: ['SELECT'],
      affectRows: th('GREATER_EQUAL', 0),
      executionTime: th('GREATER_EQUAL', 0),
      dbIds: ['d'],
      clientIps: ['10.0.0.1'],
      exceptionIps: ['10.0.0.9'],
      schemas: [{ schema: 'f', table: 't', column: 'c' }],
      ignoreCase: true,
    });
    expect(Object.keys(sent)).toEqual(['name', 'riskLevel', 'status', 'actions', 'affectRows', 'executionTime', 'dbIds', 'clientIps', 'exceptionIps', 'schemas', 'ignoreCase']);
    expect(sent.clientIps).not.toBe(r.clientIps);
  });

  it('sends the default threshold for one not declared', () => {
    const r = { ...rule('r'), affectRows: undefined, executionTime: undefined } as unknown as DesiredRiskRule;
    expect(ruleSpec(r).affectRows).toEqual(th('GREATER_EQUAL', 0));
    expect(ruleSpec(r).executionTime).toEqual(th('GREATER_EQUAL', 0));
  });
});
