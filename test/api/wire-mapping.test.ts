import { describe, expect, it } from 'vitest';
import type { RiskRuleSpec } from '../../src/domain.js';
import { STATUS_NOT_GIVEN } from '../../src/api/types.js';
import { instancesPage, ruleDetail, ruleRequestBody, rulesPage, summaryTask } from '../../src/api/wire.js';
import { fail, refusal } from './helpers/refusal.js';

/**
 * Wire ⇄ domain mapping (src/api/wire.ts) field by field: which spellings each field accepts,
 * what an absent field reads as, and the exact refusal for what cannot be read. The shapes are
 * those of the API reference §2-§4; test/api/wire.test.ts holds the documented answers whole.
 */

describe('instancesPage', () => {
  it('reads the Node.js SDK shape under "instances", with its instance_id', () => {
    expect(instancesPage({ instances: [{ instance_id: 'i1', name: 'n', status: 'ACTIVE' }], total: 1 }, fail)).toEqual({
      items: [{ id: 'i1', name: 'n', status: 'ACTIVE' }],
      total: 1,
    });
  });

  it('prefers each shape\'s own id key and falls back to the other one', () => {
    expect(instancesPage({ servers: [{ id: 'a', instance_id: 'b' }, { instance_id: 'c' }] }, fail).items.map((i) => i.id)).toEqual(['a', 'c']);
    expect(instancesPage({ instances: [{ id: 'a', instance_id: 'b' }, { id: 'c' }] }, fail).items.map((i) => i.id)).toEqual(['b', 'c']);
  });

  it('reads "servers" when both lists are present, and camelCase spellings', () => {
    expect(instancesPage({ servers: [{ id: 's' }], instances: [{ instance_id: 'i' }] }, fail).items.map((i) => i.id)).toEqual(['s']);
    expect(instancesPage({ instances: [{ instanceId: 'c' }] }, fail).items.map((i) => i.id)).toEqual(['c']);
  });

  it('reads an absent name as "" and an absent status as not given, and no total as undefined', () => {
    expect(instancesPage({ servers: [{ id: 'a' }] }, fail)).toEqual({ items: [{ id: 'a', name: '', status: STATUS_NOT_GIVEN }], total: undefined });
  });

  it('reads an empty list as no instances, and refuses a list that is not one', () => {
    expect(instancesPage({ instances: [], total: 0 }, fail)).toEqual({ items: [], total: 0 });
    expect(refusal(() => instancesPage({ servers: null, instances: 'x' }, fail))).toBe('instances: expected a list, got "x"');
    expect(refusal(() => instancesPage({ servers: {} }, fail))).toBe('servers: expected a list, got {}');
  });
});

describe('rulesPage', () => {
  const item = { id: 'r1', name: 'n', type: 'OPERATE', status: 'ON' };

  // Without `rules` the planner would see "no rules" and create every declared rule again.
  it('refuses an answer without rules, however it is spelled', () => {
    expect(refusal(() => rulesPage({ total: 3, customize_total: 1 }, fail))).toBe('rules: expected a list, got nothing');
    expect(refusal(() => rulesPage({ rules: null, total: 0 }, fail))).toBe('rules: expected a list, got nothing');
    expect(refusal(() => rulesPage({ rules: {}, total: 0 }, fail))).toBe('rules: expected a list, got {}');
    expect(refusal(() => rulesPage({}, fail))).toBe('rules: expected a list, got nothing');
  });

  it('reads an empty rules list as no rules, with its totals', () => {
    expect(rulesPage({ rules: [], total: 0, customize_total: 0 }, fail)).toEqual({ items: [], total: 0, customizeTotal: 0 });
    expect(rulesPage({ rules: [] }, fail)).toEqual({ items: [], total: undefined });
    expect(rulesPage({ rules: [], customize_total: null }, fail)).not.toHaveProperty('customizeTotal');
  });

  it('leaves rank, risk level and feature out when absent, null or empty', () => {
    const page = rulesPage({ rules: [{ ...item, rank: null, risk_level: '', feature: '' }, { ...item, id: 'r2', risk_level: null }] }, fail);
    expect(page.items).toEqual([
      { id: 'r1', name: 'n', ruleType: 'UNKNOWN', status: 'ON' },
      { id: 'r2', name: 'n', ruleType: 'UNKNOWN', status: 'ON' },
    ]);
    expect(Object.keys(page.items[0]!).sort()).toEqual(['id', 'name', 'ruleType', 'status']);
  });

  it('keeps rank 0 and reads camelCase totals and fields', () => {
    expect(rulesPage({ rules: [{ ...item, rank: 0, riskLevel: 'low', ruleType: 'system' }], total: '1', customizeTotal: '0' }, fail)).toEqual({
      items: [{ id: 'r1', name: 'n', ruleType: 'SYSTEM', status: 'ON', rank: 0, riskLevel: 'LOW' }],
      total: 1,
      customizeTotal: 0,
    });
  });

  it('reads rule_type with blanks and in any case', () => {
    const types = [' customize ', 'System', 7].map((rule_type, i) => ({ ...item, id: `r${i}`, rule_type }));
    expect(rulesPage({ rules: types }, fail).items.map((r) => r.ruleType)).toEqual(['CUSTOMIZE', 'SYSTEM', 'OTHER']);
  });

  it.each<[string, Record<string, unknown>, string, Record<string, unknown>]>([
    ['no id', { name: 'n', status: 'ON' }, 'rules[0].id: expected a non-empty string, got nothing', {}],
    ['no name', { id: 'r', status: 'ON' }, 'rules[0].name: expected a non-empty string, got nothing', {}],
    ['no status', { id: 'r', name: 'n' }, 'rules[0].status: expected a non-empty string, got nothing', {}],
    ['an unknown status', { id: 'r', name: 'n', status: 'MAYBE' }, 'rules[0].status: expected ON or OFF, got "MAYBE"', {}],
    ['a non-integer customize_total', { id: 'r', name: 'n', status: 'ON' }, 'customize_total: expected an integer, got "x"', { customize_total: 'x' }],
    ['a non-integer total', { id: 'r', name: 'n', status: 'ON' }, 'total: expected an integer, got "x"', { total: 'x' }],
  ])('refuses %s, naming the field', (_, rule, message, extra) => {
    expect(refusal(() => rulesPage({ rules: [rule], ...extra }, fail))).toBe(message);
  });
});

describe('risk levels, switches and comparisons in every spelling seen', () => {
  const level = (risk_level: unknown): unknown => rulesPage({ rules: [{ id: 'r', name: 'n', status: 'ON', risk_level }] }, fail).items[0]!.riskLevel;

  it.each([
    ['HIGH', 'HIGH'],
    [' high ', 'HIGH'],
    ['Moderate', 'MEDIUM'],
    ['MEDIUM', 'MEDIUM'],
    ['low', 'LOW'],
    ['No Risk', 'NO_RISK'],
    ['no-risk', 'NO_RISK'],
    ['NO  RISK', 'NO_RISK'],
    ['No - Risk', 'NO_RISK'],
    ['NoRisk', 'NO_RISK'],
    ['NO_RISK', 'NO_RISK'],
  ])('risk level %j reads as %s', (raw, expected) => {
    expect(level(raw)).toBe(expected);
  });

  it.each(['SEVERE', 'NO RISK AT ALL', 'N O_RISK', 'MODERATELY'])('refuses risk level %j', (raw) => {
    expect(refusal(() => level(raw))).toBe(`rules[0].risk_level: expected LOW, MEDIUM, HIGH or NO_RISK, got ${JSON.stringify(raw)}`);
  });

  it('reads a status with blanks and in any case', () => {
    const statuses = [' on ', 'Off', 'OFF'].map((status, i) => ({ id: `r${i}`, name: 'n', status }));
    expect(rulesPage({ rules: statuses }, fail).items.map((r) => r.status)).toEqual(['ON', 'OFF', 'OFF']);
  });

  it('reads a comparison with blanks and in any case, and names every allowed one when refusing', () => {
    const d = ruleDetail({ affect_symbol: ' greater_equal ', execution_symbol: 'Less' }, 'r', fail);
    expect(d.affectRows.symbol).toBe('GREATER_EQUAL');
    expect(d.executionTime.symbol).toBe('LESS');
    expect(refusal(() => ruleDetail({ execution_symbol: 'ABOUT' }, 'r', fail))).toBe(
      'execution_symbol: expected GREATER, EQUAL, LESS, GREATER_EQUAL, LESS_EQUAL, NO_MATCH, got "ABOUT"',
    );
  });
});

describe('ruleDetail', () => {
  it('reads an empty answer as the requested rule with every default', () => {
    expect(ruleDetail({}, 'asked', fail)).toEqual({
      id: 'asked',
      actions: [],
      affectRows: { symbol: 'GREATER_EQUAL', value: 0 },
      executionTime: { symbol: 'GREATER_EQUAL', value: 0 },
      dbIds: [],
      clientIps: [],
      schemas: [],
      ignoreCase: false,
    });
  });

  it('reads the id and name under their v2 names first, then the list names', () => {
    expect(ruleDetail({ rule_id: 'a', id: 'b', rule_name: 'x', name: 'y' }, 'asked', fail)).toMatchObject({ id: 'a', name: 'x' });
    expect(ruleDetail({ id: 'b', name: 'y' }, 'asked', fail)).toMatchObject({ id: 'b', name: 'y' });
    expect(ruleDetail({ rule_id: '', rule_name: '' }, 'asked', fail)).not.toHaveProperty('name');
    expect(ruleDetail({ rule_id: '', rule_name: '' }, 'asked', fail).id).toBe('asked');
  });

  it('leaves out an absent, null or empty status, level and rank, and keeps present ones', () => {
    const bare = ruleDetail({ status: '', risk_level: null, rank: '' }, 'r', fail);
    expect(Object.keys(bare)).not.toEqual(expect.arrayContaining(['status']));
    expect(bare).not.toHaveProperty('riskLevel');
    expect(bare).not.toHaveProperty('rank');
    expect(ruleDetail({ status: 'off', risk_level: 'no risk', rank: 0 }, 'r', fail)).toMatchObject({ status: 'OFF', riskLevel: 'NO_RISK', rank: 0 });
    expect(ruleDetail({ status: null }, 'r', fail)).not.toHaveProperty('status');
  });

  it('refuses a status it cannot read', () => {
    expect(refusal(() => ruleDetail({ status: 'enabled' }, 'r', fail))).toBe('status: expected ON or OFF, got "enabled"');
  });

  it.each([
    ['absent', {}, []],
    ['empty', { action: '' }, []],
    ['OPERATE ALL', { action: 'OPERATE ALL' }, []],
    ['a list', { action: ['DELETE', 'INSERT'] }, ['DELETE', 'INSERT']],
  ])('reads action %s', (_, answer, actions) => {
    expect(ruleDetail(answer, 'r', fail).actions).toEqual(actions);
  });

  it('reads a threshold symbol without a value as that symbol with 0, and a value without a symbol with GREATER_EQUAL', () => {
    expect(ruleDetail({ affect_symbol: 'LESS', execution_time: '30' }, 'r', fail)).toMatchObject({
      affectRows: { symbol: 'LESS', value: 0 },
      executionTime: { symbol: 'GREATER_EQUAL', value: 30 },
    });
  });

  it('refuses a threshold value that is not an integer, and an empty symbol', () => {
    expect(refusal(() => ruleDetail({ affect_rows: 'many' }, 'r', fail))).toBe('affect_rows: expected an integer, got "many"');
    expect(refusal(() => ruleDetail({ affect_symbol: '' }, 'r', fail))).toBe('affect_symbol: expected a non-empty string, got ""');
  });

  it('reads db_ids, client_ips, schemas and ignore_case in their other spellings', () => {
    expect(
      ruleDetail({ dbIds: 'd1, d2', clientIps: ['10.0.0.1'], schemas: [{ schema: 'db', table: 't', column: 'c' }, {}], ignoreCase: 'true' }, 'r', fail),
    ).toMatchObject({ dbIds: ['d1', 'd2'], clientIps: ['10.0.0.1'], schemas: [{ schema: 'db', table: 't', column: 'c' }, {}], ignoreCase: true });
  });

  it('refuses schemas that are not a list of objects, naming the item', () => {
    expect(refusal(() => ruleDetail({ schemas: 'db' }, 'r', fail))).toBe('schemas: expected a list, got "db"');
    expect(refusal(() => ruleDetail({ schemas: [{ schema: 'db' }, 'db'] }, 'r', fail))).toBe('schemas[1]: expected an object, got "db"');
  });
});

describe('summaryTask', () => {
  it.each([
    ['on', true, 'on'],
    [' ON ', true, ' ON '],
    ['Off', false, 'Off'],
    ['true', true, 'true'],
    ['FALSE', false, 'FALSE'],
    ['1', true, '1'],
    ['0', false, '0'],
    [true, true, 'true'],
    [false, false, 'false'],
    [1, true, '1'],
    [0, false, '0'],
    [2, undefined, '2'],
    ['', undefined, ''],
  ])('task_switch %j reads as %s (shown as %j)', (task_switch, enabled, switchText) => {
    expect(summaryTask({ task_switch }, 'risk', fail)).toEqual({ busiType: 'risk', enabled, switchText, status: 'unknown' });
  });

  it('reads a task_switch that is an object or list as unknown, shown as JSON', () => {
    expect(summaryTask({ task_switch: { on: true } }, 'risk', fail)).toEqual({ busiType: 'risk', enabled: undefined, switchText: '{"on":true}', status: 'unknown' });
    expect(summaryTask({ task_switch: ['on'] }, 'audit', fail)).toEqual({ busiType: 'audit', enabled: undefined, switchText: '["on"]', status: 'unknown' });
  });

  it('leaves switchText out when there is no task_switch, and reads camelCase', () => {
    expect(summaryTask({}, 'risk', fail)).toEqual({ busiType: 'risk', enabled: undefined, status: 'unknown' });
    expect(summaryTask({ task_switch: null }, 'risk', fail)).not.toHaveProperty('switchText');
    expect(summaryTask({ taskSwitch: 'on', taskStatus: 0 }, 'risk', fail)).toEqual({ busiType: 'risk', enabled: true, switchText: 'on', status: 'ready' });
  });

  it.each([
    ['0', 'ready'],
    [0, 'ready'],
    ['1', 'running'],
    ['2', 'succeeded'],
    [3, 'failed'],
    ['3', 'failed'],
    ['RUNNING', 'RUNNING'],
    [true, 'unknown'],
    [{ code: 1 }, 'unknown'],
  ])('task_status %j reads as %s', (task_status, status) => {
    expect(summaryTask({ task_status }, 'risk', fail).status).toBe(status);
  });

  it('refuses an answer that is not an object', () => {
    expect(refusal(() => summaryTask([], 'risk', fail))).toBe('answer: expected an object, got []');
  });
});

describe('ruleRequestBody', () => {
  const spec: RiskRuleSpec = {
    name: 'n',
    riskLevel: 'LOW',
    status: 'OFF',
    actions: ['DELETE'],
    affectRows: { symbol: 'LESS', value: 5 },
    executionTime: { symbol: 'EQUAL', value: 7 },
    dbIds: ['d1', 'd2'],
    clientIps: [],
    exceptionIps: [],
    schemas: [{ schema: 's', table: 't', column: 'c' }, { column: 'only' }],
    ignoreCase: true,
  };

  it('sends db_ids comma-joined, single-item lists as they are, and every schema field given', () => {
    expect(ruleRequestBody(spec)).toEqual({
      rule_name: 'n',
      risk_level: 'LOW',
      status: 'OFF',
      action: 'DELETE',
      affect_symbol: 'LESS',
      affect_rows: 5,
      execution_symbol: 'EQUAL',
      execution_time: 7,
      db_ids: 'd1,d2',
      ignore_case: true,
      schemas: [{ schema: 's', table: 't', column: 'c' }, { column: 'only' }],
    });
  });

  it('leaves undefined schema fields out rather than sending them empty', () => {
    const body = ruleRequestBody({ ...spec, schemas: [{ table: 't' }] });
    expect(body['schemas']).toEqual([{ table: 't' }]);
    expect(Object.keys((body['schemas'] as object[])[0]!)).toEqual(['table']);
  });
});
