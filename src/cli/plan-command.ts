import { EXIT } from './io.js';
import type { CliIO, Command } from './io.js';
import { COMMON_OPTIONS, COMMON_USAGE, parseFlags } from './run-options.js';
import { planFormat, reportPolicyErrors } from './output.js';
import { planAndShow } from './plan-flow.js';
import { openSession } from './session.js';
import { TARGET_OPTIONS, TARGET_USAGE, CACHE_OPTIONS, CACHE_USAGE, CHANGED_SINCE_OPTIONS, CHANGED_SINCE_USAGE } from './scope-flags.js';
import { planExitCode } from './exit-codes.js';

const OPTIONS = {
  ...COMMON_OPTIONS,
  ...CACHE_OPTIONS,
  ...TARGET_OPTIONS,
  ...CHANGED_SINCE_OPTIONS,
  out: { type: 'string' },
  format: { type: 'string', default: 'text' },
  'detailed-exitcode': { type: 'boolean', default: false },
} as const;

/** `dbss-policy plan`: read the live state and show what would change. Writes nothing. */
export const planCommand: Command = {
  name: 'plan',
  summary: 'show what would change (reads only)',
  usage: `Usage: dbss-policy plan [--policies DIR] [--out FILE] [--format text|markdown|json|github]
                        [--detailed-exitcode] [--instance NAME]... [--emulator] [options]

Reads the live state and prints the plan. Writes nothing to DBSS.
  --out FILE            also write the plan as JSON (for 'dbss-policy apply FILE')
  --format F            text (default), markdown (PR comment), json, github (annotations + text)
  --detailed-exitcode   exit 2 when there are changes (0: none, 1: error)
${CHANGED_SINCE_USAGE}
${CACHE_USAGE}
${TARGET_USAGE}

${COMMON_USAGE}`,
  options: OPTIONS,
  async run(argv: readonly string[], io: CliIO): Promise<number> {
    const { values } = parseFlags(argv, OPTIONS, 'plan');
    const format = planFormat(values['format']);
    const session = await openSession(values, io);
    try {
      const { prepared } = await planAndShow(values, io, session, format);
      return planExitCode(prepared.plan, {
        detailed: values['detailed-exitcode'] === true,
        failOnWeakening: values['fail-on-weakening'] === true,
        failOnGuardrail: values['fail-on-guardrail'] === true,
        force: values['force'] === true,
      }, io);
    } catch (err) {
      if (reportPolicyErrors(io, err, format)) return EXIT.error;
      throw err;
    } finally {
      await session.close();
    }
  },
};
