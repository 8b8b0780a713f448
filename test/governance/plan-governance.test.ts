import { describe, expect, it } from 'vitest';
import { covers, subjectsOf } from '../../src/governance/change-subjects.js';
import type { ObjectChangeLike } from '../../src/governance/change-subjects.js';
import { computePlan } from '../../src/plan/compute-plan.js';
import { composePlanComment } from '../../src/gitops/plan-comment.js';
import { renderMarkdown } from '../../src/render/markdown.js';
import { at, desired, instance, live, liveState, liveTask, P1, REGION, rule, task } from '../plan/builders.js';

const PROJECT = `${REGION}/${P1}`;
const opts = (now: string) => ({ toolVersion: 't', now });

describe('a summary task switched off until a date', () => {
  const d = desired([], [task('risk', false, { exception: { until: '2026-12-31', reason: 'cost review', source: at(40) } })]);
  const l = liveState([], [liveTask('risk', false)]);

  it('stays off before until, listed as expiring within the window', () => {
    const plan = computePlan(d, l, opts('2026-12-20T00:00:00Z'));
    expect(plan.changes).toEqual([]);
    expect(plan.expiring).toEqual([
      { target: PROJECT, kind: 'summary-task', object: 'risk', field: 'status', value: 'off', until: '2026-12-31', reason: 'cost review', source: at(40) },
    ]);
    expect(computePlan(d, l, { ...opts('2026-12-01T00:00:00Z'), expiringWithin: '14d' }).expiring).toEqual([]);
  });

  it('is listed in the markdown plan, and so in the pull-request comment', () => {
    const markdown = renderMarkdown(computePlan(d, l, opts('2026-12-20T00:00:00Z')));
    // Markdown escapes every character that could be markup, parentheses included.
    const line = `- ${PROJECT} summary-task risk status off until 2026-12-31 \\(policies/payments/cn-north-4.yaml:40\\): cost review`;
    expect(markdown).toContain('**Exceptions expiring within 14d \\(now 2026-12-20T00:00:00.000Z\\):**');
    expect(markdown).toContain(line);
    expect(composePlanComment({ markdown, exitCode: 0 })).toContain(line);
  });

  it('is switched on after it, labelled with where the exception was declared', () => {
    const plan = computePlan(d, l, opts('2027-01-01T00:00:00Z'));
    expect(plan.changes.map((c) => [c.kind, c.kind === 'set-task' && c.after, c.labels])).toEqual([
      ['set-task', true, [{ why: 'exception expired', source: at(40), until: '2026-12-31', reason: 'cost review' }]],
    ]);
  });

  it('is never expired without a now (a caller that gives none keeps every exception)', () => {
    expect(computePlan(d, l, { toolVersion: 't' }).changes).toEqual([]);
  });
});

describe('a waiver of a summary task', () => {
  it('leaves the project\'s task drift alone until its until, then labels the change', () => {
    const waiver = { region: REGION, projectId: P1, kind: 'summary-task', object: 'risk', until: '2026-12-31', reason: 'r', allowWeakening: false, source: at(3) };
    const d = { ...desired([], [task('risk', true)]), waivers: [waiver] };
    const l = liveState([], [liveTask('risk', false)]);
    const held = computePlan(d, l, opts('2026-12-20T00:00:00Z'));
    expect(held.changes).toEqual([]);
    expect(held.waived?.map((w) => [w.change.kind, w.weakening])).toEqual([['set-task', ['risk summary task stays off']]]);
    const ended = computePlan(d, l, opts('2027-01-01T00:00:00Z'));
    expect(ended.changes.map((c) => c.labels?.[0]?.why)).toEqual(['waiver expired']);
    expect(ended.waived).toBeUndefined();
  });

  it('of a rule that exists nowhere is reported, a waiver of another project is not', () => {
    const mine = { region: REGION, projectId: P1, instance: 'prod', kind: 'risk-rule', object: 'nope', until: '2026-12-31', reason: 'r', allowWeakening: false, source: at(3) };
    const other = { ...mine, projectId: 'b'.repeat(32), source: at(9) };
    const prod = instance('prod', { riskRules: [rule('r1')] });
    const plan = computePlan({ ...desired([prod]), waivers: [mine, other] }, liveState([live(prod, [{ id: 'r1', name: 'r1' }])]), opts('2026-12-20T00:00:00Z'));
    expect(plan.unmatchedWaivers?.map((w) => w.source.line)).toEqual([3]);
  });
});

describe('what a change is about', () => {
  it('names a kind\'s change by its kind, object and fields, so waivers of any registry kind match it', () => {
    const change: ObjectChangeLike = {
      id: 'x', target: 't', kind: 'object', objectKind: 'audit-scope', op: 'update', subject: 'finance-scope',
      fields: [{ field: 'db_names', before: ['a'], after: ['b'] }],
    };
    const [subject] = subjectsOf(change);
    expect(subject).toEqual({ target: 't', kind: 'audit-scope', object: 'finance-scope', field: 'db_names' });
    expect(covers({ kind: 'audit-scope', object: 'finance-scope' }, subject!)).toBe(true);
    expect(covers({ kind: 'audit-scope', object: 'finance-scope', field: 'action' }, subject!)).toBe(false);
    expect(covers({ kind: 'risk-rule', object: 'finance-scope' }, subject!)).toBe(false);
  });
});
