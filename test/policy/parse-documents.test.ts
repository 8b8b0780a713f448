import { describe, expect, it } from 'vitest';
import { MAX_ALIAS_COUNT, MAX_ALIASES, MAX_NESTING_DEPTH, parsePolicyText } from '../../src/policy/parse-documents.js';
import { jsonPath } from '../../src/policy/policy-document.js';
import { header, lines, validateTexts } from './policy-fixtures.js';

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

  it('reports a repeated merge key in words, with the first position and how to merge several mappings', () => {
    const text = `${header()}defaults: &d { prune: true }\nmore: &m { use: [baseline] }\ninstances:\n  - name: a\n    <<: *d\n    <<: *m\n`;
    const { diagnostics } = parsePolicyText(text, 'p.yaml');
    expect(lines(diagnostics)).toEqual([
      'p.yaml:9:5: duplicate merge key "<<" (first at line 8, column 5): merge several mappings with one key, as in "<<: [*a, *b]"',
    ]);
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
});

describe('parsePolicyText: aliases and keys plain data cannot hold', () => {
  it('reports an alias with no anchor before it at the alias, not as an alias bomb', () => {
    const text = `${header()}instances: [{name: *nope}]\nsummary_tasks: *later\nlater: &later {risk: on}\n`;
    const { documents, diagnostics } = parsePolicyText(text, 'p.yaml');
    expect(documents).toEqual([]);
    expect(lines(diagnostics)).toEqual([
      'p.yaml:4:20: undefined alias *nope: no anchor &nope comes before it',
      'p.yaml:5:16: undefined alias *later: no anchor &later comes before it',
    ]);
  });

  it('rejects a key that is a list or a mapping, at the key, once per outermost key', () => {
    const text = `${header()}? [a, b]\n: 1\n{k: {j: v}}: 2\nx: &pair [c]\n*pair : 3\n`;
    const { documents, diagnostics } = parsePolicyText(text, 'p.yaml');
    expect(documents).toEqual([]);
    expect(lines(diagnostics)).toEqual([
      'p.yaml:4:3: a key must be a plain name, not a list',
      'p.yaml:6:1: a key must be a plain name, not a mapping',
      'p.yaml:8:1: a key must be a plain name, not a list',
    ]);
  });

  it('prints no library warning for such a key', async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.message);
    process.on('warning', onWarning);
    try {
      parsePolicyText(`${header()}? [a, b]\n: 1\n`, 'p.yaml');
      await new Promise((resolve) => setImmediate(resolve)); // process warnings are emitted on a later tick
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings).toEqual([]);
  });
});

/** A document nesting lists or mappings `depth` levels (its top mapping is level 1), and where level depth starts. */
const NESTINGS: Record<string, (depth: number) => { text: string; line: number; col: number }> = {
  'flow lists': (n) => ({ text: `x: ${'['.repeat(n - 1)}${']'.repeat(n - 1)}\n`, line: 1, col: 3 + (n - 1) }),
  'flow mappings': (n) => ({ text: `x: ${'{a: '.repeat(n - 1)}${'}'.repeat(n - 1)}\n`, line: 1, col: 4 * (n - 1) }),
  'block lists': (n) => ({
    text: `x:\n${Array.from({ length: n - 1 }, (_, i) => `${' '.repeat(i + 1)}- `).join('\n')}\n`,
    line: n,
    col: n,
  }),
  'block mappings': (n) => ({ text: `${Array.from({ length: n }, (_, i) => `${' '.repeat(i)}a:`).join('\n')}\n`, line: n, col: n }),
  'explicit keys': (n) => ({ text: `${'? '.repeat(n)}a\n`, line: 1, col: 2 * n - 1 }),
};

describe('parsePolicyText: nesting depth', () => {
  it.each(Object.entries(NESTINGS))('refuses %s one level deeper than the limit, at that level', (_, nest) => {
    const { text, line, col } = nest(MAX_NESTING_DEPTH + 1);
    const { documents, diagnostics } = parsePolicyText(text, 'deep.yaml');
    expect(documents).toEqual([]);
    expect(lines(diagnostics)).toEqual([
      `deep.yaml:${line}:${col}: nesting deeper than ${MAX_NESTING_DEPTH} levels of lists and mappings: the document is not read`,
    ]);
  });

  it.each(Object.entries(NESTINGS))('reads %s nested exactly to the limit', (_, nest) => {
    const { diagnostics } = parsePolicyText(nest(MAX_NESTING_DEPTH).text, 'deep.yaml');
    expect(diagnostics.filter((d) => d.message.includes('nesting'))).toEqual([]);
  });

  it('refuses absurd nesting without overflowing, and keeps the other documents', () => {
    const absurd = `x: ${'['.repeat(200_000)}\n`;
    const { documents, diagnostics } = parsePolicyText(`${header()}---\n${absurd}---\n${header()}`, 'deep.yaml');
    expect(documents.map((d) => d.index)).toEqual([0, 2]);
    expect(lines(diagnostics)).toEqual([
      `deep.yaml:5:${3 + MAX_NESTING_DEPTH}: nesting deeper than ${MAX_NESTING_DEPTH} levels of lists and mappings: the document is not read`,
    ]);
  });

  it('validates a policy nested to the limit with schema messages only', () => {
    const deep = `${'['.repeat(MAX_NESTING_DEPTH - 5)}${']'.repeat(MAX_NESTING_DEPTH - 5)}`;
    const text = `${header()}instances:\n  - name: a\n    risk_rules:\n      - {name: r, risk_level: HIGH, actions: ${deep}}\n`;
    const { diagnostics } = validateTexts({ 'p.yaml': text });
    expect(lines(diagnostics)).toEqual([
      expect.stringMatching(/^p\.yaml:7:47 \$\.instances\[0\]\.risk_rules\[0\]\.actions\[0\]: must be one of .* \(got a list\)$/),
    ]);
  });
});

describe('alias count limit', () => {
  it('refuses a document with more than MAX_ALIASES aliases at the first one over, without reading it', () => {
    const pairs = Array.from({ length: MAX_ALIASES + 1 }, (_, i) => `  - &a${i} x${i}\n  - *a${i}`).join('\n');
    const text = `version: 1\nlist:\n${pairs}\n`;
    const r = parsePolicyText(text, 'many.yaml');
    expect(r.documents).toHaveLength(0);
    expect(r.diagnostics).toHaveLength(1);
    expect(r.diagnostics[0]!.message).toBe(`more than ${MAX_ALIASES} aliases in one document: the document is not read`);
    expect(r.diagnostics[0]!.line).toBe(3 + 2 * MAX_ALIASES + 1);
  });

  it('reads a document with exactly MAX_ALIASES aliases', () => {
    const pairs = Array.from({ length: MAX_ALIASES }, (_, i) => `  - &a${i} x${i}\n  - *a${i}`).join('\n');
    const r = parsePolicyText(`version: 1\nlist:\n${pairs}\n`, 'ok.yaml');
    expect(r.diagnostics.filter((d) => /aliases/.test(d.message))).toEqual([]);
    expect(r.documents).toHaveLength(1);
  });
});
