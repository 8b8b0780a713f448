import { describe, expect, it } from 'vitest';
import { asJavaScript, regexProblem } from '../../../src/kinds/sql-injection/regex-check.js';

describe('the regex check (Java syntax read as JavaScript)', () => {
  it.each([
    ['(?i)select', 'select'],
    ['(?is)a(?-i)b', 'ab'],
    ['(?i:drop)\\s+table', '(?:drop)\\s+table'],
    ['(?>a|ab)c', '(?:a|ab)c'],
    ['a++b*+c?+d{2}+', 'a+b*c?d{2}'],
    ['a\\++', 'a\\++'],
    ['\\Q(*)\\E+x', '\\(\\*\\)+x'],
    ['\\Q.*', '\\.\\*'],
    ['\\Aselect\\z', '^select$'],
    ['x\\Z', 'x$'],
    ['[\\A]', '[\\A]'],
    ['[]a]', '[\\]a]'],
    ['[^]a]', '[^\\]a]'],
    ['[(?i)]', '[(?i)]'],
    ['(?:a)(?=b)(?!c)(?<=d)', '(?:a)(?=b)(?!c)(?<=d)'],
    ["'\\s*or\\s*'1'='1", "'\\s*or\\s*'1'='1"],
    ['trailing\\', 'trailing\\'],
  ])('reads %s as %s', (java, js) => {
    expect(asJavaScript(java)).toBe(js);
  });

  it('accepts what compiles and explains what does not, naming the dialect', () => {
    expect(regexProblem('^\\d{6}$')).toBeUndefined();
    expect(regexProblem('(?i)union\\s+select')).toBeUndefined();
    expect(regexProblem('a(b')).toBe('not a valid regular expression (checked as a JavaScript RegExp after reading Java-only syntax; DBSS checks with its own, Java, rules): Unterminated group');
    expect(regexProblem('x{2,1}')).toMatch(/numbers out of order in \{\} quantifier$/);
    expect(regexProblem('trailing\\')).toMatch(/\\ at end of pattern$/);
  });
});
