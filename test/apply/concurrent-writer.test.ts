import { describe, expect, it } from 'vitest';
import type { RuleSummary } from '../../src/api/types.js';
import { listingDifference } from '../../src/apply/concurrent-writer.js';

/** How a second listing of an instance is compared with the one the plan came from. */
const r = (id: string, over: Partial<RuleSummary> = {}): RuleSummary => ({ id, name: `n-${id}`, ruleType: 'CUSTOMIZE', status: 'ON', rank: Number(id.slice(1)), riskLevel: 'LOW', ...over });

describe('listingDifference', () => {
  it('finds no difference in the same rules listed in another order', () => {
    expect(listingDifference([r('r1'), r('r2')], [r('r2'), r('r1')])).toBeUndefined();
    expect(listingDifference([], [])).toBeUndefined();
  });

  it('names a rule that is gone, changed (any field) or new, the first by id', () => {
    expect(listingDifference([r('r1'), r('r2')], [r('r1')])).toBe('rule "n-r2" (r2) is gone');
    expect(listingDifference([r('r1'), r('r2')], [r('r2', { status: 'OFF' }), r('r1', { rank: 9 })])).toBe('rule "n-r1" (r1) changed');
    expect(listingDifference([r('r1')], [r('r1', { name: 'renamed' })])).toBe('rule "n-r1" (r1) changed');
    expect(listingDifference([r('r1')], [r('r1'), r('r3'), r('r2')])).toBe('rule "n-r2" (r2) appeared');
  });
});
