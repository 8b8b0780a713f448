import type { PreparedPlan, RunInputs } from '../run/reconcile.js';
import { preparePlan } from '../run/reconcile.js';
import type { CliIO } from './io.js';
import type { PlanFormat } from './output.js';
import { emitPlan, printDiagnostics, useColor } from './output.js';
import type { Session } from './session.js';
import { runInputs } from './session.js';

type Flags = Record<string, string | boolean | string[] | undefined>;

/**
 * The part `plan` and `reconcile` share: compute the plan from the flags, print the policy
 * warnings and the plan in the chosen format (unless `stdout` is false), write --out and the
 * job summary.
 */
export async function planAndShow(
  values: Flags,
  io: CliIO,
  session: Session,
  format: PlanFormat,
  stdout = true,
): Promise<{ inputs: RunInputs; prepared: PreparedPlan }> {
  const inputs = runInputs(values, io, session);
  const prepared = await preparePlan(inputs);
  printDiagnostics(io, prepared.warnings, format);
  const out = values['out'] as string | undefined;
  await emitPlan(prepared.plan, io, { format, stdout, color: useColor(io, values['no-color'] === true), ...(out ? { out } : {}) });
  return { inputs, prepared };
}
