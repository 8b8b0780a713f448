import type { BusiType } from '../domain.js';
import type { Prng } from './prng.js';
import type { EmulatorState, ProjectState, SummaryTaskState, TaskStatusCode } from './types.js';

/** A summary task that has never run, switched `on` or `off`. */
export function newSummaryTask(prng: Prng, taskSwitch: 'on' | 'off', taskStatus: TaskStatusCode = '0'): SummaryTaskState {
  return {
    id: 100000 + prng.int(900000),
    taskSwitch,
    taskStatus,
    beginTime: 0,
    endTime: 0,
    queryBeginTime: 0,
    queryEndTime: 0,
    runningUntil: 0,
  };
}

/** A project without instances whose summary tasks are both off. */
export function newProject(prng: Prng, region: string): ProjectState {
  return {
    region,
    instances: [],
    summaryTasks: { risk: newSummaryTask(prng, 'off'), audit: newSummaryTask(prng, 'off') },
  };
}

/** An empty state: no projects; rule ids start from `seed`. */
export function emptyState(seed = 1): EmulatorState {
  return { version: 1, idRngState: seed >>> 0, projects: {} };
}

/**
 * The project's summary task with time applied: a running task whose time is up reads as
 * succeeded ("2"). Mutates the stored task so the transition is recorded once.
 */
export function settleSummaryTask(project: ProjectState, busiType: BusiType, now: number): SummaryTaskState {
  const task = project.summaryTasks[busiType];
  if (task.taskStatus === '1' && now >= task.runningUntil) {
    task.taskStatus = '2';
    task.endTime = task.runningUntil;
    task.runningUntil = 0;
  }
  return task;
}
