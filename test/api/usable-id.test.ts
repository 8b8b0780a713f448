import { describe, expect, it } from 'vitest';
import { idProblem } from '../../src/api/usable-id.js';
import { DbssPolicyError } from '../../src/errors.js';
import { emulator, P1, PROD } from '../emulator/helpers/fixtures.js';
import { ruleSpec, testClient } from './helpers/client.js';

/** Issue 18 item 1: ids from the API are checked before they go into a request. */
describe('idProblem', () => {
  it.each([
    ['', 'it is empty'],
    ['a,b', 'it contains the batch separator ","'],
    ['a b', 'it contains whitespace'],
    ['a\u00a0b', 'it contains whitespace'],
    ['a\tb', 'it contains a control or invisible character'],
    ['a\u202eb', 'it contains a control or invisible character'],
    ['a\u200bb', 'it contains a control or invisible character'],
    ['a/b', 'it cannot be one path segment (it contains "/", "\\", "?", "#" or "%")'],
    ['a\\b', 'it cannot be one path segment (it contains "/", "\\", "?", "#" or "%")'],
    ['a?b', 'it cannot be one path segment (it contains "/", "\\", "?", "#" or "%")'],
    ['a#b', 'it cannot be one path segment (it contains "/", "\\", "?", "#" or "%")'],
    ['a%2Fb', 'it cannot be one path segment (it contains "/", "\\", "?", "#" or "%")'],
    ['..', 'it cannot be one path segment (it is or contains a dot segment)'],
    ['.', 'it cannot be one path segment (it is or contains a dot segment)'],
    ['a..b', 'it cannot be one path segment (it is or contains a dot segment)'],
  ])('refuses %j: %s', (id, problem) => {
    expect(idProblem(id)).toBe(problem);
  });

  it.each(['c7ILB3kBCwCqSg3B2OpF', '5f2b7c0e9a1d4e3f8b6c2d1a0e9f8b7c', 'rule-1_a.b', 'Ünïcode'])('accepts %j', (id) => {
    expect(idProblem(id)).toBeUndefined();
  });
});

describe('the client sends no unusable id (the writer, defensively)', () => {
  it('refuses each call naming one, before any request', async () => {
    const emu = await emulator();
    const { client } = testClient(emu.url);
    try {
      const refused = async (what: Promise<unknown>): Promise<string> => {
        const err = await what.then(() => undefined, (e: unknown) => e);
        expect(err).toBeInstanceOf(DbssPolicyError);
        return (err as Error).message;
      };
      expect(await refused(client.switchRules(P1, PROD, ['ok-id-0000000000001', 'x,y'], 'OFF'))).toBe('switchRules: unusable rule id "x,y": it contains the batch separator ","; not sent');
      expect(await refused(client.deleteRule(P1, PROD, 'a/../b'))).toMatch(/^deleteRule: unusable rule id "a\/..\/b": it cannot be one path segment/);
      expect(await refused(client.updateRule(P1, PROD, 'a b', ruleSpec('n')))).toBe('updateRule: unusable rule id "a b": it contains whitespace; not sent');
      expect(await refused(client.setRank(P1, PROD, '', 1))).toBe('setRank: unusable rule id "": it is empty; not sent');
      expect(await refused(client.showRule(P1, PROD, 'a\u0007'))).toBe('showRule: unusable rule id "a\\u0007": it contains a control or invisible character; not sent');
      expect(await refused(client.listRules(P1, 'inst,other'))).toBe('listRules: unusable instance id "inst,other": it contains the batch separator ","; not sent');
      expect(await refused(client.createRule(P1, 'in st', ruleSpec('n')))).toBe('createRule: unusable instance id "in st": it contains whitespace; not sent');
      expect(emu.counters().requests).toBe(0);
    } finally {
      await client.close();
    }
  });
});
