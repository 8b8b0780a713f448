import { writeFile } from 'node:fs/promises';
import type { ApplyProgress } from '../apply/types.js';
import { DbssPolicyError } from '../errors.js';
import type { PreparedPlan, RunInputs } from '../run/reconcile.js';
import { applyAndVerify } from '../run/reconcile.js';
import { outcomeCounts, renderResultMarkdown, renderResultText } from '../render/render-result.js';
import { applyRecord } from './apply-record.js';
import type { ApplyRecord } from './apply-record.js';
import { planBlockers } from './exit-codes.js';
import { EXIT } from './io.js';
import type { CliIO } from './io.js';
import { appendStepSummary } from './output.js';
import { notPlannedLines } from '../render/plan-summary.js';
import { confirmApply } from './confirm.js';
import { acquireRunLockWaiting } from '../apply/lock-wait.js';
import { escapeText } from '../render/escape.js';
import { lockDir, lockTarget } from './lock-target.js';
import { abortAtDeadline } from './run-deadline.js';

/** Options of the apply step shared by `apply` and `reconcile`. */
export interface ApplyFlowOptions {
  /** Apply despite safety refusals. */
  readonly force: boolean;
  /** Refuse a plan that weakens auditing. */
  readonly failOnWeakening: boolean;
  /** Refuse a plan with a guardrail violation of severity error. */
  readonly failOnGuardrail?: boolean;
  /** Write a JSON audit record of the apply here. */
  readonly report?: string;
  /** Ask on the terminal before changing anything (interactive, without --yes). */
  readonly ask?: boolean;
  /**
   * Receives the record of the apply (reconcile --format json prints it with the plan); the
   * text result then goes to stderr, so stdout stays one JSON document.
   */
  readonly onRecord?: (record: ApplyRecord) => void;
}

/**
 * Applies a prepared plan with signal handling and progress, prints the result, writes the
 * report and job summary, and returns the exit code: 0 converged (skipped changes included: the
 * fresh plan shows they are not needed), 1 failures or not converged, 130 interrupted.
 */
export async function runApplyFlow(
  prepared: Pick<PreparedPlan, 'desired' | 'plan'> & Partial<Pick<PreparedPlan, 'live'>>,
  inputs: RunInputs,
  io: CliIO,
  options: ApplyFlowOptions,
): Promise<number> {
  const blockers = planBlockers(prepared.plan, options);
  if (blockers.length > 0) {
    throw new DbssPolicyError('PLAN_REFUSED', `plan refused, nothing was changed:\n  ${blockers.join('\n  ')}`);
  }
  // What was not read is the last word, so "Converged" or "Nothing to apply" never stands alone.
  const notPlanned = notPlannedLines(prepared.plan);
  const unread = notPlanned.length > 0 ? ` ${notPlanned.join(' ')}` : '';
  if (prepared.plan.changes.length === 0) {
    io.stderr.write(`Nothing to apply.${unread}\n`);
    return prepared.plan.errors.length > 0 ? EXIT.error : EXIT.ok;
  }
  if (options.ask === true && !(await confirmApply(io, prepared.plan))) {
    io.stderr.write('Apply cancelled; nothing was changed.\n');
    return EXIT.error;
  }
  const started = new Date();
  const lockTargets = prepared.plan.changes.map((c) => lockTarget(prepared.plan, c.target, inputs.endpoint));
  const lock = await acquireRunLockWaiting(lockDir(io), lockTargets, inputs.lockWait);
  for (const note of lock.notes) io.stderr.write(`${escapeText(note)}\n`);
  const controller = new AbortController();
  const stop = (signal: NodeJS.Signals): void => {
    io.stderr.write(`\n${signal}: finishing the calls in flight, sending nothing new...\n`);
    controller.abort();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const cancelDeadline = abortAtDeadline(controller, inputs.deadline);
  try {
    const applied = await applyAndVerify(prepared, inputs, {
      signal: controller.signal,
      onProgress: progressPrinter(io),
    });
    const text = renderResultText(applied.apply, applied.leftover);
    (options.onRecord ? io.stderr : io.stdout).write(`\n${text}${unread ? `Not applied:${unread}\n` : ''}`);
    await appendStepSummary(io, renderResultMarkdown(applied.apply, applied.leftover));
    const record = applyRecord({ started, prepared, applied, pool: inputs.pool });
    options.onRecord?.(record);
    if (options.report) await writeFile(options.report, `${JSON.stringify(record, null, 2)}\n`);
    // Stopped by --max-duration: not an interruption by the user, but the job is not done.
    if (applied.apply.interrupted) return typeof controller.signal.reason === 'string' ? EXIT.error : EXIT.interrupted;
    const counts = outcomeCounts(applied.apply);
    const converged = applied.leftover !== undefined && applied.leftover.changes.length === 0 && applied.leftover.errors.length === 0;
    // A change skipped (another writer got there first) is no failure once the fresh plan is empty.
    return counts.failed + counts['not-attempted'] > 0 || !converged || prepared.plan.errors.length > 0 ? EXIT.error : EXIT.ok;
  } finally {
    process.removeListener('SIGINT', stop);
    process.removeListener('SIGTERM', stop);
    lock.release();
    cancelDeadline();
  }
}

/** On a terminal: one rewritten progress line on stderr. Otherwise: quiet. */
function progressPrinter(io: CliIO): ((p: ApplyProgress) => void) | undefined {
  if (!io.stderr.isTTY) return undefined;
  return (p) => {
    io.stderr.write(`\r\x1b[Kapplying: ${p.done}/${p.total} changes (${p.result.target})`);
    if (p.done === p.total) io.stderr.write('\n');
  };
}
