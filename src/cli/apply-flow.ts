import { writeFile } from 'node:fs/promises';
import type { ApplyProgress } from '../apply/types.js';
import { DbssPolicyError } from '../errors.js';
import type { ClientPool } from '../live/client-pool.js';
import type { PreparedPlan, RunInputs } from '../reconcile.js';
import { applyAndVerify } from '../reconcile.js';
import { outcomeCounts, renderResultMarkdown, renderResultText } from '../render/render-result.js';
import { planBlockers } from './exit-codes.js';
import { EXIT } from './io.js';
import type { CliIO } from './io.js';
import { appendStepSummary } from './output.js';
import { notPlannedLines } from '../render/plan-summary.js';
import { confirmApply } from './confirm.js';
import { toolVersion } from '../version.js';
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
  /** Write a JSON audit record of the apply here. */
  readonly report?: string;
  /** Ask on the terminal before changing anything (interactive, without --yes). */
  readonly ask?: boolean;
}

/**
 * Applies a prepared plan with signal handling and progress, prints the result, writes the
 * report and job summary, and returns the exit code: 0 converged, 1 failures or not converged,
 * 130 interrupted.
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
    io.stdout.write(`\n${text}${unread ? `Not applied:${unread}\n` : ''}`);
    await appendStepSummary(io, renderResultMarkdown(applied.apply, applied.leftover));
    if (options.report) {
      await writeReport(options.report, { started, prepared, applied, pool: inputs.pool });
    }
    // Stopped by --max-duration: not an interruption by the user, but the job is not done.
    if (applied.apply.interrupted) return typeof controller.signal.reason === 'string' ? EXIT.error : EXIT.interrupted;
    const counts = outcomeCounts(applied.apply);
    const converged = applied.leftover !== undefined && applied.leftover.changes.length === 0 && applied.leftover.errors.length === 0;
    return counts.failed + counts.skipped + counts['not-attempted'] > 0 || !converged || prepared.plan.errors.length > 0
      ? EXIT.error
      : EXIT.ok;
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

async function writeReport(
  file: string,
  r: { started: Date; prepared: Pick<PreparedPlan, 'plan'>; applied: Awaited<ReturnType<typeof applyAndVerify>>; pool: ClientPool },
): Promise<void> {
  const finished = new Date();
  const report = {
    reportVersion: 1,
    toolVersion: toolVersion(),
    startedAt: r.started.toISOString(),
    finishedAt: finished.toISOString(),
    durationMs: finished.getTime() - r.started.getTime(),
    liveFingerprint: r.prepared.plan.liveFingerprint,
    desiredHash: r.prepared.plan.desiredHash,
    interrupted: r.applied.apply.interrupted,
    outcomes: outcomeCounts(r.applied.apply),
    results: r.applied.apply.results,
    planErrors: r.prepared.plan.errors,
    verified: r.applied.leftover !== undefined,
    notConverged: {
      changes: (r.applied.leftover?.changes ?? []).map((c) => ({ id: c.id, kind: c.kind, target: c.target })),
      errors: r.applied.leftover?.errors ?? [],
    },
    calls: r.pool.stats(),
  };
  await writeFile(file, `${JSON.stringify(report, null, 2)}\n`);
}
