import { readFileSync } from 'node:fs';
import ajv2020 from 'ajv/dist/2020.js';
import { describe, expect, it, vi } from 'vitest';
import { AUDIT_SCOPE_KIND as kind } from '../../../src/kinds/audit-scope/index.js';
import type { Json, LiveKind } from '../../../src/kinds/kind.js';
import { POLICY_AJV_OPTIONS } from '../../../src/policy/validator-source.js';
import { desiredOf } from './harness.js';

/**
 * The schema fragment, compiled as the policy schema is (strict, defaults filled in) with the
 * policy schema's own ruleSwitch and ipList, accepts the documented YAML and refuses mistakes;
 * an export validates and plans nothing.
 */

const policy = JSON.parse(readFileSync(new URL('../../../schemas/policy.schema.json', import.meta.url), 'utf8')) as { $defs: Record<string, object> };

function compile(): (data: unknown) => boolean {
  const warn = vi.spyOn(console, 'warn');
  const ajv = new ajv2020.default({ ...POLICY_AJV_OPTIONS });
  const validate = ajv.compile({
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    type: 'object',
    additionalProperties: false,
    properties: kind.schema.properties,
    $defs: { ...kind.schema.defs, ruleSwitch: policy.$defs.ruleSwitch, ipList: policy.$defs.ipList },
  });
  expect(warn).not.toHaveBeenCalled();
  warn.mockRestore();
  return (data) => validate(data) as boolean;
}

const validate = compile();

describe('the schema fragment', () => {
  it('accepts the documented example and fills in the defaults', () => {
    const doc = {
      full_audit: 'OFF',
      audit_scopes: [
        { name: 'payments', databases: { ids: ['db-1'], names: ['orders'] }, actions: ['SELECT', 'LOGIN'], db_users: ['app'], source_ips: ['10.0.0.0/24'], source_ports: [3306, '3307'], exception_ips: ['10.0.0.9'], status: 'ON' },
        { name: 'everything "else"\n' },
      ],
    };
    expect(validate(doc)).toBe(true);
    expect(doc.audit_scopes[1]).toEqual({ name: 'everything "else"\n', databases: 'ALL', actions: [], db_users: [], source_ips: [], source_ports: [], exception_ips: [], status: 'ON' });
  });

  it.each<[string, Json]>([
    ['full_audit in lower case', { full_audit: 'off' }],
    ['a scope without a name', { audit_scopes: [{ databases: 'ALL' }] }],
    ['an unknown field', { audit_scopes: [{ name: 'a', db_ids: ['x'] }] }],
    ['databases neither ALL nor ids/names', { audit_scopes: [{ name: 'a', databases: 'all' }] }],
    ['databases with nothing listed', { audit_scopes: [{ name: 'a', databases: { ids: [] } }] }],
    ['a comma inside a list item', { audit_scopes: [{ name: 'a', db_users: ['a,b'] }] }],
    ['a port out of range', { audit_scopes: [{ name: 'a', source_ports: [70000] }] }],
    ['status Enabled', { audit_scopes: [{ name: 'a', status: 'Enabled' }] }],
  ])('refuses %s', (_, doc) => {
    expect(validate(doc)).toBe(false);
  });
});

describe('export', () => {
  const live: LiveKind = {
    settings: { full_audit: 'ON' },
    observations: [],
    objects: [
      { id: 'builtin-0123456789ab', key: 'Full audit rule', builtIn: true, spec: { databases: 'ALL', actions: [], db_users: [], source_ips: [], source_ports: [], exception_ips: [], status: 'ON' } },
      { id: 'scope-a-0123456789ab', key: 'a "quoted"\nname', builtIn: false, spec: { databases: { ids: [], names: ['orders'] }, actions: ['SELECT'], db_users: [], source_ips: ['10.0.0.1'], source_ports: ['3306'], exception_ips: [], status: 'OFF' } },
      { id: 'scope-b-0123456789ab', key: 'b', builtIn: false, spec: { databases: 'ALL', actions: [], db_users: [], source_ips: [], source_ports: [], exception_ips: ['10.0.0.9'], status: 'ON' } },
      { id: 'scope-c-0123456789ab', key: 'b', builtIn: false, spec: { databases: 'ALL', actions: [], db_users: [], source_ips: [], source_ports: [], exception_ips: [], status: 'ON' } },
    ],
  };

  it('writes full_audit and only the non-default values of each custom scope, a name once', () => {
    expect(kind.export(live)).toEqual({
      full_audit: 'ON',
      audit_scopes: [
        { name: 'a "quoted"\nname', databases: { names: ['orders'] }, actions: ['SELECT'], source_ips: ['10.0.0.1'], source_ports: ['3306'], status: 'OFF' },
        { name: 'b', exception_ips: ['10.0.0.9'] },
      ],
    });
  });

  it('validates against the schema, and plans nothing', () => {
    const single: LiveKind = { ...live, objects: live.objects.slice(0, 3) };
    const exported = structuredClone(kind.export(single)) as { [k: string]: Json };
    expect(validate(exported)).toBe(true);
    expect(kind.plan(desiredOf(kind, exported, true), single).changes).toEqual([]);
  });

  it('is empty when nothing is worth writing', () => {
    expect(kind.export({ objects: [], settings: {}, observations: [] })).toEqual({});
  });
});
