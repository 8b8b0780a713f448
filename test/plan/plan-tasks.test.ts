import { describe, expect, it } from 'vitest';
import { planTasks } from '../../src/plan/plan-tasks.js';
import { at, liveState, liveTask, P1, REGION, task } from './builders.js';

const P2 = 'a'.repeat(32);
const KEY = `${REGION}/${P1}`;
const KEY2 = `${REGION}/${P2}`;

describe('planTasks', () => {
  it('keeps a project that matches as a target, without a change', () => {
    const plan = planTasks([task('risk', true), task('audit', false)], liveState([], [liveTask('risk', true), liveTask('audit', false)]));
    expect(plan).toEqual({ targets: [{ key: KEY, region: REGION, projectId: P1 }], changes: [], errors: [] });
  });

  it('plans a switch to the declared value when the live one is unknown, shown as "unknown" and reviewed as possibly weakening', () => {
    const plan = planTasks([task('audit', false, { source: at(41) })], liveState([], [{ ...liveTask('audit', true), enabled: undefined }]));
    expect(plan.changes).toEqual([
      {
        id: `${KEY}#set-task:audit`,
        target: KEY,
        kind: 'set-task',
        busiType: 'audit',
        before: 'unknown',
        after: false,
        review: { weakening: true, reasons: ['audit summary task switched off'] },
        source: at(41),
      },
    ]);
  });

  it('matches the live task of the same region, project and busi type only', () => {
    const elsewhere = [
      { ...liveTask('risk', false), projectId: P2 },
      { ...liveTask('risk', false), region: 'cn-east-3' },
      liveTask('audit', false),
    ];
    const plan = planTasks([task('risk', true)], liveState([], elsewhere));
    expect(plan.targets).toEqual([]);
    expect(plan.changes).toEqual([]);
    expect(plan.errors).toEqual([{ target: KEY, message: 'the risk summary task was not read' }]);
  });

  it('reports a project read error once per project and message, and still plans the other projects', () => {
    const plan = planTasks(
      [task('risk', true), task('audit', true), task('risk', true, { projectId: P2 })],
      liveState([], [{ ...liveTask('risk', false), projectId: P2 }], [
        { key: `${KEY}/some-instance`, message: 'instance error, not the project' },
        { key: KEY, message: 'listing summary tasks: 403' },
      ]),
    );
    expect(plan.errors).toEqual([{ target: KEY, message: 'listing summary tasks: 403' }]);
    expect(plan.targets).toEqual([{ key: KEY2, region: REGION, projectId: P2 }]);
    expect(plan.changes.map((c) => c.id)).toEqual([`${KEY2}#set-task:risk`]);
  });

  it('reports each unread busi type of a project', () => {
    const plan = planTasks([task('risk', true), task('audit', true)], liveState([], []));
    expect(plan.errors).toEqual([
      { target: KEY, message: 'the risk summary task was not read' },
      { target: KEY, message: 'the audit summary task was not read' },
    ]);
  });
});

describe('planTasks: several projects', () => {
  it('reports the read error of each failing project', () => {
    const plan = planTasks(
      [task('risk', true), task('risk', true, { projectId: P2 })],
      liveState([], [], [
        { key: KEY, message: 'listing summary tasks: 403' },
        { key: KEY2, message: 'listing summary tasks: 403' },
      ]),
    );
    expect(plan.errors).toEqual([
      { target: KEY, message: 'listing summary tasks: 403' },
      { target: KEY2, message: 'listing summary tasks: 403' },
    ]);
  });
});
