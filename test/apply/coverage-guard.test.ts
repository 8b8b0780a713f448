import { describe, expect, it } from 'vitest';
import { CoverageGuard } from '../../src/apply/coverage-guard.js';
import type { Change } from '../../src/plan/types.js';

/** Deletes of an instance wait until every create and update of that instance applied. */
const NO_REVIEW = { weakening: false, reasons: [] };
const T = 'cn-north-4/p/i';
const create = (rule: string): Change => ({ id: `${T}#create:${rule}`, target: T, kind: 'create', rule, after: {} as never, review: NO_REVIEW });
const update = (rule: string): Change => ({ id: `${T}#update:${rule}`, target: T, kind: 'update', rule, ruleId: 'r', before: {} as never, after: {} as never, fields: [], review: NO_REVIEW });
const del = (rule: string): Change => ({ id: `${T}#delete:${rule}`, target: T, kind: 'delete', rule, ruleId: 'd', review: NO_REVIEW });
const reorder: Change = { id: `${T}#reorder`, target: T, kind: 'reorder', order: [], moves: [], review: NO_REVIEW };
const sw: Change = { id: `${T}#switch:OFF`, target: T, kind: 'switch', status: 'OFF', rules: [], review: NO_REVIEW };

describe('CoverageGuard', () => {
  it('lets deletes run when every create and update applied', () => {
    const g = new CoverageGuard();
    g.finished(create('a'), 'applied');
    g.finished(update('b'), 'applied');
    expect(g.blocks(del('old'))).toBeUndefined();
  });

  it('a failed reorder or switch does not hold the deletes back', () => {
    const g = new CoverageGuard();
    g.finished(reorder, 'failed');
    g.finished(sw, 'failed');
    expect(g.blocks(del('old'))).toBeUndefined();
  });

  it('names the first create or update that did not apply, how it ended, and how many more', () => {
    const g = new CoverageGuard();
    g.finished(update('u'), 'failed');
    expect(g.blocks(del('old'))).toBe('update of u failed; deleting old now would lose coverage');
    g.finished(create('c'), 'not-attempted');
    g.finished(create('s'), 'skipped');
    expect(g.blocks(del('old'))).toBe('update of u failed (and 2 more); deleting old now would lose coverage');
  });

  it('says "was not-attempted" / "was skipped" for a change that never ran', () => {
    const g = new CoverageGuard();
    g.finished(create('c'), 'not-attempted');
    expect(g.blocks(del('x'))).toBe('create of c was not-attempted; deleting x now would lose coverage');
    const h = new CoverageGuard();
    h.finished(update('u'), 'skipped');
    expect(h.blocks(del('x'))).toBe('update of u was skipped; deleting x now would lose coverage');
  });

  it('blocks only deletes', () => {
    const g = new CoverageGuard();
    g.finished(create('c'), 'failed');
    expect(g.blocks(reorder)).toBeUndefined();
    expect(g.blocks(create('d'))).toBeUndefined();
  });
});
