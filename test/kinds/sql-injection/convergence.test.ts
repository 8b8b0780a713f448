import { describe, expect, it } from 'vitest';
import { EMULATED_SQL_INJECTION } from '../../../src/kinds/sql-injection/emulator.js';
import { SQL_INJECTION_KIND as kind } from '../../../src/kinds/sql-injection/index.js';
import type { Json } from '../../../src/kinds/kind.js';
import { converge, customsInOrder, desiredOf, type RuleDecl } from './cycle.js';
import { directApi } from './direct-api.js';

/** Names a hostile estate may hold: quotes, a newline, unicode, markup. */
const HOSTILE = {
  quote: `O'Brien "quoted" rule`,
  newline: 'first line\nsecond line',
  unicode: 'ünïcødé 规则 🚀',
  markup: '<b>&amp;</b> `tick` ${x}',
};

const first: RuleDecl[] = [
  { name: HOSTILE.quote, regex: "'\\s*or\\s*'1'\\s*=\\s*'1", risk_level: 'HIGH' },
  { name: 'Postal code', regex: '^\\d{6}$', risk_level: 'LOW', status: 'OFF' },
  { name: HOSTILE.newline, regex: '(?i)union\\s+select', risk_level: 'MEDIUM' },
  { name: HOSTILE.unicode, regex: '规则.*', risk_level: 'NO_RISK' },
  { name: HOSTILE.markup, regex: 'sleep\\(\\d+\\)', risk_level: 'HIGH' },
];

/** Reordered, one regex and one level changed, one switched ON and one OFF, one renamed (create + prune delete). */
const second: RuleDecl[] = [
  { name: HOSTILE.unicode, regex: '规则.*', risk_level: 'HIGH' },
  { name: HOSTILE.markup, regex: 'sleep\\(\\d+\\)|benchmark\\(', risk_level: 'HIGH', status: 'OFF' },
  { name: HOSTILE.quote, regex: "'\\s*or\\s*'1'\\s*=\\s*'1", risk_level: 'HIGH' },
  { name: 'Postal code (renamed)', regex: '^\\d{6}$', risk_level: 'LOW' },
  { name: HOSTILE.newline, regex: '(?i)union\\s+select', risk_level: 'LOW', status: 'ON' },
];

const values = (rules: readonly RuleDecl[], system: Record<string, string>): { [k: string]: Json } => ({
  sql_injection_rules: rules as unknown as Json,
  system_sql_injection_rules: system,
});

/** Every reading: each option value on its own (the others at their default), and each named profile. */
const readings: [string, Record<string, string>][] = [
  ...Object.entries(EMULATED_SQL_INJECTION.options).flatMap(([option, choices]) => choices.map((v): [string, Record<string, string>] => [`${option}=${v}`, { [option]: v }])),
  ...Object.entries(EMULATED_SQL_INJECTION.profiles).map(([name, o]): [string, Record<string, string>] => [`profile ${name}`, o]),
];

describe('SQL-injection rules converge under every reading of the open points', () => {
  it.each(readings)('%s', async (_, options) => {
    const { api, log } = directApi(EMULATED_SQL_INJECTION, options, 4);
    const ranked = (options.sqlRuleRank ?? 'present') === 'present';
    // something undeclared that must not be touched (prune: false first)
    await api.write({ projectId: 'p'.repeat(32), instanceId: 'i'.repeat(32) }, { operation: 'CreateAuditSqlRule', method: 'POST', path: '/v1/{project_id}/audit/{instance_id}/rule/sql', body: { rule_name: 'hand made', sql_regex: 'x', risk_level: 'LOW', status: 'ON' } });
    const system = (await kind.read(api, { projectId: 'p'.repeat(32), instanceId: 'i'.repeat(32) })).objects.filter((o) => o.builtIn).map((o) => o.key);
    expect(system.length).toBeGreaterThan(2);

    const one = await converge(kind, api, desiredOf(kind, values(first, { [system[0]!]: 'OFF', [system[1]!]: 'ON' }), false));
    expect(one.sent.map((c) => c.op)).toContain('create');
    const byName = new Map(one.live.objects.map((o) => [o.key, o]));
    for (const r of first) expect(byName.get(r.name)?.spec).toEqual({ regex: r.regex, risk_level: r.risk_level, status: r.status ?? 'ON' });
    expect(byName.get(system[0]!)?.spec.status).toBe('OFF');
    expect(byName.get('hand made')?.spec).toEqual({ regex: 'x', risk_level: 'LOW', status: 'ON' });
    if (ranked) expect(customsInOrder(one.live).filter((k) => k !== 'hand made')).toEqual(first.map((r) => r.name));

    const two = await converge(kind, api, desiredOf(kind, values(second, { [system[0]!]: 'ON', [system[2]!]: 'OFF' }), true));
    const ops = two.sent.map((c) => c.op).sort();
    expect(ops).toEqual(ranked ? ['create', 'delete', 'delete', 'order', 'switch', 'switch', 'update', 'update', 'update'] : ['create', 'delete', 'delete', 'switch', 'switch', 'update', 'update', 'update']);
    const after = new Map(two.live.objects.map((o) => [o.key, o]));
    for (const r of second) expect(after.get(r.name)?.spec).toEqual({ regex: r.regex, risk_level: r.risk_level, status: r.status ?? 'ON' });
    expect(after.has('Postal code')).toBe(false);
    expect(after.has('hand made')).toBe(false);
    expect(after.get(system[0]!)?.spec.status).toBe('ON');
    expect(after.get(system[2]!)?.spec.status).toBe('OFF');
    expect(two.live.objects.filter((o) => o.builtIn)).toHaveLength(system.length);
    if (ranked) expect(customsInOrder(two.live)).toEqual(second.map((r) => r.name));
    // a create is never sent twice
    const creates = log.filter((c) => c.operation === 'CreateAuditSqlRule').map((c) => (c.body as { rule_name: string }).rule_name);
    expect(new Set(creates).size).toBe(creates.length);
  });
});
