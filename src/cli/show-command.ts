import { UsageError } from '../errors.js';
import { EXIT } from './io.js';
import type { CliIO, Command } from './io.js';
import { emitPlan, planFormat, useColor } from './output.js';
import { readPlanFile } from './plan-file.js';
import { parseFlags } from './run-options.js';

const OPTIONS = {
  format: { type: 'string', default: 'text' },
  'no-color': { type: 'boolean', default: false },
} as const;

/**
 * `dbss-policy show PLANFILE`: a saved plan rendered like `plan` renders it, from the file alone:
 * no policies, no live read, no credentials. Reviewers read the CI artifact this way.
 */
export const showCommand: Command = {
  name: 'show',
  summary: 'render a saved plan file (no live read, no credentials)',
  usage: `Usage: dbss-policy show PLANFILE [--format text|markdown|json|github] [--no-color]

Renders a plan saved with 'plan --out FILE' exactly as plan prints it. Reads nothing else: no
policies, no DBSS, no credentials. A file that cannot be read, is not a plan of this version or
was edited out of shape is refused as 'apply' refuses it.
  --format F            text (default), markdown (PR comment), json, github (annotations + text)
  --no-color            no ANSI colours (also NO_COLOR; FORCE_COLOR=1 colours a pipe)

Exit codes: 0 shown, 1 unreadable or invalid plan file, bad usage`,
  options: OPTIONS,
  async run(argv: readonly string[], io: CliIO): Promise<number> {
    const { values, positionals } = parseFlags(argv, OPTIONS, 'show', true);
    if (positionals.length !== 1) throw new UsageError(`expected one plan file (from plan --out), got ${positionals.length} (see dbss-policy show --help)`);
    const format = planFormat(values['format']);
    const plan = await readPlanFile(io.cwd, positionals[0]!);
    await emitPlan(plan, io, { format, color: useColor(io, values['no-color'] === true) });
    return EXIT.ok;
  },
};
