import type { LiveState } from '../live/types.js';
import type { DesiredSummaryTask } from '../policy/types.js';
import { reviewTask } from './review.js';
import type { PlanProblem, PlanTarget, SetTaskChange } from './types.js';

/** The plan of the declared summary tasks. */
export interface TasksPlan {
  /** One target per project that has declared tasks and could be read. */
  readonly targets: readonly PlanTarget[];
  /** set-task changes. */
  readonly changes: readonly SetTaskChange[];
  /** Projects whose tasks could not be read. */
  readonly errors: readonly PlanProblem[];
}

/**
 * Compares each declared summary task with the live one of the same region, project and
 * busi_type. A project-level read error (key `region/project`) stops that project's tasks;
 * the instances of the project are planned on their own keys.
 */
export function planTasks(desired: readonly DesiredSummaryTask[], live: LiveState): TasksPlan {
  const targets = new Map<string, PlanTarget>();
  const changes: SetTaskChange[] = [];
  const errors = new Map<string, PlanProblem>();
  for (const task of desired) {
    const key = `${task.region}/${task.projectId}`;
    const failure = live.errors.find((e) => e.key === key);
    if (failure) {
      errors.set(`${key}\n${failure.message}`, { target: key, message: failure.message });
      continue;
    }
    const found = live.summaryTasks.find(
      (t) => t.region === task.region && t.projectId === task.projectId && t.busiType === task.busiType,
    );
    if (!found) {
      errors.set(`${key}\n${task.busiType}`, { target: key, message: `the ${task.busiType} summary task was not read` });
      continue;
    }
    targets.set(key, { key, region: task.region, projectId: task.projectId });
    // An unknown live switch (task_switch absent or unrecognised) plans the switch to the
    // declared value: the call is idempotent, and the read after it shows whether it took.
    if (found.enabled === task.enabled) continue;
    changes.push({
      id: `${key}#set-task:${task.busiType}`,
      target: key,
      kind: 'set-task',
      busiType: task.busiType,
      before: found.enabled ?? 'unknown',
      after: task.enabled,
      review: reviewTask(task.busiType, found.enabled, task.enabled),
      source: task.source,
    });
  }
  return { targets: [...targets.values()], changes, errors: [...errors.values()] };
}
