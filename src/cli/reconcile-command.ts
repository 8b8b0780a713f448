import { runApplyFlow } from './apply-flow.js';
import { planExitCode } from './exit-codes.js';
import { EXIT } from './io.js';
import type { CliIO, Command } from './io.js';
import { planFormat, reportPolicyErrors, useColor } from './output.js';
import { reconcileJson } from './apply-record.js';
import type { ApplyRecord } from './apply-record.js';
import type { Plan } from '../plan/types.js';
import { renderText } from '../render/text.js';
import { planAndShow } from './plan-flow.js';
import { APPLY_OPTIONS, APPLY_USAGE, COMMON_OPTIONS, COMMON_USAGE, parseFlags } from './run-options.js';
import { isInteractive } from './confirm.js';
import { openSession } from './session.js';
import { TARGET_OPTIONS, TARGET_USAGE, CACHE_OPTIONS, CACHE_USAGE } from './scope-flags.js';

const OPTIONS = {
  ...COMMON_OPTIONS,
  ...APPLY_OPTIONS,
  ...CACHE_OPTIONS,
  ...TARGET_OPTIONS,
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
  usage: `Usage: dbss-policy reconcile [--dry-run] [--yes] [--report FILE] [--format text|markdown|json|github] [options]

Computes the plan and applies it, then re-reads every touched instance and fails when anything
is left (not converged). With --dry-run it prints the plan and writes nothing.
  --dry-run             plan only
  --format F            how the plan is printed: text (default), markdown, json, github;
                        json: one document on stdout, {"plan": <as plan --format json>,
                        "result": <the --report record, null when nothing was applied>}
  --report FILE         write a JSON record of the apply (outcomes, request ids, calls, duration)
  --out FILE            also write the plan as JSON
  --detailed-exitcode   with --dry-run: exit 2 when there are changes
${APPLY_USAGE}
${CACHE_USAGE}
${TARGET_USAGE}

${COMMON_USAGE}`,
  options: OPTIONS,
  async run(argv: readonly string[], io: CliIO): Promise<number> {
    const { values } = parseFlags(argv, OPTIONS, 'reconcile');
    const format = planFormat(values['format']);
    const json = format === 'json';
    const session = await openSession(values, io);
    // With --format json, stdout gets one document at the end: the plan and the apply's record.
    let plan: Plan | undefined;
    let record: ApplyRecord | undefined;
    try {
      const { inputs, prepared } = await planAndShow(values, io, session, format, !json);
      plan = prepared.plan;
      const flags = {
        failOnWeakening: values['fail-on-weakening'] === true,
        failOnGuardrail: values['fail-on-guardrail'] === true,
        force: values['force'] === true,
      };
      if (values['dry-run'] === true) {
        return planExitCode(prepared.plan, { ...flags, detailed: values['detailed-exitcode'] === true }, io);
      }
      const report = values['report'] as string | undefined;
      const ask = values['yes'] !== true && values['auto-approve'] !== true && isInteractive(io);
      // A person about to say yes sees what they say yes to, on the terminal, not in the JSON.
      if (ask && json) io.stderr.write(renderText(prepared.plan, { color: useColor(io, values['no-color'] === true) }));
      return await runApplyFlow(prepared, inputs, io, {
        ...flags,
        ask,
        ...(report ? { report } : {}),
        ...(json ? { onRecord: (r: ApplyRecord) => (record = r) } : {}),
      });
    } catch (err) {
      if (reportPolicyErrors(io, err, format)) return EXIT.error;
      throw err;
    } finally {
      if (json && plan) io.stdout.write(reconcileJson(plan, record));
      await session.close();
    }
  },
};
