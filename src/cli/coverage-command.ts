import { UsageError } from '../errors.js';
import { readCoverage } from '../coverage/read-coverage.js';
import { coverageJson, coverageMarkdown, coverageText } from '../coverage/render-coverage.js';
import { formatDiagnosticLine } from '../policy/diagnostics.js';
import { loadPolicies } from '../policy/load-policies.js';
import type { CliIO, Command } from './io.js';
import { EXIT } from './io.js';
import { appendStepSummary } from './output.js';
import { parseFlags } from './run-options.js';
import { openSession } from './session.js';

const OPTIONS = {
  policies: { type: 'string', default: 'policies' },
  project: { type: 'string', multiple: true, default: [] },
  format: { type: 'string', default: 'text' },
  'fail-on-unmanaged': { type: 'boolean', default: false },
  emulator: { type: 'boolean', default: false },
  endpoint: { type: 'string' },
  concurrency: { type: 'string' },
  'rate-limit': { type: 'string' },
  timeout: { type: 'string' },
  'max-attempts': { type: 'string' },
} as const;

const PROJECT = /^([a-z]{2,}(?:-[a-z]+)+-\d+)\/([A-Za-z0-9]{32,64})$/;

/** `dbss-policy coverage`: what the policies manage of the estate, and what they do not. */
export const coverageCommand: Command = {
  name: 'coverage',
  summary: 'list the ACTIVE instances and live custom objects no policy manages (reads only)',
  usage: `Usage: dbss-policy coverage [--policies DIR] [--project REGION/PROJECT_ID]...
                            [--format text|markdown|json] [--fail-on-unmanaged] [--emulator] [options]

For every project the policy tree declares (and each --project): the ACTIVE instances no entry
declares or selector matches, on each managed instance the live custom objects (risk rules and
every other kind) that no policy owns, and per kind the share of ACTIVE instances whose entry
declares it. Reads lists only (one instance list per project; one list per kind per managed
instance); writes nothing.
  --project R/ID        also cover this project (REGION/PROJECT_ID); repeatable
  --format F            text (default), markdown (a job summary, with a chart), json
  --fail-on-unmanaged   exit 1 when an ACTIVE instance or a live custom object is unmanaged
  --emulator            read from an in-process emulator seeded with the demo state
  --endpoint URL, --concurrency N, --rate-limit R, --timeout MS, --max-attempts N: as for plan
With GITHUB_STEP_SUMMARY set, the markdown is also appended to the job summary.

Exit codes: 0 read (and nothing unmanaged with --fail-on-unmanaged), 1 unmanaged with
--fail-on-unmanaged, invalid policies, or bad usage`,
  options: OPTIONS,
  async run(argv: readonly string[], io: CliIO): Promise<number> {
    const { values } = parseFlags(argv, OPTIONS, 'coverage');
    const format = String(values['format']);
    if (!['text', 'markdown', 'json'].includes(format)) throw new UsageError(`--format must be text, markdown or json, got "${format}"`);
    const extra = ((values['project'] as string[] | undefined) ?? []).map((p) => {
      const m = PROJECT.exec(p);
      if (!m) throw new UsageError(`--project must be REGION/PROJECT_ID (e.g. cn-north-4/${'0'.repeat(32)}), got "${p}"`);
      return { region: m[1]!, projectId: m[2]! };
    });
    const loaded = await loadPolicies(String(values['policies']), { cwd: io.cwd });
    if (!loaded.valid) {
      for (const d of loaded.diagnostics) io.stderr.write(`${formatDiagnosticLine(d)}\n`);
      return EXIT.error;
    }
    const session = await openSession(values, io);
    try {
      const coverage = await readCoverage(loaded.desired, session.pool, extra);
      const report = { ...coverage, requests: session.pool.stats().requests };
      io.stdout.write(format === 'json' ? coverageJson(report) : format === 'markdown' ? coverageMarkdown(report) : coverageText(report));
      await appendStepSummary(io, coverageMarkdown(report));
      const unmanaged = report.unmanaged.length > 0 || report.unowned.length > 0;
      return values['fail-on-unmanaged'] === true && unmanaged ? EXIT.error : EXIT.ok;
    } finally {
      await session.close();
    }
  },
};
