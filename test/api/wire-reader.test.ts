import { describe, expect, it } from 'vitest';
import { WireObject, type Fail } from '../../src/api/wire-reader.js';
import { fail, refusal } from './helpers/refusal.js';

/**
 * The tolerant field reader every DBSS answer goes through (src/api/wire-reader.ts): which
 * spellings and value shapes it accepts, and the exact message naming the field it refuses.
 */

/** An answer object at the top level (path ''), as the wire mappers create it. */
const top = (raw: unknown): WireObject => new WireObject(raw, '', fail);

describe('WireObject: the answer must be an object', () => {
  it.each([
    ['a string', 'x', 'answer: expected an object, got "x"'],
    ['a number', 5, 'answer: expected an object, got 5'],
    ['null', null, 'answer: expected an object, got null'],
    ['an array', [1], 'answer: expected an object, got [1]'],
    ['nothing', undefined, 'answer: expected an object, got nothing'],
  ])('refuses %s at the top level, calling it "answer"', (_, raw, message) => {
    expect(refusal(() => top(raw))).toBe(message);
  });

  it('names a list item by its path', () => {
    expect(refusal(() => top({ rules: [{ id: 'a' }, 'b'] }).objects('rules'))).toBe('rules[1]: expected an object, got "b"');
  });

  it('calls the caller\'s fail, so the caller decides the error type', () => {
    class Custom extends Error {}
    const own: Fail = (detail) => {
      throw new Custom(detail);
    };
    expect(() => new WireObject([], 'x', own)).toThrow(Custom);
    expect(() => new WireObject({ a: 1 }, 'x', own).string('b')).toThrow(Custom);
  });
});

describe('WireObject.get: snake_case, then camelCase', () => {
  it('prefers the snake_case spelling and falls back to the camelCase one', () => {
    expect(top({ rule_id: 's', ruleId: 'c' }).get('rule_id')).toBe('s');
    expect(top({ ruleId: 'c' }).get('rule_id')).toBe('c');
    expect(top({ rule_id: 's' }).get('rule_id')).toBe('s');
  });

  it('converts every underscore, digits included', () => {
    expect(top({ affectRowsMax: 1 }).get('affect_rows_max')).toBe(1);
    expect(top({ level2Name: 'x' }).get('level_2_name')).toBe('x');
    expect(top({ affectrowsmax: 1, affect_rowsMax: 2 }).get('affect_rows_max')).toBeUndefined();
  });

  it('reads null as absent, and a null snake_case field falls back to the camelCase one', () => {
    expect(top({ rank: null }).get('rank')).toBeUndefined();
    expect(top({ rule_id: null, ruleId: 'c' }).get('rule_id')).toBe('c');
    expect(top({}).get('rank')).toBeUndefined();
  });

  it('keeps falsy values that are present', () => {
    expect(top({ rank: 0 }).get('rank')).toBe(0);
    expect(top({ ignore_case: false }).get('ignore_case')).toBe(false);
    expect(top({ name: '' }).get('name')).toBe('');
  });
});

describe('WireObject.fail: the message names the path and shows the value as JSON', () => {
  it('at the top level and nested', () => {
    expect(refusal(() => top({ rank: 'x' }).fail('rank', 'an integer'))).toBe('rank: expected an integer, got "x"');
    expect(refusal(() => new WireObject({ rank: { a: 1 } }, 'rules[3]', fail).fail('rank', 'an integer'))).toBe('rules[3].rank: expected an integer, got {"a":1}');
    expect(refusal(() => top({}).fail('rank', 'an integer'))).toBe('rank: expected an integer, got nothing');
  });
});

describe('WireObject.string / optionalString', () => {
  it('reads strings and finite numbers as text', () => {
    const o = top({ a: 'x', b: 17, c: 0, d: -2.5 });
    expect([o.string('a'), o.string('b'), o.string('c'), o.string('d')]).toEqual(['x', '17', '0', '-2.5']);
  });

  it('reads absent, null and empty as undefined, and string() refuses them', () => {
    const o = top({ a: '', b: null });
    expect([o.optionalString('a'), o.optionalString('b'), o.optionalString('c')]).toEqual([undefined, undefined, undefined]);
    expect(refusal(() => o.string('a'))).toBe('a: expected a non-empty string, got ""');
    expect(refusal(() => o.string('c'))).toBe('c: expected a non-empty string, got nothing');
  });

  it('keeps a blank string as it is (only the mappers trim what they compare)', () => {
    expect(top({ a: ' x ' }).string('a')).toBe(' x ');
  });

  it('refuses booleans, objects, lists and a number too large for JSON to hold', () => {
    expect(refusal(() => top({ a: true }).optionalString('a'))).toBe('a: expected a string, got true');
    expect(refusal(() => top({ a: { b: 1 } }).optionalString('a'))).toBe('a: expected a string, got {"b":1}');
    expect(refusal(() => top({ a: ['x'] }).string('a'))).toBe('a: expected a string, got ["x"]');
    // JSON.parse reads 1e400 as Infinity: not a usable id or name
    expect(refusal(() => top(JSON.parse('{"id": 1e400}')).string('id'))).toBe('id: expected a string, got null');
  });
});

describe('WireObject.integer / optionalInteger', () => {
  it('reads integers and integer strings, blanks around them allowed', () => {
    const o = top({ a: 3, b: '42', c: '-7', d: ' 8 ', e: 0, f: '0', g: -1 });
    expect(['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((k) => o.integer(k))).toEqual([3, 42, -7, 8, 0, 0, -1]);
  });

  it('reads absent, null and "" as undefined, and integer() refuses them', () => {
    const o = top({ a: null, b: '' });
    expect([o.optionalInteger('a'), o.optionalInteger('b'), o.optionalInteger('c')]).toEqual([undefined, undefined, undefined]);
    expect(refusal(() => o.integer('c'))).toBe('c: expected an integer, got nothing');
    expect(refusal(() => o.integer('b'))).toBe('b: expected an integer, got ""');
  });

  it.each([
    ['a fraction', 1.5, '1.5'],
    ['a fraction as text', '1.5', '"1.5"'],
    ['trailing text', '7x', '"7x"'],
    ['leading text', 'x7', '"x7"'],
    ['a plus sign', '+7', '"+7"'],
    ['a lone minus', '-', '"-"'],
    ['two numbers', '1 2', '"1 2"'],
    ['a boolean', true, 'true'],
    ['a list', [1], '[1]'],
    ['an unsafe integer', 2 ** 53, '9007199254740992'],
    ['an unsafe integer as text', '9007199254740993', '"9007199254740993"'],
    ['an exponent', '1e3', '"1e3"'],
    ['hex', '0x10', '"0x10"'],
  ])('refuses %s', (_, value, shown) => {
    expect(refusal(() => top({ rank: value }).optionalInteger('rank'))).toBe(`rank: expected an integer, got ${shown}`);
  });
});

describe('WireObject.boolean', () => {
  it('reads booleans and their text, and the fallback when absent or null', () => {
    const o = top({ a: true, b: false, c: 'true', d: 'false', e: null });
    expect([o.boolean('a', false), o.boolean('b', true), o.boolean('c', false), o.boolean('d', true)]).toEqual([true, false, true, false]);
    expect([o.boolean('e', true), o.boolean('e', false), o.boolean('z', true), o.boolean('z', false)]).toEqual([true, false, true, false]);
  });

  it.each([
    ['a number', 1, '1'],
    ['another word', 'yes', '"yes"'],
    ['an upper-case word', 'TRUE', '"TRUE"'],
    ['an empty string', '', '""'],
  ])('refuses %s', (_, value, shown) => {
    expect(refusal(() => top({ ignore_case: value }).boolean('ignore_case', false))).toBe(`ignore_case: expected a boolean, got ${shown}`);
  });
});

describe('WireObject.commaList', () => {
  it('splits a comma-separated string into trimmed, non-empty items', () => {
    expect(top({ a: ' DROP_TABLE , ,DELETE,' }).commaList('a')).toEqual(['DROP_TABLE', 'DELETE']);
    expect(top({ a: 'one' }).commaList('a')).toEqual(['one']);
    expect(top({ a: '' }).commaList('a')).toEqual([]);
  });

  it('reads a list of strings the same way', () => {
    expect(top({ a: [' x', '', 'y '] }).commaList('a')).toEqual(['x', 'y']);
    expect(top({ a: [] }).commaList('a')).toEqual([]);
  });

  it('reads absent and null as no items', () => {
    expect(top({ a: null }).commaList('a')).toEqual([]);
    expect(top({}).commaList('a')).toEqual([]);
  });

  it('refuses a list holding anything but strings, and other values', () => {
    expect(refusal(() => top({ a: ['x', 1] }).commaList('a'))).toBe('a: expected a comma-separated string, got ["x",1]');
    expect(refusal(() => top({ a: 5 }).commaList('a'))).toBe('a: expected a comma-separated string, got 5');
    expect(refusal(() => top({ a: { b: 'c' } }).commaList('a'))).toBe('a: expected a comma-separated string, got {"b":"c"}');
  });
});

describe('WireObject.objects / optionalObjects', () => {
  it('reads each item as an object with its path', () => {
    const items = top({ rules: [{ id: 'a' }, { id: 'b', rank: 'x' }] }).objects('rules');
    expect(items.map((i) => i.get('id'))).toEqual(['a', 'b']);
    expect(refusal(() => items[1]!.integer('rank'))).toBe('rules[1].rank: expected an integer, got "x"');
  });

  it('nests paths', () => {
    const inner = new WireObject({ schemas: [{}, { table: 5 }] }, 'rules[2]', fail).optionalObjects('schemas');
    expect(refusal(() => inner[1]!.string('column'))).toBe('rules[2].schemas[1].column: expected a non-empty string, got nothing');
  });

  // A rule list answer without `rules` must never read as "no rules": the planner would then
  // create every declared rule again.
  it('refuses a required list that is absent or null, instead of reading it as empty', () => {
    expect(refusal(() => top({ total: 0 }).objects('rules'))).toBe('rules: expected a list, got nothing');
    expect(refusal(() => top({ rules: null }).objects('rules'))).toBe('rules: expected a list, got nothing');
  });

  it('reads an optional list that is absent as empty, and an empty list as empty', () => {
    expect(top({}).optionalObjects('schemas')).toEqual([]);
    expect(top({ schemas: null }).optionalObjects('schemas')).toEqual([]);
    expect(top({ rules: [] }).objects('rules')).toEqual([]);
  });

  it('refuses a value that is not a list, required or not', () => {
    expect(refusal(() => top({ schemas: { schema: 'db' } }).optionalObjects('schemas'))).toBe('schemas: expected a list, got {"schema":"db"}');
    expect(refusal(() => top({ rules: 'r1' }).objects('rules'))).toBe('rules: expected a list, got "r1"');
  });
});
