import { describe, expect, it } from 'vitest';
import { CoverageGuard } from '../../src/apply/coverage-guard.js';
import type { RuleSummary } from '../../src/api/types.js';
import type { Change } from '../../src/plan/types.js';

/** Deletes of an instance wait until every create and update of that instance applied. */
const NO_REVIEW = { weakening: false, reasons: [] };
const T = 'cn-north-4/p/i';
const create = (rule: string, status: 'ON' | 'OFF' = 'ON'): Change => ({ id: `${T}#create:${rule}`, target: T, kind: 'create', rule, after: { status } as never, review: NO_REVIEW });
const listed = (name: string, status: 'ON' | 'OFF' = 'ON'): RuleSummary => ({ id: `id-${name}`, name, ruleType: 'CUSTOMIZE', status });
const update = (rule: string): Change => ({ id: `${T}#update:${rule}`, target: T, kind: 'update', rule, ruleId: 'r', before: {} as never, after: {} as never, fields: [], review: NO_REVIEW });
const del = (rule: string): Change => ({ id: `${T}#delete:${rule}`, target: T, kind: 'delete', rule, ruleId: 'd', review: NO_REVIEW });
const reorder: Change = { id: `${T}#reorder`, target: T, kind: 'reorder', order: [], moves: [], review: NO_REVIEW };
const sw: Change = { id: `${T}#switch:OFF`, target: T, kind: 'switch', status: 'OFF', rules: [], review: NO_REVIEW };

describe('CoverageGuard', () => {
  it('lets deletes run when every create and update applied and a listing shows the created rules', () => {
    const g = new CoverageGuard();
    g.finished(create('a'), 'applied');
    g.finished(update('b'), 'applied');
    expect(g.needsListing).toBe(true);
    g.listed([listed('old'), listed('a')]);
    expect(g.needsListing).toBe(false);
    expect(g.blocks(del('old'))).toBeUndefined();
  });

  it('keeps the old rule while a created one is not listed, or not in its declared status (issue 18 item 5)', () => {
    const g = new CoverageGuard();
    g.finished(create('new'), 'applied');
    g.finished(create('off', 'OFF'), 'applied');
    g.listed([listed('old'), listed('off', 'ON')]);
    expect(g.blocks(del('old'))).toBe('create of new answered success but new is not listed (and 1 more); keeping old');
    const h = new CoverageGuard();
    h.finished(create('off', 'OFF'), 'applied');
    h.listed([listed('off', 'ON')]);
    expect(h.blocks(del('old'))).toBe('create of off answered success but off is listed ON, declared OFF; keeping old');
  });

  it('names the missing created rules in name order, whichever create finished first', () => {
    const g = new CoverageGuard();
    g.finished(create('zeta'), 'applied');
    g.finished(create('alpha'), 'applied');
    g.finished(create('mid'), 'applied');
    g.listed([listed('old')]);
    expect(g.blocks(del('old'))).toBe('create of alpha answered success but alpha is not listed (and 2 more); keeping old');
  });

  it('is satisfied by one copy in the declared status when a created name is listed twice', () => {
    const g = new CoverageGuard();
    g.finished(create('dup'), 'applied');
    g.listed([listed('dup', 'OFF'), listed('dup', 'ON')]);
    expect(g.blocks(del('old'))).toBeUndefined();
  });

  it('keeps the old rule when the listing fails', () => {
    const g = new CoverageGuard();
    g.finished(create('new'), 'applied');
    g.unseen('503 busy');
    expect(g.blocks(del('old'))).toBe('the created rules could not be confirmed by a listing (503 busy); keeping old');
  });

  it('needs no listing without a create that applied', () => {
    const g = new CoverageGuard();
    g.finished(create('new'), 'failed');
    g.finished(update('u'), 'applied');
    expect(g.needsListing).toBe(false);
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
