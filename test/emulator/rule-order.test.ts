import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Prng } from '../../src/emulator/prng.js';
import { appendRule, moveRule, rankOf, removeRule } from '../../src/emulator/rule-order.js';
import { customRule } from '../../src/emulator/seed-rules.js';
import type { RuleState } from '../../src/emulator/types.js';

function rules(n: number): RuleState[] {
  const prng = new Prng(7);
  return Array.from({ length: n }, (_, i) => customRule(prng, { name: `r${i + 1}`, riskLevel: 'LOW' }));
}
const names = (list: RuleState[]) => list.map((r) => r.name);

describe('rank semantics', () => {
  it('moves a rule so that its rank becomes new_rank and shifts the others', () => {
    const list = rules(5);
    expect(moveRule(list, list[4]!.id, 2)).toBe(2);
    expect(names(list)).toEqual(['r1', 'r5', 'r2', 'r3', 'r4']);
    expect(moveRule(list, list[0]!.id, 4)).toBe(4);
    expect(names(list)).toEqual(['r5', 'r2', 'r3', 'r1', 'r4']);
  });

  it('clamps new_rank to 1..n', () => {
    const list = rules(3);
    expect(moveRule(list, list[0]!.id, 99)).toBe(3);
    expect(names(list)).toEqual(['r2', 'r3', 'r1']);
    expect(moveRule(list, list[2]!.id, 0)).toBe(1);
    expect(names(list)).toEqual(['r1', 'r2', 'r3']);
  });

  it('appends at n+1, and delete closes the gap', () => {
    const list = rules(3);
    const extra = customRule(new Prng(9), { name: 'r4', riskLevel: 'HIGH' });
    expect(appendRule(list, extra)).toBe(4);
    expect(removeRule(list, list[1]!.id)).toBe(true);
    expect(names(list)).toEqual(['r1', 'r3', 'r4']);
    expect(rankOf(list, extra.id)).toBe(3);
    expect(removeRule(list, 'missing-id-000000')).toBe(false);
    expect(moveRule(list, 'missing-id-000000', 1)).toBeUndefined();
  });

  it('keeps the others in relative order and puts the moved rule at the clamped rank (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.nat(), fc.integer({ min: -3, max: 20 }), (n, pick, target) => {
        const list = rules(n);
        const moved = list[pick % n]!;
        const othersBefore = names(list).filter((x) => x !== moved.name);
        const rank = moveRule(list, moved.id, target);
        const expected = Math.min(Math.max(target, 1), n);
        expect(rank).toBe(expected);
        expect(rankOf(list, moved.id)).toBe(expected);
        expect(names(list).filter((x) => x !== moved.name)).toEqual(othersBefore);
        expect(list).toHaveLength(n);
      }),
    );
  });
});
