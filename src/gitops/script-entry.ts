import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { CliIO } from '../cli/io.js';
import { EXIT } from '../cli/io.js';
import { DbssPolicyError, UsageError } from '../errors.js';
import { annotation } from './workflow-commands.js';

/** Environment variables whose values are secrets and must never reach any output. */
const SECRET_VARIABLES = ['GITHUB_TOKEN', 'GH_TOKEN'] as const;

/** True when the module whose `import.meta.url` is given is the script node was started with. */
export function isEntryPoint(moduleUrl: string, scriptPath: string | undefined = process.argv[1]): boolean {
  if (scriptPath === undefined) return false;
  if (moduleUrl === pathToFileURL(scriptPath).href) return true;
  try {
    return moduleUrl === pathToFileURL(realpathSync(scriptPath)).href;
  } catch {
    return false;
  }
}

/** Replaces every occurrence of each secret (of 4 characters or more) with `***`. */
export function redact(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret !== undefined && secret.length >= 4) out = out.split(secret).join('***');
  }
  return out;
}

/** The secret values present in an environment. */
export function secretsIn(env: CliIO['env']): string[] {
  return SECRET_VARIABLES.map((name) => env[name]).filter((v): v is string => v !== undefined && v !== '');
}

/** The CliIO of the running process. */
export function processIO(): CliIO {
  return { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() };
}

/**
 * Runs the body of a gitops script. A failure becomes one `::error` line on stderr (an
 * annotation in a workflow, a readable line elsewhere) and exit code 1; stdout stays clean
 * because callers redirect it to $GITHUB_OUTPUT or a file. Tokens never reach the message.
 */
export async function runScript(name: string, io: CliIO, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (err) {
    const detail =
      err instanceof DbssPolicyError
        ? err.message
        : `internal error (a bug, please report it): ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`;
    io.stderr.write(annotation('error', redact(detail, secretsIn(io.env)), { title: name }));
    return EXIT.error;
  }
}

/** Flags of a script: every option is a string. */
type StringOptions<K extends string> = Record<K, { type: 'string'; multiple?: false }>;

/** Strict parsing of a script's `--name value` flags; a mistake is a UsageError ending in the usage line. */
export function parseScriptFlags<K extends string>(
  argv: readonly string[],
  names: readonly K[],
  usage: string,
  allowPositionals = false,
): { values: Partial<Record<K, string>>; positionals: string[] } {
  const options = Object.fromEntries(names.map((n) => [n, { type: 'string' }])) as StringOptions<K>;
  try {
    const parsed = parseArgs({ args: [...argv], options, strict: true, allowPositionals });
    return { values: parsed.values as Partial<Record<K, string>>, positionals: parsed.positionals };
  } catch (err) {
    throw new UsageError(`${err instanceof Error ? err.message : String(err)}; ${usage}`);
  }
}
