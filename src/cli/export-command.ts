import { resolve } from 'node:path';
import { UsageError } from '../errors.js';
import { checkExportedPolicy } from '../export/check-export.js';
import { factorRuleSets } from '../export/factor-rule-sets.js';
import { exportFilePath, refuseExisting, schemaRefFor, writePolicyFile } from '../export/policy-file.js';
import { renderPolicyYaml } from '../export/policy-yaml.js';
import { readProjectExport } from '../export/read-project.js';
import type { ProjectExport } from '../export/types.js';
import { formatDiagnosticLine } from '../policy/diagnostics.js';
import { displayPath } from '../policy/read-policy-tree.js';
import { enterPhase } from '../run/run-phase.js';
import type { CliIO, Command } from './io.js';
import { EXIT } from './io.js';
import { parseFlags } from './run-options.js';
import { startReadProgress } from './read-progress.js';
import { openSession } from './session.js';

const OPTIONS = {
  project: { type: 'string' },
  region: { type: 'string' },
  instance: { type: 'string', multiple: true, default: [] },
  out: { type: 'string', default: 'exported' },
  force: { type: 'boolean', default: false },
  factor: { type: 'boolean', default: false },
  emulator: { type: 'boolean', default: false },
  endpoint: { type: 'string' },
  concurrency: { type: 'string' },
  'rate-limit': { type: 'string' },
} as const;

// The same shapes as schemas/policy.schema.json; they also keep both out of harm's way in a path.
const PROJECT_ID = /^[A-Za-z0-9]{32,64}$/;
const REGION = /^[a-z]{2,}(-[a-z]+)+-\d+$/;

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

function requiredFlags(values: Record<string, unknown>): { projectId: string; region: string } {
  const projectId = values['project'];
  const region = values['region'];
  if (typeof projectId !== 'string' || typeof region !== 'string') {
    throw new UsageError('--project and --region are required: instance names are only meaningful within one project (see dbss-policy export --help)');
  }
  if (!PROJECT_ID.test(projectId)) throw new UsageError(`--project must be an IAM project id (32-64 letters or digits), got "${projectId}"`);
  if (!REGION.test(region)) throw new UsageError(`--region must be a region name such as cn-north-4, got "${region}"`);
  return { projectId, region };
}

/** Every note of the export, for stderr, each naming what it is about. */
function warnings(project: ProjectExport): string[] {
  const perInstance = project.instances.flatMap((i) => i.notes.map((n) => `instance ${i.name || i.id}: ${n}`));
  return [...project.notes, ...perInstance].map((n) => `warning: ${n}\n`);
}

/** `dbss-policy export`: write the live state of a project's instances as a policy file. */
export const exportCommand: Command = {
  name: 'export',
  summary: 'write the live rules of existing instances as policy YAML (adoption)',
  usage: `Usage: dbss-policy export --project ID --region REGION [--instance NAME|ID]...
                          [--out DIR|-] [--force] [--factor] [--emulator] [--endpoint URL]
                          [--rate-limit R] [--concurrency N]

Reads the live state of a project's DBSS instances and writes it as one policy document,
<out>/<region>/<project_id>.yaml, ready for 'dbss-policy plan' (which then shows no changes).
Reads only; nothing is changed in DBSS.
  --project ID          IAM project id (required)
  --region REGION       region of the project, e.g. cn-north-4 (required); instance names are
                        only unique within a project, so both are always needed
  --instance NAME|ID    only this instance (its name or id in the project's instance list);
                        repeatable; default: every instance of the project
  --out DIR             output directory (default: exported); '-' prints the document to stdout
  --force               overwrite an existing file
  --factor              where several instances start with the same rules (same names and
                        content, same order), write those rules once as a rule set that the
                        instances use; the plan is the same
  --emulator            read from an in-process emulator seeded with the demo state
  --endpoint URL        DBSS endpoint (default https://dbss.{region}.myhuaweicloud.com; env DBSS_ENDPOINT)
  --rate-limit R        request budget, e.g. 10/s, 600/min (default 10/s; 100/s with --emulator)
  --concurrency N       parallel API calls (default 8)
The schema comment points to the repository's schemas/policy.schema.json (or the one under
node_modules/dbss-policy) when there is one above the output directory.
Not exported, with a comment in the file and a warning: exception_ips (write-only in the API:
add it by hand), instances that are not ACTIVE, unreadable summary tasks. prune is written as
false: set it to true once a list is complete.
Credentials (environment): as for plan (HUAWEICLOUD_SDK_AK + HUAWEICLOUD_SDK_SK, ...).`,
  options: OPTIONS,
  async run(argv: readonly string[], io: CliIO): Promise<number> {
    const { values } = parseFlags(argv, OPTIONS, 'export');
    const { projectId, region } = requiredFlags(values);
    const out = String(values['out']);
    const force = values['force'] === true;
    const file = out === '-' ? undefined : resolve(io.cwd, exportFilePath(out, region, projectId));
    const shown = file ? displayPath(file, io.cwd) : '<stdout>';
    if (file) refuseExisting(file, shown, force);

    const session = await openSession(values, io);
    try {
      const instances = (values['instance'] as string[] | undefined) ?? [];
      const clock = io.clock ? { clock: io.clock } : {};
      const progress = startReadProgress(io.stderr, { label: 'reading', budgetPerSecond: session.budgetPerSecond, currentBudget: () => session.currentBudget(), ...clock });
      const request = { region, projectId, instances };
      enterPhase(`reading project ${projectId} (${region}) for export`);
      const project = await readProjectExport(session.pool.client(region, projectId), request, progress.onProgress).finally(() => progress.end());
      const layout = values['factor'] === true ? factorRuleSets(project) : project;
      const schemaRef = file ? schemaRefFor(file) : undefined;
      const text = renderPolicyYaml(layout, schemaRef ? { schemaRef } : {});
      const problems = checkExportedPolicy(text, shown);
      for (const w of warnings(project)) io.stderr.write(w);
      enterPhase(`writing the exported policy to ${shown}`);
      if (file) await writePolicyFile(file, shown, text, force, resolve(io.cwd, out));
      else io.stdout.write(text);
      const rules = project.instances.reduce((n, i) => n + i.riskRules.length, 0);
      const sets = layout.ruleSets.length > 0 ? `, ${plural(layout.ruleSets.length, 'rule set')}` : '';
      const what = `${plural(project.instances.length, 'instance')} (${plural(rules, 'custom rule')}${sets})`;
      io.stderr.write(`Exported ${what} of project ${projectId} (${region}) to ${shown}\n`);
      for (const p of problems) io.stderr.write(`${formatDiagnosticLine(p)}\n`);
      if (problems.some((p) => p.severity === 'error')) {
        io.stderr.write(`The exported document does not validate: fix the values above by hand before planning with it.\n`);
        return EXIT.error;
      }
      return EXIT.ok;
    } finally {
      await session.close();
    }
  },
};
