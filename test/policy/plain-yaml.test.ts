import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { parsePolicyText, parsePolicyTextWithYaml } from '../../src/policy/parse-documents.js';
import type { PathSegment, PolicyDocument } from '../../src/policy/policy-document.js';
import { readPlainYaml } from '../../src/policy/plain-yaml.js';

/**
 * The fast reader must read what it accepts exactly as the yaml library does: the same
 * documents, the same data, the same location for every path (and for paths that do not exist),
 * and only files yaml reads without any diagnostic.
 */

type Value = string | Value[] | { [k: string]: Value };

/** Scalars that the core schema reads in every way: strings, null, booleans, numbers in every base. */
const SCALARS = [
  'ON', 'off', 'HIGH', 'rule-0001', 'a b', 'a:b', '10.0.0.0/8', '192.168.1.10-192.168.1.20', '2001:db8::1', 'x#y',
  'true', 'False', 'TRUE', 'null', 'Null', '~', '0', '-1', '+7', '007', '0o17', '0x1F', '1e3', '-2.5E-3', '.5', '1.', '.inf', '-.Inf', '.nan',
  'yes', 'no', 'é-ü', '-x', '?x', ':x',
];
const KEYS = ['name', 'risk_level', 'status', 'actions', 'a', 'b.c', 'd-e', 'f/g', 'on', 'yes', 'x1', '9lives'];

const scalar = fc.constantFrom(...SCALARS);
const value: fc.Arbitrary<Value> = fc.letrec<{ v: Value }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar,
    fc.array(tie('v'), { maxLength: 4 }),
    fc.dictionary(fc.constantFrom(...KEYS), tie('v'), { maxKeys: 4 }),
  ),
})).v;
const doc = fc.dictionary(fc.constantFrom(...KEYS), value, { minKeys: 1, maxKeys: 5 });

/** How a scalar is spelled: plain, or quoted (only where quoting keeps it on one line without escapes). */
function spell(s: string, style: number): string {
  if (style % 3 === 1) return `'${s.replace(/'/g, "''")}'`;
  if (style % 3 === 2 && !s.includes('"')) return `"${s}"`;
  return s;
}

const isMap = (v: Value): v is { [k: string]: Value } => typeof v === 'object' && !Array.isArray(v);
const isFlatScalars = (v: Value): boolean => (Array.isArray(v) ? v : isMap(v) ? Object.values(v) : [v]).every((x) => typeof x === 'string');

/** A hand-written rendering: block style, with flow lists/maps of scalars, comments and spacing drawn from `r`. */
function render(v: Value, indent: number, r: () => number, out: string[], first: string): void {
  const pad = ' '.repeat(indent);
  const comment = (): void => {
    if (r() < 0.15) out.push(`${pad}# note ${Math.floor(r() * 100)}`);
    if (r() < 0.1) out.push('');
  };
  if (isMap(v)) {
    Object.entries(v).forEach(([k, x], i) => {
      const lead = i === 0 ? first : pad;
      if (i > 0) comment();
      const sep = r() < 0.1 ? ' :' : ':';
      if (typeof x === 'string') out.push(`${lead}${k}${sep} ${spell(x, Math.floor(r() * 3))}${r() < 0.2 ? '   # why' : ''}`);
      else if (isFlatScalars(x) && r() < 0.5) out.push(`${lead}${k}${sep} ${flow(x, r)}`);
      else if ((Array.isArray(x) ? x.length : Object.keys(x).length) === 0) out.push(`${lead}${k}${sep} ${Array.isArray(x) ? '[]' : '{}'}`);
      else {
        out.push(`${lead}${k}${sep}`);
        const inner = Array.isArray(x) && r() < 0.3 ? indent : indent + 2; // a list may sit at its key's indentation
        render(x, inner, r, out, ' '.repeat(inner));
      }
    });
  } else if (Array.isArray(v)) {
    v.forEach((x, i) => {
      const lead = i === 0 ? first : pad;
      if (i > 0) comment();
      if (typeof x === 'string') out.push(`${lead}- ${spell(x, Math.floor(r() * 3))}`);
      else if (isFlatScalars(x) && r() < 0.5) out.push(`${lead}- ${flow(x, r)}`);
      else if ((Array.isArray(x) ? x.length : Object.keys(x).length) === 0) out.push(`${lead}- ${Array.isArray(x) ? '[]' : '{}'}`);
      else if (isMap(x)) render(x, indent + 2, r, out, `${lead}- `);
      else {
        // a list in a list: yaml's `- - a` form is beyond the fast reader; write it nested
        out.push(`${lead}- ${flowOr(x, r)}`);
      }
    });
  } else {
    out.push(`${first}${spell(v, 0)}`);
  }
}

function flow(x: Value, r: () => number): string {
  const items = Array.isArray(x) ? x.map((s) => spell(s as string, Math.floor(r() * 3))) : Object.entries(x).map(([k, s]) => `${k}: ${spell(s as string, Math.floor(r() * 3))}`);
  return Array.isArray(x) ? `[${items.join(', ')}]` : `{ ${items.join(', ')} }`;
}
const flowOr = (x: Value, r: () => number): string => (isFlatScalars(x) ? flow(x, r) : JSON.stringify(x));

const listInList = (v: Value): boolean =>
  Array.isArray(v) ? v.some((x) => Array.isArray(x) || listInList(x)) : isMap(v) ? Object.values(v).some(listInList) : false;

/** Every path into `v` (the empty path included). */
function paths(v: unknown, at: PathSegment[] = []): PathSegment[][] {
  const out = [at];
  if (Array.isArray(v)) v.forEach((x, i) => out.push(...paths(x, [...at, i])));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) out.push(...paths(x, [...at, k]));
  return out;
}

/** The plain reader agrees with yaml on `text`: same documents, data and locations; yaml found nothing wrong. */
function expectSameAsYaml(text: string): boolean {
  const plain = readPlainYaml(text);
  if (!plain) return false;
  const fast = parsePolicyText(text, 'p.yaml');
  const slow = parsePolicyTextWithYaml(text, 'p.yaml');
  expect(slow.diagnostics).toEqual([]);
  expect(fast.diagnostics).toEqual([]);
  expect(fast.documents.map((d) => d.index)).toEqual(slow.documents.map((d) => d.index));
  fast.documents.forEach((f: PolicyDocument, n) => {
    const s = slow.documents[n]!;
    expect(f.data).toEqual(s.data);
    for (const p of paths(s.data)) {
      for (const probe of [p, [...p, 'missing'], [...p, 7]]) {
        expect([probe, f.locate(probe)]).toEqual([probe, s.locate(probe)]);
        expect([probe, f.locate(probe, 'key')]).toEqual([probe, s.locate(probe, 'key')]);
      }
    }
  });
  return true;
}

describe('the fast YAML reader', () => {
  it('reads hand-written styles exactly as yaml does', () => {
    let read = 0;
    fc.assert(
      fc.property(fc.array(doc, { minLength: 1, maxLength: 3 }), fc.integer(), fc.boolean(), (docs, seed, lead) => {
        let x = seed >>> 0;
        const r = (): number => ((x = (Math.imul(x, 1664525) + 1013904223) >>> 0) / 2 ** 32);
        const out: string[] = lead ? ['# a leading comment', ''] : [];
        docs.forEach((d, i) => {
          if (i > 0 || (lead && r() < 0.5)) out.push(r() < 0.5 ? '---' : '--- # next');
          render(d, 0, r, out, '');
        });
        if (r() < 0.2) out.push('---');
        if (expectSameAsYaml(`${out.join('\n')}${r() < 0.8 ? '\n' : ''}`)) read++;
      }),
      { numRuns: 300, seed: 14 },
    );
    // lists of lists (`- - a`, `[[a]]`) are left to yaml: policies have none
    expect(read).toBeGreaterThan(120);
  });

  it('reads what yaml.stringify writes (the bench trees) exactly as yaml does', () => {
    fc.assert(
      fc.property(doc, (d) => {
        const read = expectSameAsYaml(stringify(d, { lineWidth: 0 }));
        if (!listInList(d)) expect(read).toBe(true); // policy-shaped: always read fast
      }),
      { numRuns: 200, seed: 15 },
    );
  });

  it('reads the example policies fast, exactly as yaml does', async () => {
    const { readFile, readdir } = await import('node:fs/promises');
    const { join } = await import('node:path');
    const root = join(import.meta.dirname, '../../policies');
    const files = (await readdir(root, { recursive: true })).filter((f) => f.endsWith('.yaml'));
    expect(files.length).toBeGreaterThan(3);
    for (const f of files) expect([f, expectSameAsYaml(await readFile(join(root, f), 'utf8'))]).toEqual([f, true]);
  });

  it.each([
    ['an anchor and alias', 'a: &x 1\nb: *x\n'],
    ['a tag', 'a: !!str 1\n'],
    ['a block scalar', 'a: |\n  text\n'],
    ['a multi-line plain scalar', 'a: one\n  two\n'],
    ['an escape', 'a: "x\\ty"\n'],
    ['a duplicate key', 'a: 1\na: 2\n'],
    ['a tab', 'a:\t1\n'],
    ['CRLF line ends', 'a: 1\r\nb: 2\r\n'],
    ['a directive', '%YAML 1.1\n---\na: 1\n'],
    ['an explicit key', '? a\n: 1\n'],
    ['a top-level list', '- a\n- b\n'],
    ['a top-level scalar', 'hello\n'],
    ['an empty file', '# only a comment\n'],
    ['nested flow', 'a: [[1, 2]]\n'],
    ['a syntax error', 'a: [1, 2\n'],
    ['a value with a colon-space', 'a: b: c\n'],
    ['a null list item', 'a:\n  -\n  - b\n'],
    ['a numeric key', '1: a\n'],
    ['a merge key', 'a: {x: 1}\n<<: {y: 2}\n'],
    ['an indented top level', '  a: 1\n'],
  ])('leaves %s to yaml', (_what, text) => {
    expect(readPlainYaml(text)).toBeUndefined();
    // and parsePolicyText still reads it through yaml, with its diagnostics
    const [fast, slow] = [parsePolicyText(text, 'p.yaml'), parsePolicyTextWithYaml(text, 'p.yaml')];
    expect(fast.diagnostics).toEqual(slow.diagnostics);
    expect(fast.documents.map((d) => d.data)).toEqual(slow.documents.map((d) => d.data));
  });
});
