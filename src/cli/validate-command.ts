import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { UsageError } from '../errors.js';
import type { DiagnosticFormat } from '../policy/diagnostics.js';
import { formatDiagnostics } from '../policy/diagnostics.js';
import type { PolicyResult } from '../policy/load-policies.js';
import { loadPolicies } from '../policy/load-policies.js';
import { nowFlag } from './run-options.js';
import { displayDir } from '../policy/read-policy-tree.js';
import type { CliIO, Command } from './io.js';
import { EXIT } from './io.js';
import { flagError } from './flag-errors.js';
import { guardrailBlockers } from './exit-codes.js';
import { desiredSubjects } from '../guardrails/desired-subjects.js';
import { guardrailReport } from '../guardrails/evaluate-guardrails.js';
import type { GuardrailReport } from '../guardrails/types.js';
import { guardrailAnnotations, guardrailTextLines } from '../render/guardrail-lines.js';
import { neutraliseCommands } from '../render/escape.js';

const USAGE = `Usage: dbss-policy validate [--policies DIR] [--format text|json|github] [--fail-on-guardrail] [--now T]

Checks every *.yaml / *.yml file under the policies directory (recursively) against
schemas/policy.schema.json and the cross-document rules, and lists every problem as
  file:line:col <json path>: message
then evaluates the guardrails over the declared state (every instance after rule sets; a
selector as an instance named by its glob) and lists each violation where it breaks.
No network access; nothing is read from or written to DBSS.

Options:
  --policies DIR        policy tree (default: policies, relative to the working directory)
  --format F            text (default), json (one object), or github (workflow annotations)
  --fail-on-guardrail   exit 1 when a guardrail of severity error is violated
  --now T               check max_exception_days (dbss-policy.yaml exceptions:) as of T
                        (2027-01-01T00:00:00Z); default: the clock

Exit codes: 0 valid (warnings and, without --fail-on-guardrail, guardrail violations do not
fail), 1 any error, a guardrail error with --fail-on-guardrail, or bad usage
`;

const FORMATS: readonly DiagnosticFormat[] = ['text', 'json', 'github'];

const OPTIONS = { policies: { type: 'string' }, format: { type: 'string' }, 'fail-on-guardrail': { type: 'boolean' }, now: { type: 'string' } } as const;

function parse(argv: readonly string[]): { policies: string; format: DiagnosticFormat; failOnGuardrail: boolean; now: string } {
  let values: { policies?: string; format?: string; 'fail-on-guardrail'?: boolean; now?: string };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: OPTIONS,
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    throw flagError(err, OPTIONS, 'validate');
  }
  const format = values.format ?? 'text';
  if (!(FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(`--format must be ${FORMATS.join(', ')}; got "${format}"`);
  }
  return { policies: values.policies ?? 'policies', format: format as DiagnosticFormat, failOnGuardrail: values['fail-on-guardrail'] === true, now: nowFlag(values.now, Date.now) };
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The counts shown in the summary line and the JSON report. */
function counts(result: PolicyResult) {
  const selectors = result.desired.selectors ?? [];
  return {
    files: result.files.length,
    instances: result.desired.instances.length,
    selectors: selectors.length,
    riskRules: [...result.desired.instances, ...selectors].reduce((n, i) => n + i.riskRules.length, 0),
    summaryTasks: result.desired.summaryTasks.length,
    // Objects and settings of the other kinds (audit scopes, SQL-injection rules, ...), declared on entries and selectors.
    kindObjects: [...result.desired.instances, ...selectors].reduce(
      (n, i) => n + Object.values(i.kinds ?? {}).reduce((m, k) => m + k.objects.length + k.switches.length + Object.keys(k.settings).length, 0),
      0,
    ),
    errors: result.diagnostics.filter((d) => d.severity === 'error').length,
    warnings: result.diagnostics.filter((d) => d.severity === 'warning').length,
  };
}

/** One line: `policies/: 5 files, 3 instances, 1 selector, 9 rules, 4 summary tasks: valid`. */
function summaryLine(dir: string, result: PolicyResult): string {
  const c = counts(result);
  const warnings = c.warnings > 0 ? ` (${plural(c.warnings, 'warning')})` : '';
  if (!result.valid) {
    return `${dir}: ${plural(c.files, 'file')}, ${plural(c.errors, 'error')}, ${plural(c.warnings, 'warning')}: invalid`;
  }
  const parts = [
    plural(c.files, 'file'),
    plural(c.instances, 'instance'),
    ...(c.selectors > 0 ? [plural(c.selectors, 'selector')] : []),
    plural(c.riskRules, 'rule'),
    plural(c.summaryTasks, 'summary task'),
    ...(c.kindObjects > 0 ? [`${c.kindObjects} other object${c.kindObjects === 1 ? '' : 's'} and setting${c.kindObjects === 1 ? '' : 's'}`] : []),
  ];
  return `${dir}: ${parts.join(', ')}: valid${warnings}`;
}

/** `dbss-policy validate`: checks the policy tree offline. */
export const validateCommand: Command = {
  name: 'validate',
  summary: 'check the policy files (schema and cross-document rules); no network',
  usage: USAGE,
  options: OPTIONS,
  async run(argv: readonly string[], io: CliIO): Promise<number> {
    const { policies, format, failOnGuardrail, now } = parse(argv);
    const exceptions = { now: Date.parse(now), ...(io.exceptionPolicy ? { policy: io.exceptionPolicy } : {}) };
    const result = await loadPolicies(policies, { cwd: io.cwd, exceptions });
    const dir = displayDir(resolve(io.cwd, policies), io.cwd);
    const guardrails = result.valid ? declaredGuardrails(result) : undefined;
    if (format === 'json') {
      const { valid, files, diagnostics } = result;
      const report = { valid, policies: dir, files, counts: counts(result), diagnostics, ...(guardrails ? { guardrails } : {}) };
      io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    } else {
      io.stdout.write(formatDiagnostics(result.diagnostics, format));
      if (guardrails && format === 'github') io.stdout.write(guardrailAnnotations(guardrails));
      if (guardrails) io.stdout.write(neutraliseCommands(`${guardrailTextLines(guardrails).join('\n')}\n`));
      io.stdout.write(`${summaryLine(dir, result)}\n`);
    }
    if (!result.valid) return EXIT.error;
    const blockers = failOnGuardrail && guardrails ? guardrailBlockers(guardrails.violations) : [];
    if (blockers.length > 0) io.stderr.write(`Exit 1: ${blockers.join('\n  ')}\n`);
    return blockers.length > 0 ? EXIT.error : EXIT.ok;
  },
};

/** The guardrails over the declared state (selectors as themselves: nothing is read); undefined when none is declared. */
function declaredGuardrails(result: PolicyResult): GuardrailReport | undefined {
  const declared = result.desired.guardrails ?? [];
  if (declared.length === 0) return undefined;
  return guardrailReport(declared, [['desired', desiredSubjects(result.desired, { selectors: true })]]);
}
