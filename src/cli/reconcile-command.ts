import { runApplyFlow } from './apply-flow.js';
import { planExitCode } from './exit-codes.js';
import { EXIT } from './io.js';
import type { CliIO, Command } from './io.js';
import { planFormat, reportPolicyErrors } from './output.js';
import { planAndShow } from './plan-flow.js';
import { COMMON_OPTIONS, COMMON_USAGE, parseFlags } from './run-options.js';
import { openSession } from './session.js';
import { CACHE_OPTIONS, CACHE_USAGE } from './scope-flags.js';

const OPTIONS = {
  ...COMMON_OPTIONS,
  ...CACHE_OPTIONS,
  'dry-run': { type: 'boolean', default: false },
  format: { type: 'string', default: 'text' },
  out: { type: 'string' },
  report: { type: 'string' },
  'detailed-exitcode': { type: 'boolean', default: false },
} as const;

/** `dbss-policy reconcile`: plan and apply in one go (the scheduled job's verb). */
export const reconcileCommand: Command = {
  name: 'reconcile',
  summary: 'plan, then apply (with --dry-run: plan only)',
  usage: `Usage: dbss-policy reconcile [--dry-run] [--report FILE] [--format text|markdown|json|github] [options]

Computes the plan and applies it, then re-reads every touched instance and fails when anything
is left (not converged). With --dry-run it prints the plan and writes nothing.
  --dry-run             plan only
  --report FILE         write a JSON record of the apply (outcomes, request ids, calls, duration)
  --out FILE            also write the plan as JSON
  --detailed-exitcode   with --dry-run: exit 2 when there are changes
${CACHE_USAGE}

${COMMON_USAGE}`,
  async run(argv: readonly string[], io: CliIO): Promise<number> {
    const { values } = parseFlags(argv, OPTIONS);
    const format = planFormat(values['format']);
    const session = await openSession(values, io);
    try {
      const { inputs, prepared } = await planAndShow(values, io, session, format);
      const flags = { failOnWeakening: values['fail-on-weakening'] === true, force: values['force'] === true };
      if (values['dry-run'] === true) {
        return planExitCode(prepared.plan, { ...flags, detailed: values['detailed-exitcode'] === true });
      }
      const report = values['report'] as string | undefined;
      return await runApplyFlow(prepared, inputs, io, { ...flags, ...(report ? { report } : {}) });
    } catch (err) {
      if (reportPolicyErrors(io, err, format)) return EXIT.error;
      throw err;
    } finally {
      await session.close();
    }
  },
};
