import { describe, expect, it } from 'vitest';
import { normaliseSql } from '../../../src/kinds/whitelist/sql-text.js';

describe('normaliseSql: the identity of a whitelist entry', () => {
  it('trims and collapses whitespace runs outside quotes into one space', () => {
    expect(normaliseSql('  SELECT *\n  FROM\t\tusers \r\n WHERE id = 1  ')).toBe('SELECT * FROM users WHERE id = 1');
  });

  it('keeps whitespace inside single, double and backtick quotes', () => {
    expect(normaliseSql("SELECT  'a   b\n c'  FROM  \"my  table\"  JOIN  `x  y`")).toBe("SELECT 'a   b\n c' FROM \"my  table\" JOIN `x  y`");
  });

  it('keeps a doubled quote and a backslash-escaped quote inside the literal', () => {
    expect(normaliseSql("SELECT  'O''Brien   x'  ,  'it\\'s   y'   FROM t")).toBe("SELECT 'O''Brien   x' , 'it\\'s   y' FROM t");
  });

  it('keeps case, operators as written and a trailing semicolon', () => {
    expect(normaliseSql('select a=1;')).toBe('select a=1;');
    expect(normaliseSql('SELECT a = 1')).not.toBe(normaliseSql('select a = 1'));
    expect(normaliseSql('SELECT a = 1')).not.toBe(normaliseSql('SELECT a=1'));
  });

  it('keeps an unterminated quote to the end, and unicode as is', () => {
    expect(normaliseSql("SELECT  'ü  规则 🚀")).toBe("SELECT 'ü  规则 🚀");
    expect(normaliseSql('   ')).toBe('');
  });
});
