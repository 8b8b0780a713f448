import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { githubOutputLines, planFlags, runPlanFlags } from '../../src/gitops/plan-flags.js';
import { captureIO, tempDir } from './helpers/io.js';
import { change, plan } from './helpers/plan-samples.js';

describe('planFlags', () => {
  it('an empty plan is not destructive', () => {
    expect(planFlags(plan([]))).toEqual({
      destructive: false,
      changes: 0,
      deletes: 0,
      weakening: 0,
      errors: 0,
      refusals: 0,
      byKind: {},
      summary: 'no changes',
    });
  });

  it('creates, updates, switches ON, reorders and tasks ON are not destructive', () => {
    const flags = planFlags(plan([change('create'), change('update'), change('switch'), change('reorder'), change('set-task')]));
    expect(flags.destructive).toBe(false);
    expect(flags.summary).toBe('5 changes (1 update, 1 switch, 1 create, 1 reorder, 1 set-task)');
  });

  it('a deletion is destructive', () => {
    const flags = planFlags(plan([change('create'), change('delete')]));
    expect(flags).toMatchObject({ destructive: true, deletes: 1, weakening: 1 });
    expect(flags.summary).toBe('2 changes (1 create, 1 delete); 1 weakens auditing');
  });

  it('an update the planner marks as weakening is destructive', () => {
    const weaker = change('update', { review: { weakening: true, reasons: ['risk_level HIGH → LOW'] } });
    expect(planFlags(plan([weaker]))).toMatchObject({ destructive: true, deletes: 0, weakening: 1 });
  });

  it('switching rules OFF or a summary task off is destructive even when the review flag says otherwise', () => {
    expect(planFlags(plan([change('switch', { status: 'OFF' })])).destructive).toBe(true);
    expect(planFlags(plan([change('set-task', { before: true, after: false })])).destructive).toBe(true);
  });

  it('counts errors and refusals in the summary', () => {
    const flags = planFlags(
      plan([change('delete'), change('delete', { rule: 'x' })], {
        errors: [{ target: 't', message: 'unknown instance' }],
        refusals: [{ target: 't', message: '4 of 10 rules deleted' }, { target: 'u', message: '…' }],
      }),
    );
    expect(flags.summary).toBe('2 changes (2 delete); 2 weaken auditing; 1 target could not be planned; 2 safety refusals');
  });

  it('rejects what is not a version-1 plan, naming the source', () => {
    expect(() => planFlags([], 'p.json')).toThrow(/p\.json: unsupported plan formatVersion undefined/);
    expect(() => planFlags({ ...plan([]), formatVersion: 2 }, 'p.json')).toThrow('p.json: unsupported plan formatVersion 2 (expected 1)');
    expect(() => planFlags({ ...plan([]), changes: {} }, 'p.json')).toThrow('p.json: "changes" is not an array');
    expect(() => planFlags(plan([change('explode')]), 'p.json')).toThrow('p.json: changes[0].kind "explode" is not a known change kind');
  });

  it('writes one name=value line per output', () => {
    expect(githubOutputLines(planFlags(plan([change('delete')])))).toBe(
      'destructive=true\nchanges=1\ndeletes=1\nweakening=1\nerrors=0\nrefusals=0\nsummary=1 change (1 delete); 1 weakens auditing\n',
    );
  });
});

describe('plan-flags script', () => {
  it('prints the outputs of a plan file', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'plan.json'), JSON.stringify(plan([change('update')])));
    const io = captureIO({}, dir);
    expect(await runPlanFlags(['plan.json'], io)).toBe(0);
    expect(io.out()).toMatch(/^destructive=false\nchanges=1\n/);
    expect(io.err()).toBe('');
  });

  it('fails clearly on a missing file, broken JSON or no argument', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'broken.json'), '{"formatVersion": 1,');
    const io = captureIO({}, dir);
    expect(await runPlanFlags(['missing.json'], io)).toBe(1);
    expect(io.err()).toMatch(/cannot read the plan .*missing\.json/);
    expect(await runPlanFlags(['broken.json'], io)).toBe(1);
    expect(io.err()).toMatch(/broken\.json: not valid JSON/);
    expect(await runPlanFlags([], io)).toBe(1);
    expect(io.err()).toContain('usage: plan-flags PLAN.json');
    expect(io.out()).toBe('');
  });
});
