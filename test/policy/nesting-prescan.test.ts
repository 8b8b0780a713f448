import { describe, expect, it } from 'vitest';
import { blankTooDeep, nestingTooDeep } from '../../src/policy/nesting-prescan.js';
import { MAX_NESTING_DEPTH, parsePolicyText } from '../../src/policy/parse-documents.js';

/** The cheap scan that refuses deep nesting before the YAML parser builds anything. */
describe('nesting pre-scan', () => {
  it('1 MiB of `[` is refused at the level past the limit, with its position, and nothing is parsed', () => {
    const text = `version: 1\nx: ${'['.repeat(1024 * 1024)}\n`;
    const r = parsePolicyText(text, 'bomb.yaml');
    expect(r.documents).toEqual([]);
    expect(r.diagnostics.map((d) => `${d.file}:${d.line}:${d.col} ${d.message}`)).toEqual([
      `bomb.yaml:2:${3 + MAX_NESTING_DEPTH} nesting deeper than ${MAX_NESTING_DEPTH} levels of lists and mappings: the document is not read`,
    ]);
  });

  it('finds nested flow mappings and a line of compact block sequences', () => {
    expect(nestingTooDeep(`a: ${'{b: '.repeat(150)}`, 100)).toEqual({ offset: 3 + 4 * 99, depth: 100 });
    expect(nestingTooDeep(`${'- '.repeat(150)}x\n`, 100)?.depth).toBe(100);
  });

  it('does not count brackets in quoted scalars, comments or words, nor closed ones', () => {
    const deepQuoted = `a: "${'['.repeat(500)}"\nb: '${'{'.repeat(500)}'\n# ${'['.repeat(500)}\nc: it's${'['.repeat(5)}\n`;
    expect(nestingTooDeep(deepQuoted, 100)).toBeUndefined();
    expect(nestingTooDeep(`${'[]'.repeat(10_000)}\n${'[['.repeat(40)}${']]'.repeat(40)}`, 100)).toBeUndefined();
  });

  it('blanks only the deep document, keeping the lines of the others', () => {
    const text = `a: 1\n---\nb: ${'['.repeat(200)}\n---\nc: 3\n`;
    const r = blankTooDeep(text, 100);
    expect(r.deep).toEqual([9 + 3 + 99]);
    expect(r.text.split('\n')).toEqual(['a: 1', '---', '', '---', 'c: 3', '']);
  });
});
