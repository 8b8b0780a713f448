import { describe, expect, it } from 'vitest';
import { describeRanks, listedRules, numberingObservations } from '../../src/probe/observe-list.js';

const SYS = ['Database_drag_detection', 'Slow_SQL_detection'];
function items(system: (number | undefined)[], custom: (number | undefined)[], withType = true) {
  const item = (name: string, type: string, rank: number | undefined) => ({ id: `id-${name}`, name, status: 'ON', type: 'OPERATE', ...(withType ? { rule_type: type } : {}), ...(rank === undefined ? {} : { rank }) });
  return [...system.map((r, i) => item(SYS[i] ?? `sys-${i}`, 'SYSTEM', r)), ...custom.map((r, i) => item(`custom-${i}`, 'CUSTOMIZE', r))];
}
const options = (obs: ReturnType<typeof numberingObservations>) => Object.fromEntries(obs.filter((o) => o.option).map((o) => [o.option, o.value]));

describe('describeRanks', () => {
  it('names dense runs, steps and irregular numberings; a step only when the numbering starts at it', () => {
    expect(describeRanks([3, 1, 2])).toEqual({ text: '1..3 dense', step: 1 });
    expect(describeRanks([10, 20, 30])).toEqual({ text: '10..30 step 10', step: 10 });
    expect(describeRanks([5, 6, 7])).toEqual({ text: '5..7 dense' });
    expect(describeRanks([1, 2, 5])).toEqual({ text: 'irregular: 1, 2, 5' });
    expect(describeRanks([])).toEqual({ text: 'none' });
  });
});

describe('numberingObservations', () => {
  it('one shared dense list', () => {
    expect(options(numberingObservations(listedRules(items([1, 2], [3, 4]))))).toEqual({ systemRanks: 'shared', rankNumbering: 'shared', rankStep: 1 });
  });
  it('a custom rule ranked above a system rule shows the system rules can be passed', () => {
    expect(options(numberingObservations(listedRules(items([2, 3], [1, 4]))))).toMatchObject({ rankNumbering: 'shared', systemPinned: false });
  });
  it('system rules without rank, negative, or with a numbering of their own', () => {
    expect(options(numberingObservations(listedRules(items([undefined, undefined], [1, 2]))))).toEqual({ systemRanks: 'absent', rankNumbering: 'custom', systemPinned: true, rankStep: 1 });
    const negative = numberingObservations(listedRules(items([-2, -1], [1, 2])));
    expect(options(negative)).toMatchObject({ systemRanks: 'negative' });
    expect(negative.find((o) => o.point === 'system rules')?.observed).toBe('negative ranks -2..-1');
    expect(options(numberingObservations(listedRules(items([10, 20], [10, 20, 30]))))).toEqual({ systemRanks: 'own', rankNumbering: 'custom', systemPinned: true, rankStep: 10 });
  });
  it('without rule_type, the built-in names are system rules', () => {
    const rules = listedRules(items([undefined, undefined], [1], false));
    expect(rules.map((r) => r.system)).toEqual([true, true, false]);
  });
  it('system ranks with no custom rule to compare settle nothing', () => {
    expect(options(numberingObservations(listedRules(items([1, 2], []))))).toEqual({});
  });
});
