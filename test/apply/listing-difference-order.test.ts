import { describe, expect, it } from 'vitest';
import type { RuleSummary } from '../../src/api/types.js';
import { listingDifference } from '../../src/apply/concurrent-writer.js';

/** The difference named between two listings is the first by id, whatever order either listing came in. */
const r = (id: string, over: Partial<RuleSummary> = {}): RuleSummary => ({ id, name: `n-${id}`, ruleType: 'CUSTOMIZE', status: 'ON', rank: 1, riskLevel: 'LOW', ...over });

describe('listingDifference names the first difference by id', () => {
  it('gone: the lowest id of the missing rules, listed in any order', () => {
    expect(listingDifference([r('r3'), r('r1'), r('r2')], [r('r3')])).toBe('rule "n-r1" (r1) is gone');
    expect(listingDifference([r('b'), r('a')], [])).toBe('rule "n-a" (a) is gone');
  });

  it('changed: the lowest id of the changed rules, before any rule that appeared', () => {
    expect(listingDifference([r('r2'), r('r1')], [r('r2', { status: 'OFF' }), r('r1', { riskLevel: 'HIGH' }), r('r0')])).toBe('rule "n-r1" (r1) changed');
    expect(listingDifference([r('r2'), r('r1')], [r('r2', { status: 'OFF' }), r('r1')])).toBe('rule "n-r2" (r2) changed');
  });

  it('appeared: the lowest new id, in code-unit order', () => {
    expect(listingDifference([r('m')], [r('z'), r('m'), r('B'), r('a')])).toBe('rule "n-B" (B) appeared');
  });

  it('an unchanged listing, reordered, has no difference', () => {
    expect(listingDifference([r('b'), r('a')], [r('a'), r('b')])).toBeUndefined();
  });
});
