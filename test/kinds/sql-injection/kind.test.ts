import { describe, expect, it } from 'vitest';
import type { LiveKind, LiveObject } from '../../../src/kinds/kind.js';
import { EMULATED_SQL_INJECTION } from '../../../src/kinds/sql-injection/emulator.js';
import { SQL_INJECTION_KIND as kind } from '../../../src/kinds/sql-injection/index.js';
import { validateSqlRules } from '../../../src/kinds/sql-injection/desired.js';
import { decodeListPage } from '../../../src/kinds/sql-injection/wire.js';
import { converge, desiredOf } from './cycle.js';
import { directApi, TARGET } from './direct-api.js';

const custom = (key: string, rank: number | undefined, spec: LiveObject['spec'], id = `id-${key.replace(/\W/g, '')}-0000000000`): LiveObject => ({ id, key, builtIn: false, spec, ...(rank === undefined ? {} : { rank }) });
const liveOf = (objects: LiveObject[]): LiveKind => ({ objects, settings: {}, observations: [] });

describe('reading SQL-injection rules tolerantly', () => {
  it('reads risk levels in any case, NO_RISK spellings, numeric-string ranks and legacy switches', () => {
    const page = decodeListPage(
      {
        total: '3',
        rules: [
          { id: 'a'.repeat(16), name: 'a', type: 'customize', risk_level: 'high', status: 'on', rank: '2', regex: 'x' },
          { id: 'b'.repeat(16), name: 'b', type: 'CUSTOMIZE', risk_level: 'No Risk', status: 'Disabled', rank: 1, regex: 'y' },
          { id: 7, name: 'c', type: 'SYSTEM', risk_level: null, status: true },
        ],
      },
      0,
    );
    expect(page.total).toBe(3);
    expect(page.rules.map((r) => r.object)).toEqual([
      { id: 'a'.repeat(16), key: 'a', builtIn: false, spec: { regex: 'x', risk_level: 'HIGH', status: 'ON' }, rank: 2 },
      { id: 'b'.repeat(16), key: 'b', builtIn: false, spec: { regex: 'y', risk_level: 'NO_RISK', status: 'OFF' }, rank: 1 },
      { id: '7', key: 'c', builtIn: true, spec: { status: 'ON' } },
    ]);
  });

  it('reads a rule of unknown type as built in (switched only, never edited or deleted), and says so', () => {
    const page = decodeListPage({ rules: [{ id: 'a'.repeat(16), name: 'odd', type: 'BUILT_IN', status: 'ON' }, { id: 'b'.repeat(16), name: 'untyped' }, 'junk', null] }, 0);
    expect(page.total).toBeUndefined();
    expect(page.rules.map((r) => [r.object.key, r.object.builtIn])).toEqual([
      ['odd', true],
      ['untyped', true],
    ]);
    expect(page.rules.flatMap((r) => r.oddities)).toEqual([
      'page 0 rules[0] ("odd"): type "BUILT_IN" is neither SYSTEM nor CUSTOMIZE, read as SYSTEM (switched only)',
      'page 0 rules[1] ("untyped"): type null is neither SYSTEM nor CUSTOMIZE, read as SYSTEM (switched only)',
    ]);
  });

  it('reads an answer without rules, or not an object, as no rules', () => {
    expect(decodeListPage(null, 0)).toEqual({ rules: [], total: undefined });
    expect(decodeListPage({ rules: 'x', total: -1 }, 0)).toEqual({ rules: [], total: undefined });
  });

  it('plans an update of a rule whose risk level could not be read, and cannot call it weakening', () => {
    const page = decodeListPage({ rules: [{ id: 'a'.repeat(16), name: 'a', type: 'CUSTOMIZE', risk_level: 'SEVERE', status: 'ON', regex: 'x', rank: 1 }] }, 0);
    expect(page.rules[0]!.oddities).toEqual(['page 0 rules[0] ("a"): risk_level "SEVERE" not understood']);
    const plan = kind.plan(desiredOf(kind, { sql_injection_rules: [{ name: 'a', regex: 'x', risk_level: 'LOW' }] }, false), liveOf([page.rules[0]!.object]));
    expect(plan.changes).toMatchObject([{ op: 'update', fields: [{ field: 'risk_level', after: 'LOW' }], weakening: [] }]);
  });
});

describe('validating SQL-injection rules', () => {
  it('names the path of a regex that does not compile and of a name declared twice', () => {
    const problems = validateSqlRules({
      sql_injection_rules: [
        { name: 'ok', regex: '^\\d{6}$', risk_level: 'LOW' },
        { name: 'bad', regex: 'union(select', risk_level: 'HIGH' },
        { name: 'ok', regex: 'x', risk_level: 'LOW' },
      ],
    });
    expect(problems.map((p) => p.path)).toEqual([
      ['sql_injection_rules', 1, 'regex'],
      ['sql_injection_rules', 2, 'name'],
    ]);
    expect(problems[0]!.message).toMatch(/^not a valid regular expression \(checked as a JavaScript RegExp after reading Java-only syntax; DBSS checks with its own, Java, rules\): Unterminated group/);
    expect(problems[1]!.message).toBe('SQL-injection rule "ok" is declared twice in this list (first at item 1)');
  });

  it('accepts the Java syntax JavaScript lacks: inline flags, atomic groups, possessive quantifiers, \\Q…\\E, \\A and \\z', () => {
    const regexes = ['(?i)union\\s+select', '(?i:drop)\\s+table', '(?>a|ab)c', 'a++b*+c?+d{2}+', '\\Q(*)\\E+x', '\\Aselect\\z', "'\\s*or\\s*'1'='1", '[]a]'];
    expect(validateSqlRules({ sql_injection_rules: regexes.map((regex, i) => ({ name: `r${i}`, regex, risk_level: 'LOW' })) })).toEqual([]);
  });

  it('refuses what neither reads: an unbalanced class or a dangling quantifier', () => {
    expect(validateSqlRules({ sql_injection_rules: [{ name: 'a', regex: '[a-', risk_level: 'LOW' }, { name: 'b', regex: '*x', risk_level: 'LOW' }] }).map((p) => p.path[1])).toEqual([0, 1]);
  });
});

describe('what weakens SQL-injection auditing', () => {
  const desired = (rules: object[], prune = false) => desiredOf(kind, { sql_injection_rules: rules as never }, prune);

  it('a lower risk level, a switch OFF, a delete and a move below another rule are weakening; a higher level is not', () => {
    const live = liveOf([
      custom('broad', 1, { regex: '.*', risk_level: 'HIGH', status: 'ON' }),
      custom('narrow', 2, { regex: 'x', risk_level: 'LOW', status: 'ON' }),
      custom('gone', 3, { regex: 'y', risk_level: 'LOW', status: 'ON' }),
    ]);
    const plan = kind.plan(
      desired(
        [
          { name: 'narrow', regex: 'x', risk_level: 'HIGH', status: 'OFF' },
          { name: 'broad', regex: '.*', risk_level: 'MEDIUM' },
        ],
        true,
      ),
      live,
    );
    const byOp = Object.fromEntries(plan.changes.map((c) => [`${c.op} ${c.subject}`, c.weakening ?? []]));
    expect(byOp).toEqual({
      'update narrow': [],
      'update broad': ['risk level lowered from HIGH to MEDIUM'],
      'switch OFF': ['SQL-injection rule "narrow" switched OFF'],
      'delete gone': ['SQL-injection rule "gone" deleted'],
      'order order': ['SQL-injection rule "broad" moved down (a broader SQL-injection rule above it may now match first)'],
    });
  });

  it('does not check or write the order when the list shows no rank at all, and says so', () => {
    const live = liveOf([custom('a', undefined, { regex: 'x', risk_level: 'LOW', status: 'ON' }), custom('b', undefined, { regex: 'y', risk_level: 'LOW', status: 'ON' })]);
    const plan = kind.plan(desired([{ name: 'b', regex: 'y', risk_level: 'LOW' }, { name: 'a', regex: 'x', risk_level: 'LOW' }, { name: 'c', regex: 'z', risk_level: 'LOW' }]), live);
    expect(plan.changes.map((c) => c.op)).toEqual(['create']);
    expect(plan.notes).toContain('the list shows no rank: the order of SQL-injection rules is not checked (no order change is sent)');
  });

  it('an update of a rule also switched is shown by its fields (the switch that follows sets the status)', () => {
    const live = liveOf([custom('a', 1, { regex: 'x', risk_level: 'LOW', status: 'ON' })]);
    const plan = kind.plan(desired([{ name: 'a', regex: 'x2', risk_level: 'LOW', status: 'OFF' }]), live);
    const update = plan.changes.find((c) => c.op === 'update')!;
    expect(plan.changes.map((c) => c.op)).toEqual(['update', 'switch']);
    // DBSS may keep the status on update: the read-back shows the new regex, status still ON
    expect(kind.shows(update, liveOf([custom('a', 1, { regex: 'x2', risk_level: 'LOW', status: 'ON' })]))).toBe(true);
    expect(kind.shows(update, liveOf([custom('a', 1, { regex: 'x', risk_level: 'LOW', status: 'ON' })]))).toBe(false);
  });

  it('leaves alone a rule whose id cannot be written back, and names it', () => {
    const live = liveOf([custom('a', 1, { regex: 'x', risk_level: 'LOW', status: 'ON' }, 'abcdefghijklmnop,qrstuvwxyz123456')]);
    const plan = kind.plan(desired([{ name: 'a', regex: 'y', risk_level: 'LOW' }]), live);
    expect(plan.changes).toEqual([]);
    expect(plan.notes.join('\n')).toContain('unusable SQL-injection rule id "abcdefghijklmnop,qrstuvwxyz123456"');
  });
});

describe('the order write learns how much of the list the rank call needs', () => {
  it.each([
    ['declared', ['declared']],
    ['customs', ['declared', 'customs']],
    ['all', ['declared', 'customs', 'all']],
  ])('sqlRankList=%s: tries %j', async (extent, tried) => {
    const { api, log } = directApi(EMULATED_SQL_INJECTION, { sqlRankList: extent }, 100);
    const rules = ['a', 'b', 'c', 'undeclared'].map((name) => ({ name, regex: name, risk_level: 'LOW' }));
    for (const r of rules) await api.write(TARGET, { operation: 'CreateAuditSqlRule', method: 'POST', path: '/v1/{project_id}/audit/{instance_id}/rule/sql', body: { rule_name: r.name, sql_regex: r.regex, risk_level: 'LOW', status: 'ON' } });
    log.length = 0;
    await converge(kind, api, desiredOf(kind, { sql_injection_rules: [rules[2]!, rules[0]!, rules[1]!] }, false));
    const live = await kind.read(api, TARGET);
    const id = (name: string) => live.objects.find((o) => o.key === name)!.id;
    const sent = log.filter((c) => c.operation === 'SetSqlRuleRank').map((c) => (c.body as { ids: string[] }).ids);
    expect(sent.map((ids) => (ids.length === 3 ? 'declared' : ids.length === 4 ? 'customs' : 'all'))).toEqual(tried);
    expect(sent[0]).toEqual([id('c'), id('a'), id('b')]);
    // the undeclared rule keeps its place (last of the customs) in every longer list
    for (const ids of sent.slice(1)) expect(ids.at(-1)).toBe(id('undeclared'));
  });

  it('stops with what it tried when no extent takes', async () => {
    const { api } = directApi(EMULATED_SQL_INJECTION, { sqlRankList: 'all', sqlRankIncomplete: 'ignored' }, 100);
    const route = EMULATED_SQL_INJECTION.routes.find((r) => r.operation === 'SetSqlRuleRank')!;
    const ignoring = { ...api, write: async (t: typeof TARGET, c: Parameters<typeof api.write>[1]) => (c.operation === route.operation ? undefined : api.write(t, c)) };
    for (const name of ['a', 'b']) await api.write(TARGET, { operation: 'CreateAuditSqlRule', method: 'POST', path: '/v1/{project_id}/audit/{instance_id}/rule/sql', body: { rule_name: name, sql_regex: name, risk_level: 'LOW', status: 'ON' } });
    const change = kind.plan(desiredOf(kind, { sql_injection_rules: [{ name: 'b', regex: 'b', risk_level: 'LOW' }, { name: 'a', regex: 'a', risk_level: 'LOW' }] }, false), await kind.read(api, TARGET)).changes[0]!;
    await expect(kind.write(ignoring, TARGET, change)).rejects.toThrow(
      'SQL-injection rule order not taken on instance iiiiiiiiiiiiiiiiiiiiiiiiiiiiiiii: declared ids: answered SUCCESS, the list does not show the order; customs ids: answered SUCCESS, the list does not show the order; all ids: answered SUCCESS, the list does not show the order',
    );
  });
});

describe('export', () => {
  it('writes YAML whose plan is empty, hostile names included, and leaves out what it cannot declare', async () => {
    const { api } = directApi(EMULATED_SQL_INJECTION, { sqlRuleCreatedRank: 'first' }, 100);
    const rules = [
      { name: 'quote \'" rule', regex: "'\\s*or", risk_level: 'HIGH', status: 'ON' },
      { name: 'line\nbreak', regex: '(?i)x', risk_level: 'NO_RISK', status: 'OFF' },
      { name: 'ünï 规则', regex: 'y', risk_level: 'MEDIUM', status: 'ON' },
      { name: 'broken', regex: 'a(', risk_level: 'LOW', status: 'ON' },
    ];
    for (const r of rules) await api.write(TARGET, { operation: 'CreateAuditSqlRule', method: 'POST', path: '/v1/{project_id}/audit/{instance_id}/rule/sql', body: { rule_name: r.name, sql_regex: r.regex, risk_level: r.risk_level, status: r.status } });
    const live = await kind.read(api, TARGET);
    const yaml = kind.export(live);
    expect((yaml.sql_injection_rules as { name: string }[]).map((r) => r.name)).toEqual(['ünï 规则', 'line\nbreak', 'quote \'" rule']);
    expect(Object.keys(yaml.system_sql_injection_rules as object)).toHaveLength(6);
    const plan = kind.plan(desiredOf(kind, yaml, false), live);
    expect(plan.changes).toEqual([]);
    expect(plan.notes).toContain('1 SQL-injection rule not declared, left alone (prune: false): broken');
  });

  it('writes nothing for an instance without rules it can declare', () => {
    expect(kind.export(liveOf([]))).toEqual({});
  });
});

describe('the kind', () => {
  it('owns its two policy keys and declares nothing when neither is present', () => {
    expect(kind.name).toBe('sql-injection-rule');
    expect(kind.policyKeys).toEqual(['sql_injection_rules', 'system_sql_injection_rules']);
    expect(kind.desired([{ values: {}, at: () => ({ file: 'f', line: 1, col: 1 }) }], true)).toBeUndefined();
  });

  it('takes an entry\'s own rule over its rule set\'s of the same name, in place, with its provenance', () => {
    const at = (file: string) => (path: readonly (string | number)[]) => ({ file, line: Number(path[1] ?? 0) + 1, col: 3 });
    const d = kind.desired(
      [
        { values: { sql_injection_rules: [{ name: 'a', regex: 'x', risk_level: 'LOW' }, { name: 'b', regex: 'y', risk_level: 'LOW' }] }, at: at('sets.yaml'), ruleSet: { name: 'base', appliedAt: { file: 'p.yaml', line: 4, col: 5 } } },
        { values: { sql_injection_rules: [{ name: 'a', regex: 'z', risk_level: 'HIGH', status: 'OFF' }], system_sql_injection_rules: { S: 'OFF' } }, at: at('p.yaml') },
      ],
      false,
    )!;
    expect(d.objects.map((o) => [o.key, o.spec, o.source.file, o.source.line])).toEqual([
      ['a', { regex: 'z', risk_level: 'HIGH', status: 'OFF' }, 'p.yaml', 1],
      ['b', { regex: 'y', risk_level: 'LOW', status: 'ON' }, 'sets.yaml', 2],
    ]);
    expect(d.switches.map((s) => [s.name, s.status])).toEqual([['S', 'OFF']]);
  });
});

describe('prune and SQL-injection rules', () => {
  it('deletes undeclared custom rules only where sql_injection_rules is declared', () => {
    const at = () => ({ file: 'p.yaml', line: 1, col: 1 });
    const switchesOnly = kind.desired([{ values: { system_sql_injection_rules: { 'SQL injection: UNION query': 'ON' } }, at }], true);
    expect(switchesOnly?.prune).toBe(false);
    const withRules = kind.desired([{ values: { sql_injection_rules: [] }, at }], true);
    expect(withRules?.prune).toBe(true);
  });
});
