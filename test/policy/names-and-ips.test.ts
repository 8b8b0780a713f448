import { describe, expect, it } from 'vitest';
import { header, lines, validateTexts } from './policy-fixtures.js';

/** Names and values the API will take: checked offline, before anything is read or sent. */
const policy = (ruleNames: readonly string[], extra = ''): string =>
  `${header()}instances:\n  - name: prod\n    risk_rules:\n${ruleNames.map((n) => `      - name: ${JSON.stringify(n)}\n        risk_level: HIGH\n${extra}`).join('')}`;

describe('IP entries', () => {
  it('blanks around a range or prefix are trimmed before validation and sending', () => {
    const r = validateTexts({ 'p.yaml': policy(['r'], '        client_ips: ["10.0.0.3 - 10.0.0.4", " 10.1.0.0 / 16 "]\n        exception_ips: ["10.0.0.5 "]\n') });
    expect(lines(r.diagnostics)).toEqual([]);
    const rule = r.desired.instances[0]!.riskRules[0]!;
    expect(rule.clientIps).toEqual(['10.0.0.3-10.0.0.4', '10.1.0.0/16']);
    expect(rule.exceptionIps).toEqual(['10.0.0.5']);
  });

  it('a blank inside an address is still an error; a tidied duplicate is a duplicate', () => {
    const r = validateTexts({ 'p.yaml': policy(['r'], '        client_ips: ["10.0.0. 3", "10.0.0.3-10.0.0.4", "10.0.0.3 - 10.0.0.4"]\n') });
    expect(lines(r.diagnostics)).toEqual([
      expect.stringMatching(/client_ips\[0\]: .*10\.0\.0\. 3/),
      expect.stringMatching(/client_ips\[2\]: duplicate client_ips "10\.0\.0\.3 - 10\.0\.0\.4" \(same as the entry at p\.yaml:\d+:\d+\)/),
    ]);
  });
});

describe('names', () => {
  it('length is counted in UTF-16 code units, as DBSS counts: 128 emoji are 256 units', () => {
    const r = validateTexts({ 'p.yaml': policy(['😀'.repeat(128), '😀'.repeat(127)]) });
    expect(lines(r.diagnostics)).toEqual([
      expect.stringMatching(/risk_rules\[0\]\.name: must be at most 255 UTF-16 code units, as DBSS counts \(got 256; a character outside the BMP, e\.g\. an emoji, counts as 2\)$/),
    ]);
  });

  it.each([
    ['NUL', 'drop\u0000table', 'a NUL character (U+0000) at position 5'],
    ['a control character', 'drop\u0007table', 'a control character (U+0007) at position 5'],
    ['a zero-width space', 'drop\u200btable', 'a zero-width character (U+200B) at position 5'],
    ['a bidi override', 'drop\u202etable', 'a bidirectional control character (U+202E) at position 5'],
  ])('a name with %s is an error (printed escaped)', (_what, name, detail) => {
    const r = validateTexts({ 'p.yaml': policy([name]) });
    const shown = JSON.stringify(name).replace(/[\u200b\u202e]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`);
    expect(lines(r.diagnostics)).toEqual([expect.stringContaining(`$.instances[0].risk_rules[0].name: rule name ${shown} contains ${detail}`)]);
    expect(r.diagnostics[0]!.severity).toBe('error');
  });

  it('names that differ only by Unicode normalisation are duplicates', () => {
    const r = validateTexts({ 'p.yaml': policy(['caf\u00e9', 'cafe\u0301']) });
    expect(lines(r.diagnostics)).toEqual([
      expect.stringMatching(/risk_rules\[1\]\.name: rule name "cafe\u0301" is the same as the rule at p\.yaml:\d+:\d+ once Unicode-normalised \(NFC\); names must differ visibly$/),
    ]);
  });

  it('a name mixing Latin and Cyrillic letters is a warning, not an error', () => {
    const r = validateTexts({ 'p.yaml': policy(['dr\u043ep-table']) });
    expect(lines(r.diagnostics)).toEqual([expect.stringMatching(/warning: rule name "drоp-table" mixes Latin and Cyrillic letters; it may be a look-alike of another name$/)]);
    expect(r.diagnostics.every((d) => d.severity === 'warning')).toBe(true);
  });

  it('an instance name with a bidi override is an error', () => {
    const text = `${header()}instances:\n  - name: "prod\u202e"\n`;
    expect(lines(validateTexts({ 'p.yaml': text }).diagnostics)).toEqual([expect.stringContaining('instance name "prod\\u202e" contains a bidirectional control character (U+202E) at position 5')]);
  });
});
