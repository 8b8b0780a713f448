import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import { ConfigError } from '../errors.js';
import type { Diagnostic } from '../policy/diagnostics.js';
import { formatDiagnosticLine, sortDiagnostics } from '../policy/diagnostics.js';
import { parsePolicyTextWithYaml } from '../policy/parse-documents.js';
import { jsonPath } from '../policy/policy-document.js';
import { displayPath } from '../policy/read-policy-tree.js';
import { isRedundant, schemaProblem } from '../policy/schema-messages.js';
import type { SchemaProblem } from '../policy/schema-messages.js';
import { policySchemaPath } from '../policy/schema-validation.js';
import type { CredentialRule } from '../api/credential-map.js';
import { credentialSchemaProblem, readCredentialRules } from './credential-rules.js';

/**
 * The repository configuration file, `dbss-policy.yaml` in the working directory or the file of
 * `--config FILE`: defaults for flags and the credentials map (credential-rules.ts), checked
 * against schemas/config.schema.json with every problem located as `file:line:col $.key:
 * message`, like a policy file's.
 */

/** The name looked for in the working directory. */
export const CONFIG_FILE_NAME = 'dbss-policy.yaml';

/** A setting's value as the schema types it. */
export type SettingValue = string | number | boolean;

/** One value of the configuration file. */
export interface ConfigEntry {
  /** The value, as written (paths not yet resolved). */
  readonly value: SettingValue;
  /** `file:line` of the value, for `--help` and messages. */
  readonly at: string;
}

/** A read and valid configuration file. */
export interface RepositoryConfig {
  /** Absolute path of the file (relative paths in it are relative to its directory). */
  readonly path: string;
  /** The values it sets, by key (the long flag name). */
  readonly entries: Readonly<Record<string, ConfigEntry>>;
  /** The credentials map (`credentials`): which variables sign which projects; empty when absent. */
  readonly credentials: readonly CredentialRule[];
}

/** The key of the credentials map: not a flag, so never an entry. */
const CREDENTIALS_KEY = 'credentials';

let compiled: { validate: ValidateFunction; properties: Record<string, { type?: string }> } | undefined;

/** schemas/config.schema.json (next to the policy schema) and its validator, compiled once. */
export function configSchema(): { validate: ValidateFunction; properties: Record<string, { type?: string }> } {
  if (!compiled) {
    const schema = JSON.parse(readFileSync(join(dirname(policySchemaPath()), 'config.schema.json'), 'utf8')) as { properties: Record<string, { type?: string }> };
    compiled = { validate: new Ajv2020({ allErrors: true, strict: true, verbose: true }).compile(schema), properties: schema.properties };
  }
  return compiled;
}

/** What a value matching each pattern of the schema looks like. */
const EXPECTED: Readonly<Record<string, string>> = {
  endpoint: 'an http:// or https:// URL',
  'rate-limit': 'a request budget such as 10/s, 600/min or 1000/h, or auto',
  'max-duration': 'a duration such as 90s, 10m or 1h',
  'max-age': 'a duration such as 24h, 90m or 2d',
};

/** The problems of a settings object against the schema: where (path, key or value) and what. */
export function settingProblems(data: Record<string, unknown>): SchemaProblem[] {
  const { validate } = configSchema();
  if (validate(data)) return [];
  return (validate.errors ?? []).filter((e) => !isRedundant(e)).map((e: ErrorObject) => {
    const at = e.instancePath.split('/').slice(1).map((s) => (/^\d+$/.test(s) ? Number(s) : s));
    if (at[0] === CREDENTIALS_KEY) {
      const parent = Object.keys((e.parentSchema as { properties?: object } | undefined)?.properties ?? {});
      return credentialSchemaProblem(schemaProblem(e, at), e.keyword, parent);
    }
    if (e.keyword === 'pattern') {
      return { path: at, part: 'value', message: `must be ${EXPECTED[at[0] ?? ''] ?? `like ${String(e.params['pattern'])}`} (got ${JSON.stringify(e.data)})` };
    }
    return schemaProblem(e, at);
  });
}

/**
 * Reads the configuration: `explicit` (from `--config`, which must exist) or dbss-policy.yaml in
 * `cwd` when present; undefined when there is none. Throws a ConfigError listing every problem.
 */
export async function loadConfigFile(cwd: string, explicit?: string): Promise<RepositoryConfig | undefined> {
  const path = resolve(cwd, explicit ?? CONFIG_FILE_NAME);
  if (explicit === undefined && !existsSync(path)) return undefined;
  const shown = displayPath(path, cwd);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new ConfigError(`cannot read config file ${shown}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  const parsed = parsePolicyTextWithYaml(text, shown);
  const diagnostics: Diagnostic[] = parsed.diagnostics.filter((d) => d.severity === 'error');
  const [doc, ...more] = parsed.documents;
  for (const extra of more) diagnostics.push({ ...extra.locate([]), path: '', message: 'a config file holds one YAML document', severity: 'error' });
  const entries: Record<string, ConfigEntry> = {};
  let credentials: readonly CredentialRule[] = [];
  if (doc && diagnostics.length === 0) {
    for (const p of settingProblems(doc.data)) diagnostics.push({ ...doc.locate(p.path, p.part), path: jsonPath(p.path), message: p.message, severity: 'error' });
    for (const [key, value] of Object.entries(doc.data)) if (key !== CREDENTIALS_KEY) entries[key] = { value: value as SettingValue, at: `${shown}:${doc.locate([key]).line}` };
    const read = readCredentialRules(doc.data[CREDENTIALS_KEY], (path, part) => doc.locate(path, part));
    for (const p of read.problems) diagnostics.push({ ...doc.locate(p.path, p.part), path: jsonPath(p.path), message: p.message, severity: 'error' });
    credentials = read.rules;
  }
  if (diagnostics.length > 0) {
    const lines = sortDiagnostics(diagnostics).map((d) => `  ${formatDiagnosticLine(d)}`);
    throw new ConfigError(`invalid config file ${shown}; nothing was run:\n${lines.join('\n')}`);
  }
  return { path, entries, credentials };
}
