import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, UsageError } from '../errors.js';
import { policySchemaPath } from '../policy/schema-validation.js';
import { flagError } from './flag-errors.js';
import type { CliIO, Command } from './io.js';
import { EXIT } from './io.js';

/**
 * `dbss-policy schema`: the JSON Schemas this build reads, for a repository that holds only
 * policies (no clone of dbss-policy), so its editors have a schema path that exists.
 */

/** The schemas, by the name `--name` takes, with their file names. */
const SCHEMAS = { policy: 'policy.schema.json', plan: 'plan.schema.json', config: 'config.schema.json' } as const;
type SchemaName = keyof typeof SCHEMAS;

const USAGE = `Usage: dbss-policy schema [--out DIR] [--name policy|plan|config]

Writes the JSON Schemas of this dbss-policy version: policy.schema.json (the policy format),
plan.schema.json (saved plans) and config.schema.json (the repository config file,
dbss-policy.yaml). Commit them to a policies repository so that editors with the
YAML language server (VS Code "YAML", Neovim, JetBrains) complete and check policy files:
\`dbss-policy export\` then points its files' schema comments at DIR/policy.schema.json.

Options:
  --out DIR     write the three schemas into DIR (created if missing; files there are replaced)
  --name NAME   without --out: print this schema to stdout (default: policy)

Examples:
  dbss-policy schema --out schemas
      write schemas/policy.schema.json, plan.schema.json and config.schema.json in the repository root
  dbss-policy schema --name plan > plan.schema.json
      print the plan schema

Exit codes: 0 written, 1 bad usage or a file that cannot be written
`;

const OPTIONS = { out: { type: 'string' }, name: { type: 'string' } } as const;

/** The text of one schema as shipped with this build. */
async function schemaText(name: SchemaName): Promise<string> {
  return readFile(join(dirname(policySchemaPath()), SCHEMAS[name]), 'utf8');
}

async function run(argv: readonly string[], io: CliIO): Promise<number> {
  let values: { out?: string; name?: string };
  try {
    ({ values } = parseArgs({ args: [...argv], options: OPTIONS, strict: true, allowPositionals: false }));
  } catch (err) {
    throw flagError(err, OPTIONS, 'schema');
  }
  const name = values.name ?? 'policy';
  if (!(name in SCHEMAS)) throw new UsageError(`--name must be ${Object.keys(SCHEMAS).join(', ')}; got "${name}"`);
  if (values.out === undefined) {
    io.stdout.write(await schemaText(name as SchemaName));
    return EXIT.ok;
  }
  if (values.name !== undefined) throw new UsageError('--name only selects what to print; --out writes every schema');
  const dir = resolve(io.cwd, values.out);
  for (const key of Object.keys(SCHEMAS) as SchemaName[]) {
    const file = join(dir, SCHEMAS[key]);
    const shown = relative(io.cwd, file) || file;
    await mkdir(dir, { recursive: true })
      .then(async () => writeFile(file, await schemaText(key), 'utf8'))
      .catch((err: NodeJS.ErrnoException) => {
        throw new ConfigError(`cannot write ${shown}: ${err.code === 'EACCES' || err.code === 'EPERM' ? 'permission denied' : err.message}`, { cause: err });
      });
    io.stdout.write(`wrote ${shown}\n`);
  }
  return EXIT.ok;
}

/** The `schema` command. */
export const schemaCommand: Command = {
  name: 'schema',
  summary: 'write the policy, plan and config JSON Schemas (for editors in a policies repository)',
  usage: USAGE,
  options: OPTIONS,
  run,
};
