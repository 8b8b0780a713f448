import { describe, expect, it } from 'vitest';
import type { RiskRuleSpec } from '../../src/domain.js';
import { instancesPage, ruleDetail, ruleRequestBody, rulesPage, summaryTask } from '../../src/api/wire.js';
import { fail } from './helpers/refusal.js';

describe('instances', () => {
  it('reads snake_case and camelCase answers alike', () => {
    const page = instancesPage(
      { servers: [{ id: 'a', name: 'n1', status: 'ACTIVE', charge_model: 'Period' }, { id: 'b', name: 'n2', status: 'SHUTOFF', chargeModel: 'Demand', remainDays: 3 }], total: '2' },
      fail,
    );
    expect(page).toEqual({ items: [{ id: 'a', name: 'n1', status: 'ACTIVE' }, { id: 'b', name: 'n2', status: 'SHUTOFF' }], total: 2 });
  });

  it('names what is missing', () => {
    expect(() => instancesPage({ total: 1 }, fail)).toThrow('servers: expected a list under "servers" or "instances", got nothing');
    expect(() => instancesPage({ servers: [{ name: 'x' }] }, fail)).toThrow('servers[0].id: expected a non-empty string (or instance_id), got nothing');
    expect(() => instancesPage({ instances: [{ name: 'x' }] }, fail)).toThrow('instances[0].instance_id: expected a non-empty string (or id), got nothing');
  });
});

describe('rule list items', () => {
  const item = { id: 'r1', name: 'n', type: 'OPERATE', feature: 'CLIENT[Any]', status: 'ON', rank: 3, risk_level: 'HIGH', rule_type: 'CUSTOMIZE' };

  it('maps the documented shape', () => {
    expect(rulesPage({ rules: [item], total: 1, customize_total: 1 }, fail)).toEqual({
      items: [{ id: 'r1', name: 'n', ruleType: 'CUSTOMIZE', status: 'ON', rank: 3, riskLevel: 'HIGH', feature: 'CLIENT[Any]' }],
      total: 1,
      customizeTotal: 1,
    });
  });

  it('leaves feature out when the list does not send it (the SDK marks it optional)', () => {
    const { feature: _, ...bare } = item;
    expect(rulesPage({ rules: [bare] }, fail).items[0]).not.toHaveProperty('feature');
  });

  // rule_type is optional (SDK) and null for custom rules in old EU docs: the reader does not
  // guess; src/live/rule-kinds.ts decides from the names (test/live/rule-kinds.test.ts).
  it('reads a null or missing rule_type as UNKNOWN, any other value (BUILT_IN, "") as OTHER, and keeps SYSTEM and CUSTOMIZE', () => {
    const rules = [{ ...item, rule_type: null }, { ...item, id: 'r2', rule_type: undefined }, { ...item, id: 'r3', rule_type: 'SYSTEM' }, { ...item, id: 'r4', rule_type: 'DB_CLASSIFY' }, { ...item, id: 'r5' }, { ...item, id: 'r6', rule_type: 'BUILT_IN' }, { ...item, id: 'r7', rule_type: '' }];
    const page = rulesPage({ rules }, fail);
    expect(page.items.map((r) => r.ruleType)).toEqual(['UNKNOWN', 'UNKNOWN', 'SYSTEM', 'OTHER', 'CUSTOMIZE', 'OTHER', 'OTHER']);
    expect(page.total).toBeUndefined();
  });

  it('reads the old display strings of risk level and status', () => {
    const levels = ['No Risk', 'Low', 'Moderate', 'High', 'medium'].map((risk_level, i) => ({ ...item, id: `r${i}`, risk_level, status: i % 2 ? 'On' : 'off' }));
    const page = rulesPage({ rules: levels }, fail);
    expect(page.items.map((r) => r.riskLevel)).toEqual(['NO_RISK', 'LOW', 'MEDIUM', 'HIGH', 'MEDIUM']);
    expect(page.items.map((r) => r.status)).toEqual(['OFF', 'ON', 'OFF', 'ON', 'OFF']);
  });

  it('refuses an unreadable level or a non-integer rank, naming the field', () => {
    expect(() => rulesPage({ rules: [item, { ...item, risk_level: 'SEVERE' }] }, fail)).toThrow('rules[1].risk_level: expected LOW, MEDIUM, HIGH or NO_RISK');
    expect(() => rulesPage({ rules: [{ ...item, rank: 'first' }] }, fail)).toThrow('rules[0].rank: expected an integer, got "first"');
  });
});

describe('rule detail (v2 show)', () => {
  it('splits comma lists, maps thresholds and schemas', () => {
    const detail = ruleDetail(
      {
        rule_id: 'r1',
        rule_name: 'drop-guard',
        status: 'ON',
        action: 'DROP_TABLE, DELETE',
        schemas: [{ schema: 'db', table: 't', column: null }, { schema: '', table: 'x' }],
        rank: '2',
        ignore_case: true,
        risk_level: 'HIGH',
        db_ids: '',
        client_ips: '10.0.0.0/8,192.168.1.1-192.168.1.9',
        execution_symbol: 'GREATER',
        execution_time: 100,
        affect_symbol: 'NO_MATCH',
        affect_rows: 0,
      },
      'r1',
      fail,
    );
    expect(detail).toEqual({
      id: 'r1',
      name: 'drop-guard',
      status: 'ON',
      actions: ['DROP_TABLE', 'DELETE'],
      schemas: [{ schema: 'db', table: 't' }, { table: 'x' }],
      rank: 2,
      ignoreCase: true,
      riskLevel: 'HIGH',
      dbIds: [],
      clientIps: ['10.0.0.0/8', '192.168.1.1-192.168.1.9'],
      executionTime: { symbol: 'GREATER', value: 100 },
      affectRows: { symbol: 'NO_MATCH', value: 0 },
    });
  });

  it('uses the requested id when the answer omits it, and names a bad symbol', () => {
    const base = { rule_name: 'n', status: 'OFF', rank: 1, risk_level: 'LOW', execution_symbol: 'LESS', execution_time: 1, affect_symbol: 'EQUAL', affect_rows: 1 };
    expect(ruleDetail(base, 'asked', fail).id).toBe('asked');
    expect(ruleDetail(base, 'asked', fail).ignoreCase).toBe(false);
    expect(() => ruleDetail({ ...base, affect_symbol: '>' }, 'x', fail)).toThrow(/^affect_symbol: expected GREATER, EQUAL/);
  });
});

describe('summary task', () => {
  it('maps task_switch and task_status codes', () => {
    expect(summaryTask({ id: 1, busi_type: 'risk', task_switch: 'on', task_status: '2' }, 'risk', fail)).toEqual({ busiType: 'risk', enabled: true, switchText: 'on', status: 'succeeded' });
    expect(summaryTask({ task_switch: 'OFF', task_status: 1 }, 'audit', fail)).toEqual({ busiType: 'audit', enabled: false, switchText: 'OFF', status: 'running' });
    expect(summaryTask({ task_switch: 'off', task_status: '7' }, 'audit', fail).status).toBe('7');
    // task_switch values are undocumented: an unrecognised one is unknown, not an error (the plan sets the declared value)
    expect(summaryTask({ task_switch: 'maybe' }, 'risk', fail)).toEqual({ busiType: 'risk', enabled: undefined, switchText: 'maybe', status: 'unknown' });
  });
});

describe('rule request body', () => {
  // The SDK leaves unset optional fields out; what "" means is unconfirmed (a region may refuse it)
  it('sends every required field, lists comma-joined, and leaves empty optional lists out', () => {
    const spec: RiskRuleSpec = {
      name: 'drop-guard',
      riskLevel: 'HIGH',
      status: 'ON',
      actions: ['DROP_TABLE', 'DELETE'],
      affectRows: { symbol: 'GREATER', value: 10 },
      executionTime: { symbol: 'GREATER_EQUAL', value: 0 },
      dbIds: [],
      clientIps: ['10.0.0.0/8', '::1'],
      exceptionIps: ['10.1.1.1'],
      schemas: [{ schema: 'db' }, { table: 't', column: 'c' }],
      ignoreCase: false,
    };
    expect(ruleRequestBody(spec)).toEqual({
      rule_name: 'drop-guard',
      risk_level: 'HIGH',
      status: 'ON',
      action: 'DROP_TABLE,DELETE',
      affect_symbol: 'GREATER',
      affect_rows: 10,
      execution_symbol: 'GREATER_EQUAL',
      execution_time: 0,
      client_ips: '10.0.0.0/8,::1',
      exception_ips: '10.1.1.1',
      ignore_case: false,
      schemas: [{ schema: 'db' }, { table: 't', column: 'c' }],
    });
    const bare = ruleRequestBody({ ...spec, actions: [], clientIps: [], exceptionIps: [], schemas: [] });
    expect(Object.keys(bare).sort()).toEqual(['affect_rows', 'affect_symbol', 'execution_symbol', 'execution_time', 'ignore_case', 'risk_level', 'rule_name', 'status']);
    expect(Object.values(bare)).not.toContain('');
  });
});

describe('rule detail (v2 show) from a terse implementation', () => {
  it('reads absent or null thresholds as the defaults and an absent rank as unranked instead of failing', () => {
    const d = ruleDetail(
      { rule_id: 'abcdefghijklmnop', rule_name: 'r', status: 'ON', risk_level: 'HIGH', affect_symbol: null, affect_rows: null },
      'abcdefghijklmnop',
      fail,
    );
    expect(d.affectRows).toEqual({ symbol: 'GREATER_EQUAL', value: 0 });
    expect(d.executionTime).toEqual({ symbol: 'GREATER_EQUAL', value: 0 });
    expect(d.rank).toBeUndefined();
  });
});
