import { BUSI_TYPES } from '../../domain.js';
import type { ApiProfile } from '../api-profile.js';
import type { Handler, HandlerRequest } from '../service-context.js';
import { projectForWrite, projectOf } from '../service-context.js';
import { settleSummaryTask } from '../project-state.js';
import { enumValue, jsonObjectBody } from '../validate-request.js';
import { badRequest } from '../wire-errors.js';

/**
 * The tenant audit-information summary task (dbss-api.md §4): read on v3, written on v1.
 * `execute` makes the task run ("1") for the configured duration, after which it reads as
 * succeeded ("2"). `busi_type` is case-sensitive: `risk` or `audit`.
 */

const busiType = (req: HandlerRequest) => enumValue('busi_type', req.params.busi_type, BUSI_TYPES);

/** task_switch as the profile spells it on read (its values are undocumented; the write side takes on/off). */
function taskSwitchAs(value: 'on' | 'off', how: ApiProfile['taskSwitch']): string | boolean | undefined {
  if (how === 'upper') return value.toUpperCase();
  if (how === 'boolean') return value === 'on';
  return how === 'absent' ? undefined : value;
}

const present = (o: Record<string, unknown>): Record<string, unknown> => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

function optionalTime(body: Record<string, unknown>, name: string): number | undefined {
  const v = body[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) throw badRequest(`invalid ${name}: must be a non-negative integer (epoch ms)`);
  return v;
}

/** GET /v3/{project_id}/audit/summary/{busi_type}/task-status. */
export const showSummaryTask: Handler = (ctx, req) => {
  const projectId = req.params.project_id ?? '';
  const project = projectOf(ctx, projectId);
  const type = busiType(req);
  const task = settleSummaryTask(project, type, ctx.now());
  const total = project.instances.length;
  const elapsed = task.taskStatus === '1' ? (ctx.now() - task.beginTime) / Math.max(1, task.runningUntil - task.beginTime) : 0;
  const completed = task.taskStatus === '2' ? total : Math.min(total, Math.floor(total * elapsed));
  return {
    status: 200,
    body: present({
      id: task.id,
      project_id: projectId,
      busi_type: type,
      task_switch: taskSwitchAs(task.taskSwitch, ctx.profile.taskSwitch),
      task_status: task.taskStatus,
      begin_time: task.beginTime,
      end_time: task.endTime,
      query_begin_time: task.queryBeginTime,
      query_end_time: task.queryEndTime,
      total_num: total,
      completed_num: completed,
    }),
  };
};

/** POST /v1/{project_id}/audit/summary/{busi_type}/task-status: 200 with an empty body. */
export const updateSummaryTask: Handler = (ctx, req) => {
  // Validate everything before touching the model.
  const type = busiType(req);
  const body = jsonObjectBody(req.body);
  const operType = enumValue('oper_type', body.oper_type, ['switch', 'execute'] as const);
  const code = operType === 'switch' ? enumValue('code (required when oper_type is switch)', body.code, ['on', 'off'] as const) : undefined;
  const queryBegin = optionalTime(body, 'query_begin_time');
  const queryEnd = optionalTime(body, 'query_end_time');

  const task = settleSummaryTask(projectForWrite(ctx, req.params.project_id ?? ''), type, ctx.now());
  if (code) {
    task.taskSwitch = code;
    return { status: 200 };
  }
  const now = ctx.now();
  task.taskStatus = '1';
  task.beginTime = now;
  task.endTime = 0;
  task.runningUntil = now + Math.max(0, ctx.summaryTaskDurationMs);
  task.queryBeginTime = queryBegin ?? task.queryBeginTime;
  task.queryEndTime = queryEnd ?? task.queryEndTime;
  return { status: 200 };
};
