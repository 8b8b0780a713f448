import { describe, expect, it } from 'vitest';
import type { RuleSummary } from '../../src/api/types.js';
import { describeNumbering } from '../../src/plan/rank-numbering.js';

const sys = (rank?: number): RuleSummary => ({ id: `s${rank}`, name: `S${rank}`, ruleType: 'SYSTEM', status: 'ON', ...(rank === undefined ? {} : { rank }) });
const cus = (rank?: number, i = rank): RuleSummary => ({ id: `c${i}`, name: `C${i}`, ruleType: 'CUSTOMIZE', status: 'ON', ...(rank === undefined ? {} : { rank }) });

describe('describeNumbering: what the list shows of the rank numbering', () => {
  it.each([
    ['shared dense, system first', [sys(1), sys(2), cus(3), cus(4)], 'shared-dense', true, 'system and custom share 1..4 (dense, system first)'],
    ['shared dense, interleaved', [cus(1), sys(2), cus(3)], 'shared-dense', true, 'system and custom share 1..3 (dense)'],
    ['custom 1..n, system unranked', [sys(), sys(), cus(1), cus(2), cus(3)], 'custom-dense', true, 'custom 1..3 dense; system rules unranked'],
    ['custom 1..n, system negative', [sys(-2), sys(-1), cus(1), cus(2)], 'custom-dense', true, 'custom 1..2 dense; system -2..-1 above'],
    ['custom 1..n, system numbered on their own', [sys(1), sys(2), cus(1, 7), cus(2, 8)], 'custom-dense', true, 'custom 1..2 dense; system rules ranked 1..2'],
    ['gapped', [sys(), cus(10), cus(20), cus(30)], 'gapped', false, 'custom 10..30 with gaps; system rules unranked'],
    ['ties', [cus(1, 1), cus(1, 2)], 'ties', false, 'custom 1..1 with ties; no system rules listed'],
    ['unranked customs', [sys(1), cus(undefined, 1), cus(undefined, 2)], 'unranked', true, '0 ranked custom rules; system 1..1 above; 2 custom rules unranked'],
  ] as const)('%s', (_what, rules, kind, predictable, text) => {
    expect(describeNumbering(rules)).toEqual({ kind, predictable, text });
  });
});

describe('describeNumbering: the remaining shapes and their wording', () => {
  it.each([
    ['one ranked custom rule, none listed as system', [cus(3)], 'unranked', true, '1 ranked custom rule; no system rules listed'],
    ['one custom rule unranked', [cus(1, 1), cus(2, 2), cus(undefined, 3)], 'custom-dense', true, 'custom 1..2 dense; no system rules listed; 1 custom rule unranked'],
    ['system rules partly ranked', [sys(1), sys(), cus(5), cus(6)], 'custom-dense', true, 'custom 5..6 dense; system rules partly ranked (1..1)'],
    ['system ranked after the customs', [cus(1), cus(2), sys(3), sys(4)], 'shared-dense', true, 'system and custom share 1..4 (dense)'],
    ['system ranked below, apart', [cus(1), cus(2), sys(5)], 'custom-dense', true, 'custom 1..2 dense; system rules ranked 5..5'],
    ['system above with a gap', [sys(1), cus(3), cus(4)], 'custom-dense', true, 'custom 3..4 dense; system 1..1 above'],
    ['gaps that system ranks do not fill', [sys(2), cus(1), cus(4)], 'gapped', false, 'custom 1..4 with gaps; system rules ranked 2..2'],
    ['shared ranks with a duplicate system rank', [sys(1), sys(1), cus(2), cus(3)], 'custom-dense', true, 'custom 2..3 dense; system 1..1 above'],
    ['system ranks around the customs, shared', [sys(1), cus(2), cus(3), sys(4)], 'shared-dense', true, 'system and custom share 1..4 (dense)'],
    ['system ranks around the customs, apart', [sys(1), sys(9), cus(3), cus(4)], 'custom-dense', true, 'custom 3..4 dense; system rules ranked 1..9'],
    ['a system rank equal to the first custom one', [sys(2), cus(2, 5), cus(3, 6)], 'custom-dense', true, 'custom 2..3 dense; system rules ranked 2..2'],
    ['ties and gaps', [cus(1, 1), cus(1, 2), cus(5, 3)], 'ties', false, 'custom 1..5 with ties; no system rules listed'],
  ] as const)('%s', (_what, rules, kind, predictable, text) => {
    expect(describeNumbering(rules)).toEqual({ kind, predictable, text });
  });
});
