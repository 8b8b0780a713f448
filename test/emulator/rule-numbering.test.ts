import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PROFILE, PROFILE_NAMES, PROFILES } from '../../src/emulator/index.js';
import { Prng } from '../../src/emulator/prng.js';
import { moveRule } from '../../src/emulator/rule-order.js';
import { insertCreated, moveRanked, rankedRules } from '../../src/emulator/rule-numbering.js';
import { customRule, systemRules } from '../../src/emulator/seed-rules.js';
import type { RuleState } from '../../src/emulator/types.js';

function rules(custom: number, mixed = false): RuleState[] {
  const prng = new Prng(3);
  const list = [...systemRules(prng), ...Array.from({ length: custom }, (_, i) => customRule(prng, { name: `c${i}`, riskLevel: 'LOW' }))];
  // A state written under the default profile may have custom rules above system rules.
  if (mixed && custom > 0) list.unshift(list.pop()!);
  return list;
}
const names = (list: readonly RuleState[]) => list.map((r) => r.name);

describe('rank numbering under profiles', () => {
  it('the default profile moves exactly as the historical rule order did (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10 }), fc.nat(), fc.integer({ min: 1, max: 20 }), (n, pick, target) => {
        const a = rules(n, true);
        const b = structuredClone(a);
        const custom = a.filter((r) => r.ruleType === 'CUSTOMIZE');
        const id = custom[pick % custom.length]!.id;
        moveRanked(a, DEFAULT_PROFILE, id, target);
        moveRule(b, id, target);
        expect(names(a)).toEqual(names(b));
        expect(rankedRules(a, DEFAULT_PROFILE).map((r) => r.rank)).toEqual(a.map((_, i) => i + 1));
      }),
    );
  });

  it('under every profile, any creates and moves keep the other rules in order and system rules on top where pinned (property)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...PROFILE_NAMES), fc.array(fc.tuple(fc.boolean(), fc.nat(), fc.integer({ min: 1, max: 100 })), { maxLength: 12 }), (name, steps) => {
        const profile = PROFILES[name];
        const list = rules(3, true);
        const prng = new Prng(5);
        let made = 0;
        for (const [create, pick, target] of steps) {
          if (create) insertCreated(list, profile, customRule(prng, { name: `new${made++}`, riskLevel: 'LOW' }));
          else {
            const custom = list.filter((r) => r.ruleType === 'CUSTOMIZE');
            const moved = custom[pick % custom.length]!;
            const before = names(list).filter((n) => n !== moved.name);
            moveRanked(list, profile, moved.id, target);
            if (!profile.systemPinned) expect(names(list).filter((n) => n !== moved.name)).toEqual(before);
          }
        }
        const ranked = rankedRules(list, profile);
        expect(ranked).toHaveLength(3 + 4 + made);
        if (profile.systemPinned) expect(list.slice(0, 4).every((r) => r.ruleType === 'SYSTEM')).toBe(true);
        const customRanks = ranked.filter((r) => r.rule.ruleType === 'CUSTOMIZE').map((r) => r.rank);
        const step = profile.rankStep;
        const offset = profile.rankNumbering === 'shared' ? ranked.findIndex((r) => r.rule.ruleType === 'CUSTOMIZE') : 0;
        if (profile.systemPinned) expect(customRanks).toEqual(customRanks.map((_, i) => step * (i + 1 + offset)));
      }),
    );
  });
});
