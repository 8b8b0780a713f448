import { describe, expect, it } from 'vitest';
import { MAX_ALIAS_COUNT, parsePolicyText } from '../../src/policy/parse-documents.js';
import { jsonPath } from '../../src/policy/policy-document.js';
import { header, lines } from './policy-fixtures.js';

const twoDocs = [
  '# comment', //                                  1
  header().trimEnd(), //                           2-4
  'instances:', //                                 5
  '  - name: prod-audit', //                       6
  '    risk_rules:', //                            7
  '      - name: r1', //                           8
  '        risk_level: HIGH', //                   9
  '---', //                                        10
  header().trimEnd(), //                           11-13
  'summary_tasks:', //                             14
  '  risk: on', //                                 15
  '',
].join('\n');

describe('parsePolicyText: documents and positions', () => {
  it('splits a multi-document file and maps paths back to line:col in each document', () => {
    const { documents, diagnostics } = parsePolicyText(twoDocs, 'p.yaml');
    expect(diagnostics).toEqual([]);
    expect(documents.map((d) => d.index)).toEqual([0, 1]);
    const [first, second] = documents;
    expect(first?.locate(['instances', 0, 'risk_rules', 0, 'risk_level'])).toEqual({ file: 'p.yaml', line: 9, col: 21 });
    expect(first?.locate(['instances', 0, 'risk_rules', 0, 'risk_level'], 'key')).toEqual({ file: 'p.yaml', line: 9, col: 9 });
    expect(second?.locate(['summary_tasks', 'risk'])).toEqual({ file: 'p.yaml', line: 15, col: 9 });
    // on/off are YAML 1.2 strings, not booleans
    expect(second?.data['summary_tasks']).toEqual({ risk: 'on' });
  });

  it('points a missing key at its parent mapping, and a missing list item at the list', () => {
    const [doc] = parsePolicyText(twoDocs, 'p.yaml').documents;
    expect(doc?.locate(['instances', 0, 'risk_rules', 0, 'status'])).toEqual({ file: 'p.yaml', line: 8, col: 9 });
    expect(doc?.locate(['instances', 3])).toEqual({ file: 'p.yaml', line: 6, col: 3 });
    expect(doc?.locate([])).toEqual({ file: 'p.yaml', line: 2, col: 1 });
  });

  it('points an empty value at its key', () => {
    const [doc] = parsePolicyText(`${header()}instances:\n  - name:\n`, 'p.yaml').documents;
    expect(doc?.locate(['instances', 0, 'name'])).toEqual({ file: 'p.yaml', line: 5, col: 5 });
  });

  it('resolves anchors and merge keys into plain data', () => {
    const text = `${header()}instances:\n  - name: a\n    risk_rules:\n      - &base {name: r1, risk_level: HIGH, client_ips: &office [10.0.0.0/8]}\n      - <<: *base\n        name: r2\n        exception_ips: *office\n`;
    const [doc] = parsePolicyText(text, 'p.yaml').documents;
    const rules = (doc?.data['instances'] as { risk_rules: unknown[] }[])[0]?.risk_rules;
    expect(rules?.[1]).toEqual({ name: 'r2', risk_level: 'HIGH', client_ips: ['10.0.0.0/8'], exception_ips: ['10.0.0.0/8'] });
    expect(doc?.locate(['instances', 0, 'risk_rules', 1, 'name'])).toEqual({ file: 'p.yaml', line: 9, col: 15 });
  });

  it('spells paths as JSONPath', () => {
    expect(jsonPath([])).toBe('$');
    expect(jsonPath(['instances', 2, 'risk_rules', 0, 'name'])).toBe('$.instances[2].risk_rules[0].name');
    expect(jsonPath(['system_rules', 'a b'])).toBe('$.system_rules["a b"]');
  });
});

describe('parsePolicyText: broken and hostile input', () => {
  it('reports a YAML syntax error with its position and keeps the other documents', () => {
    const text = `${header()}instances: [\n---\n${header()}`;
    const { documents, diagnostics } = parsePolicyText(text, 'p.yaml');
    expect(diagnostics.length).toBeGreaterThan(0);
    expect(diagnostics.every((d) => d.severity === 'error' && d.message.startsWith('YAML syntax error:'))).toBe(true);
    expect(diagnostics[0]).toMatchObject({ file: 'p.yaml', line: 5 });
    expect(documents.map((d) => d.index)).toEqual([1]);
  });

  it('reports a duplicate key at the repeat, with the first position', () => {
    const text = `${header()}instances:\n  - name: a\n    prune: true\n    prune: false\n`;
    const { diagnostics } = parsePolicyText(text, 'p.yaml');
    expect(lines(diagnostics)).toEqual(['p.yaml:7:5: duplicate key "prune" (first at line 6, column 5)']);
  });

  it('refuses an alias bomb instead of expanding it', () => {
    const rows = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (const [from, to] of [['a', 'b'], ['b', 'c'], ['c', 'd'], ['d', 'e'], ['e', 'f'], ['f', 'g']]) {
      rows.push(`${to}: &${to} [${Array(9).fill(`*${from}`).join(',')}]`);
    }
    const { documents, diagnostics } = parsePolicyText(`${rows.join('\n')}\n`, 'bomb.yaml');
    expect(documents).toEqual([]);
    expect(lines(diagnostics)).toEqual([
      `bomb.yaml:1:1: too many alias expansions (limit ${MAX_ALIAS_COUNT}): refusing a possible alias bomb`,
    ]);
  });

  it('accepts moderate alias reuse', () => {
    const uses = Array.from({ length: 50 }, (_, i) => `  r${i}: *office`).join('\n');
    const { documents, diagnostics } = parsePolicyText(`office: &office [10.0.0.0/8, 10.1.0.0/16]\nuses:\n${uses}\n`, 'p.yaml');
    expect(diagnostics).toEqual([]);
    expect(documents).toHaveLength(1);
  });

  it.each([
    ['- a\n- b\n', 'not a list'],
    ['just text\n', 'not the string "just text"'],
    ['42\n', 'not the value 42'],
  ])('rejects a non-mapping document %j', (text, what) => {
    const { documents, diagnostics } = parsePolicyText(text, 'p.yaml');
    expect(documents).toEqual([]);
    expect(lines(diagnostics)).toEqual([`p.yaml:1:1: a policy document must be a mapping (version, region, ...), ${what}`]);
  });

  it('warns about a file without documents and skips empty documents', () => {
    expect(lines(parsePolicyText('# only a comment\n', 'e.yaml').diagnostics)).toEqual([
      'e.yaml: warning: the file holds no YAML document',
    ]);
    const { documents, diagnostics } = parsePolicyText(`---\n${header()}---\n`, 'p.yaml');
    expect(diagnostics).toEqual([]);
    expect(documents.map((d) => d.index)).toEqual([0]);
  });

  it('reads YAML 1.2 even under a %YAML 1.1 directive, with a warning', () => {
    const { documents, diagnostics } = parsePolicyText(`%YAML 1.1\n---\n${header()}summary_tasks: {risk: on, audit: off}\n`, 'p.yaml');
    expect(documents[0]?.data['summary_tasks']).toEqual({ risk: 'on', audit: 'off' });
    expect(lines(diagnostics)).toEqual(['p.yaml:1:1: warning: %YAML 1.1 is ignored: policies are read as YAML 1.2']);
  });

  it('survives absurd nesting with a diagnostic', () => {
    const deep = `a: ${'['.repeat(50_000)}${']'.repeat(50_000)}\n`;
    const { diagnostics } = parsePolicyText(deep, 'deep.yaml');
    expect(diagnostics.length).toBeGreaterThan(0);
    expect(diagnostics.every((d) => d.severity === 'error' && d.file === 'deep.yaml')).toBe(true);
  });
});
