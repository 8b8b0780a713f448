import { describe, expect, it } from 'vitest';
import { computePlan } from '../../src/plan/compute-plan.js';
import { CHANGE_KIND_ORDER } from '../../src/plan/types.js';
import { readPage, section } from '../helpers/doc-pages.js';
import { at, desired, instance, live, liveState, liveTask, P1, REGION, rule, task } from './builders.js';

const opts = { toolVersion: '0.1.0' };
const key = (name: string): string => `${REGION}/${P1}/${name}`;

describe('computePlan: read failures and targets', () => {
  it('reports every read failure of an instance, and only those, even when part of it was read', () => {
    const d = instance('prod-audit', { riskRules: [rule('new')] });
    const plan = computePlan(
      desired([d]),
      liveState([live(d, [], { status: 'SHUTOFF' })], [], [
        { key: key('prod-audit'), message: 'listing rules: 500' },
        { key: key('other'), message: 'not ours' },
        { key: key('prod-audit'), message: 'showing rule x: 404' },
      ]),
      opts,
    );
    expect(plan.errors).toEqual([
      { target: key('prod-audit'), message: 'listing rules: 500' },
      { target: key('prod-audit'), message: 'showing rule x: 404' },
    ]);
    expect(plan.changes).toEqual([]);
    expect(plan.targets).toEqual([]);
  });

  it('records the selector that found an instance on its target', () => {
    const d = instance('bi-1', { selector: 'bi-*' });
    const plan = computePlan(desired([d]), liveState([live(d, [], { id: 'inst-9' })]), opts);
    expect(plan.targets).toStrictEqual([{ key: key('bi-1'), region: REGION, projectId: P1, instanceId: 'inst-9', instanceName: 'bi-1', selector: 'bi-*' }]);
    const named = instance('named');
    expect(computePlan(desired([named]), liveState([live(named)]), opts).targets).toStrictEqual([
      { key: key('named'), region: REGION, projectId: P1, instanceId: 'inst-named', instanceName: 'named' },
    ]);
  });

  it('selects an instance that could not be read by its declared name, so that its error is shown', () => {
    const a = instance('a');
    const b = instance('b');
    const plan = computePlan(desired([a, b]), liveState([live(b)], [], [{ key: key('a'), message: 'listing instances: 403' }]), { ...opts, instances: ['a'] });
    expect(plan.errors).toEqual([{ target: key('a'), message: 'listing instances: 403' }]);
    expect(plan.targets).toEqual([]);
  });

  it('plans the summary tasks with no --instance, and only the asked projects\' tasks with one', () => {
    const a = instance('a', { id: 'declared-id', riskRules: [rule('new')] });
    const other = task('risk', true, { projectId: 'b'.repeat(32), source: at(50) });
    const state = liveState([live(a, [], { id: 'declared-id', name: 'live-a' })], [liveTask('risk', false), { ...liveTask('risk', false), projectId: 'b'.repeat(32) }]);
    const ids = (instances?: string[], summaryTasks?: boolean): string[] =>
      computePlan(desired([a], [task('risk', true), other]), state, { ...opts, ...(instances ? { instances } : {}), ...(summaryTasks === undefined ? {} : { summaryTasks }) }).changes.map((c) => c.id);
    const aKey = `${REGION}/${P1}/id:declared-id`;
    expect(ids()).toEqual([`${REGION}/${P1}#set-task:risk`, `${aKey}#create:new`, `${REGION}/${'b'.repeat(32)}#set-task:risk`]);
    expect(ids(['declared-id'])).toEqual([`${aKey}#create:new`]);
    expect(ids(['live-a'], true)).toEqual([`${REGION}/${P1}#set-task:risk`, `${aKey}#create:new`]);
  });

  it('names each --instance that matched nothing, in order', () => {
    const a = instance('a');
    const c = instance('c');
    const plan = computePlan(desired([a, c]), liveState([live(a), live(c)]), { ...opts, instances: ['zz', 'a', 'b'] });
    expect(plan.errors).toEqual([
      { target: 'b', message: '--instance b matches no declared instance' },
      { target: 'zz', message: '--instance zz matches no declared instance' },
    ]);
    expect(plan.targets.map((t) => t.key)).toEqual([key('a')]);
  });
});

describe('CHANGE_KIND_ORDER', () => {
  it('is the apply order docs/plan-and-apply.md documents (Applying): updates, switches, creates, the reorder, deletes, the other kinds; then summary tasks', () => {
    expect(CHANGE_KIND_ORDER).toEqual(['update', 'switch', 'create', 'reorder', 'delete', 'object', 'set-task']);
    const paragraph = /Within an instance:[\s\S]*?\n\n/.exec(section(readPage('docs/plan-and-apply.md'), 'Applying'))![0];
    const kinds = { updates: 'update', switches: 'switch', creates: 'create', reorder: 'reorder', deletes: 'delete', 'other\nkinds': 'object', 'other kinds': 'object' } as const;
    const documented = [...new Set([...paragraph.matchAll(/\b(updates|switches|creates|reorder|deletes|other\skinds)\b/g)].map((m) => kinds[m[1] as keyof typeof kinds]))];
    expect(documented).toEqual(CHANGE_KIND_ORDER.filter((k) => k !== 'set-task'));
  });
});
