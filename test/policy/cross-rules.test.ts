import { describe, expect, it } from 'vitest';
import { header, lines, P1, P2, validateTexts } from './policy-fixtures.js';

const ID = '5f2b7c0e9a1d4e3f8b6c2d1a0e9f8b7c';

/** An instance entry with rules given as flow mappings. */
const instance = (ref: string, ...rules: string[]): string =>
  `  - ${ref}\n${rules.length ? `    risk_rules:\n${rules.map((r) => `      - ${r}\n`).join('')}` : ''}`;

const doc = (...instances: string[]): string => `${header()}instances:\n${instances.join('')}`;

const check = (files: Record<string, string>): string[] => lines(validateTexts(files).diagnostics);

describe('cross-document rules', () => {
  it('rejects the same instance declared twice across files, by name or by id', () => {
    const a = doc(instance('name: prod-audit'), instance(`id: ${ID}`));
    const b = doc(instance('name: prod-audit'), instance(`id: ${ID}`), instance('name: other'));
    expect(check({ 'a.yaml': a, 'b.yaml': b })).toEqual([
      `b.yaml:5:11 $.instances[0].name: instance cn-north-4/${P1}/prod-audit declared twice (also declared at a.yaml:5:11)`,
      `b.yaml:6:9 $.instances[1].id: instance cn-north-4/${P1}/id:${ID} declared twice (also declared at a.yaml:6:9)`,
    ]);
  });

  it('keeps instances of the same name apart in other projects and regions', () => {
    const a = doc(instance('name: prod-audit'));
    const b = `${header(P2, 'cn-east-3')}instances:\n${instance('name: prod-audit')}`;
    expect(check({ 'a.yaml': a, 'b.yaml': b })).toEqual([]);
  });

  it('rejects summary_tasks declared twice for one region and project', () => {
    const a = `${header()}summary_tasks: {risk: on}\n`;
    const b = `${header()}summary_tasks: {audit: off}\n---\n${header(P2, 'cn-east-3')}summary_tasks: {audit: on}\n`;
    expect(check({ 'a.yaml': a, 'b.yaml': b })).toEqual([
      `b.yaml:4:1 $.summary_tasks: summary_tasks of cn-north-4/${P1} declared twice (also declared at a.yaml:4:1)`,
    ]);
  });

  it('warns when one project id appears under two regions', () => {
    const a = `${header()}summary_tasks: {risk: on}\n`;
    const b = `${header(P1, 'cn-east-3')}summary_tasks: {risk: on}\n`;
    expect(check({ 'a.yaml': a, 'b.yaml': b })).toEqual([
      `b.yaml:2:9 $.region: warning: project ${P1} is also used with region cn-north-4 (at a.yaml:2:9); an IAM project belongs to one region`,
    ]);
  });

  it('rejects duplicate rule names within an instance, and warns on case-only and system names', () => {
    const text = doc(
      instance('name: a', '{name: r1, risk_level: HIGH}', '{name: R1, risk_level: HIGH}', '{name: r1, risk_level: LOW}', '{name: Slow_SQL_detection, risk_level: LOW}'),
      instance('name: b', '{name: r1, risk_level: HIGH}'),
    );
    expect(check({ 'p.yaml': text })).toEqual([
      'p.yaml:8:16 $.instances[0].risk_rules[1].name: warning: rule name "R1" differs only in case from the rule at p.yaml:7:16; DBSS may treat them as one (unconfirmed)',
      'p.yaml:9:16 $.instances[0].risk_rules[2].name: rule name "r1" declared twice in this instance (also declared at p.yaml:7:16)',
      'p.yaml:10:16 $.instances[0].risk_rules[3].name: warning: "Slow_SQL_detection" is a built-in system rule name; set its switch under system_rules instead',
    ]);
  });

  it('rejects malformed IPs, CIDRs and ranges (IPv4 and IPv6) in client and exception lists', () => {
    const rule = `{name: r1, risk_level: HIGH, client_ips: [10.0.0.0/33, 1.2.3, "::1/129", 10.0.0.9-10.0.0.1, 2001:db8::1-2001:db8::ff], exception_ips: [fe80::1-10.0.0.1, " "]}`;
    expect(check({ 'p.yaml': doc(instance('name: a', rule)) })).toEqual([
      'p.yaml:7:51 $.instances[0].risk_rules[0].client_ips[0]: "10.0.0.0/33" has an invalid prefix length (0-32 for IPv4)',
      'p.yaml:7:64 $.instances[0].risk_rules[0].client_ips[1]: "1.2.3" is not a valid IPv4 or IPv6 address',
      'p.yaml:7:71 $.instances[0].risk_rules[0].client_ips[2]: "::1/129" has an invalid prefix length (0-128 for IPv6)',
      'p.yaml:7:82 $.instances[0].risk_rules[0].client_ips[3]: "10.0.0.9-10.0.0.1" starts after it ends',
      'p.yaml:7:144 $.instances[0].risk_rules[0].exception_ips[0]: "fe80::1-10.0.0.1" mixes IPv4 and IPv6',
      'p.yaml:7:162 $.instances[0].risk_rules[0].exception_ips[1]: empty IP entry',
    ]);
  });

  it('warns about a CIDR with host bits set, naming the network it means (IPv4 and IPv6)', () => {
    const rule = `{name: r1, risk_level: HIGH, client_ips: [10.20.0.5/16, 10.30.0.0/16, 10.0.0.9/32], exception_ips: ["2001:db8::1/64"]}`;
    expect(check({ 'p.yaml': doc(instance('name: a', rule)) })).toEqual([
      'p.yaml:7:51 $.instances[0].risk_rules[0].client_ips[0]: warning: 10.20.0.5/16 is 10.20.0.0/16: the CIDR has host bits set; write 10.20.0.0/16',
      'p.yaml:7:109 $.instances[0].risk_rules[0].exception_ips[0]: warning: 2001:db8::1/64 is 2001:db8::/64: the CIDR has host bits set; write 2001:db8::/64',
    ]);
  });

  it('rejects duplicate list entries, IPs compared by meaning, each pointing at the first', () => {
    const rule =
      '{name: r1, risk_level: HIGH, actions: [SELECT, DELETE, SELECT], db_ids: [d1, d1], ' +
      'client_ips: [2001:DB8::1, 2001:db8::1], schemas: [{schema: s, table: t}, {table: t, schema: s}, {schema: s}]}';
    expect(check({ 'p.yaml': doc(instance('name: a', rule)) })).toEqual([
      'p.yaml:7:64 $.instances[0].risk_rules[0].actions[2]: duplicate actions "SELECT" (same as the entry at p.yaml:7:48)',
      'p.yaml:7:86 $.instances[0].risk_rules[0].db_ids[1]: duplicate db_ids "d1" (same as the entry at p.yaml:7:82)',
      'p.yaml:7:117 $.instances[0].risk_rules[0].client_ips[1]: duplicate client_ips "2001:db8::1" (same as the entry at p.yaml:7:104)',
      'p.yaml:7:164 $.instances[0].risk_rules[0].schemas[1]: duplicate schemas entry (same as the entry at p.yaml:7:141)',
    ]);
  });

  it('still checks documents that fail the schema, so one run reports everything', () => {
    const bad = doc(instance('name: a', '{name: r1, risk_level: NOPE, client_ips: [999.0.0.1]}', '{name: r1, risk_level: HIGH}'));
    expect(check({ 'p.yaml': bad }).map((l) => l.replace(/^(\S+) \S+: /, '$1 '))).toEqual([
      'p.yaml:7:32 must be one of NO_RISK, LOW, MEDIUM, HIGH (got "NOPE")',
      'p.yaml:7:51 "999.0.0.1" is not a valid IPv4 or IPv6 address',
      'p.yaml:8:16 rule name "r1" declared twice in this instance (also declared at p.yaml:7:16)',
    ]);
  });

  it('warns about a document that declares nothing', () => {
    expect(check({ 'p.yaml': header() })).toEqual(['p.yaml:1:1 $: warning: the document declares no instances, summary_tasks, rule_sets or guardrails']);
  });
});
