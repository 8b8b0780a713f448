import { describe, expect, it } from 'vitest';
import { cmp, sortChanges, sortNotes, sortProblems } from '../../src/plan/order.js';
import { NOT_WEAKENING } from '../../src/plan/review.js';
import type { Change } from '../../src/plan/types.js';

/**
 * One deterministic order for everything a plan lists, so that the same inputs always print the
 * same plan (and the same saved plan compares equal), on every machine and in every locale.
 */

const t1 = 'cn-north-4/p/a';
const t2 = 'cn-north-4/p/b';
const c = (target: string, kind: string, extra: Record<string, unknown> = {}): Change =>
  ({ id: `${target}#${kind}:${String(extra['rule'] ?? extra['busiType'] ?? extra['status'] ?? '')}`, target, kind, review: NOT_WEAKENING, ...extra }) as unknown as Change;
const ids = (changes: readonly Change[]): string[] => changes.map((x) => x.id);

describe('cmp (code-unit order)', () => {
  it.each([
    ['a', 'b', -1],
    ['b', 'a', 1],
    ['a', 'a', 0],
    ['', 'a', -1],
    ['a', '', 1],
    // Not the locale's order: upper case before lower case, accents after z.
    ['B', 'a', -1],
    ['a', 'B', 1],
    ['é', 'z', 1],
    ['ab', 'a', 1],
  ])('cmp(%j, %j) = %d', (x, y, expected) => {
    expect(cmp(x, y)).toBe(expected);
  });
});

describe('sortChanges', () => {
  it('orders by target first, then by kind in apply order', () => {
    const changes = [
      c(t2, 'update', { rule: 'a' }),
      c(t1, 'set-task', { busiType: 'risk' }),
      c(t1, 'delete', { rule: 'a' }),
      c(t1, 'reorder', {}),
      c(t1, 'create', { rule: 'a' }),
      c(t1, 'switch', { status: 'ON' }),
      c(t1, 'update', { rule: 'z' }),
    ];
    expect(ids(sortChanges(changes))).toEqual([
      `${t1}#update:z`,
      `${t1}#switch:ON`,
      `${t1}#create:a`,
      `${t1}#reorder:`,
      `${t1}#delete:a`,
      `${t1}#set-task:risk`,
      `${t2}#update:a`,
    ]);
  });

  it.each(['create', 'update', 'delete'])('orders %s changes of one target by rule name (code units)', (kind) => {
    const changes = ['b', 'B', 'a', 'é'].map((rule) => c(t1, kind, { rule }));
    expect(sortChanges(changes).map((x) => (x as { rule: string }).rule)).toEqual(['B', 'a', 'b', 'é']);
  });

  it('puts the ON batch before the OFF batch', () => {
    expect(ids(sortChanges([c(t1, 'switch', { status: 'OFF' }), c(t1, 'switch', { status: 'ON' })]))).toEqual([`${t1}#switch:ON`, `${t1}#switch:OFF`]);
    expect(ids(sortChanges([c(t1, 'switch', { status: 'ON' }), c(t1, 'switch', { status: 'OFF' })]))).toEqual([`${t1}#switch:ON`, `${t1}#switch:OFF`]);
  });

  it('orders the summary tasks of one project by business type', () => {
    const p = 'cn-north-4/p';
    expect(ids(sortChanges([c(p, 'set-task', { busiType: 'risk' }), c(p, 'set-task', { busiType: 'audit' })]))).toEqual([`${p}#set-task:audit`, `${p}#set-task:risk`]);
  });

  it('keeps the input untouched and the order of changes that tie', () => {
    const input = [c(t1, 'reorder', { id: 'second' }), c(t1, 'reorder', { id: 'first' })];
    expect(ids(sortChanges(input))).toEqual(['second', 'first']);
    const reversed = [c(t2, 'create', { rule: 'a' }), c(t1, 'create', { rule: 'a' })];
    expect(ids(sortChanges(reversed))).toEqual([`${t1}#create:a`, `${t2}#create:a`]);
    expect(ids(reversed)).toEqual([`${t2}#create:a`, `${t1}#create:a`]);
  });
});

describe('sortNotes and sortProblems', () => {
  it('orders notes by target, then rule (instance-wide notes first), then message', () => {
    const notes = [
      { target: t2, message: 'a' },
      { target: t1, rule: 'r2', message: 'a' },
      { target: t1, rule: 'r1', message: 'b' },
      { target: t1, rule: 'r1', message: 'a' },
      { target: t1, message: 'z' },
      { target: t1, message: 'y' },
      { target: t1, rule: 'A', message: 'a' },
    ];
    expect(sortNotes(notes)).toEqual([
      { target: t1, message: 'y' },
      { target: t1, message: 'z' },
      { target: t1, rule: 'A', message: 'a' },
      { target: t1, rule: 'r1', message: 'a' },
      { target: t1, rule: 'r1', message: 'b' },
      { target: t1, rule: 'r2', message: 'a' },
      { target: t2, message: 'a' },
    ]);
    expect(notes[0]).toEqual({ target: t2, message: 'a' });
  });

  it('orders problems by target, then message', () => {
    const problems = [
      { target: t2, message: 'a' },
      { target: t1, message: 'b' },
      { target: t1, message: 'a' },
    ];
    expect(sortProblems(problems)).toEqual([
      { target: t1, message: 'a' },
      { target: t1, message: 'b' },
      { target: t2, message: 'a' },
    ]);
    expect(problems[0]).toEqual({ target: t2, message: 'a' });
  });
});
