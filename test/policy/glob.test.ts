import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { globMatches } from '../../src/policy/glob.js';

describe('selector globs', () => {
  it.each([
    ['prod-*', 'prod-audit', true],
    ['prod-*', 'prod-', true],
    ['prod-*', 'staging-prod-audit', false],
    ['*-audit', 'bi-audit', true],
    ['*-audit', 'bi-audit-2', false],
    ['bi-?', 'bi-1', true],
    ['bi-?', 'bi-12', false],
    ['bi-?', 'bi-', false],
    ['*', '', true],
    ['Prod-*', 'prod-audit', false],
    ['db.audit', 'dbXaudit', false],
    ['a+b(c)[d]{2}|e^$\\', 'a+b(c)[d]{2}|e^$\\', true],
    ['审计-*', '审计-生产', true],
    ['??', '审计', true],
  ])('%s against %s: %s', (glob, name, expected) => {
    expect(globMatches(glob, name)).toBe(expected);
  });

  it('matches a name without wildcards exactly, whatever characters it holds', () => {
    fc.assert(
      fc.property(fc.string().filter((s) => !/[*?]/.test(s)), fc.string(), (name, other) => {
        expect(globMatches(name, name)).toBe(true);
        expect(globMatches(name, other)).toBe(name === other);
      }),
    );
  });

  it('treats * as any run and ? as one character, anchored at both ends', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.string(), fc.string({ minLength: 1, maxLength: 1 }), (head, middle, tail, one) => {
        const plain = (s: string): string => s.replace(/[*?]/g, '');
        const [h, t] = [plain(head), plain(tail)];
        expect(globMatches(`${h}*${t}`, `${h}${middle}${t}`)).toBe(true);
        expect(globMatches(`${h}?${t}`, `${h}${one}${t}`)).toBe(true);
        expect(globMatches(`${h}?${t}`, `${h}${t}`)).toBe(false);
        expect(globMatches(`${h}*`, `x${h}`)).toBe(`x${h}`.startsWith(h));
      }),
    );
  });
});
