import { readFile } from 'node:fs/promises';
import { parseDocument } from 'yaml';

/**
 * Checks for GitHub workflow and composite-action YAML that an actionlint-like tool would make,
 * plus this project's rules: pinned action majors, secrets only as whole `env` values, no
 * expression interpolated into a shell script, no tracing, and CLI calls that use only the
 * documented commands and flags.
 */

/** A parsed YAML mapping. */
export type YamlMap = Record<string, unknown>;

/** A step with where it is, for messages. */
export interface LocatedStep {
  /** e.g. `jobs.plan.steps[3] (Plan)`. */
  readonly where: string;
  /** The step mapping. */
  readonly step: YamlMap;
}

/** One `node …/main.js VERB …` or `node …/gitops/NAME.js …` call found in a run script. */
export interface ScriptCall {
  /** The CLI verb, or the gitops script name. */
  readonly name: string;
  /** The literal tokens after it (quotes removed; `"${extra[@]}"` kept as is). */
  readonly args: readonly string[];
}

/** The CLI contract: flags per verb, and the --format values they accept. */
const PLAN_FLAGS = ['--policies', '--out', '--format', '--detailed-exitcode', '--instance', '--shard', '--emulator', '--endpoint', '--rate-limit', '--concurrency', '--changed-since', '--cache', '--max-age'];
const COMMON_FLAGS = ['--policies', '--instance', '--emulator', '--endpoint', '--rate-limit', '--concurrency'];
export const CLI_CONTRACT: Readonly<Record<string, { flags: readonly string[]; formats?: readonly string[] }>> = {
  validate: { flags: ['--policies', '--format'], formats: ['text', 'json', 'github'] },
  plan: { flags: PLAN_FLAGS, formats: ['text', 'markdown', 'json', 'github'] },
  apply: { flags: [...COMMON_FLAGS, '--force', '--report'] },
  reconcile: { flags: [...COMMON_FLAGS, '--dry-run', '--report', '--shard', '--detailed-exitcode', '--cache', '--max-age'] },
};

/** The flags each gitops script accepts (they are parsed strictly). */
export const GITOPS_SCRIPTS: Readonly<Record<string, readonly string[]>> = {
  'sticky-comment': ['--file', '--marker', '--author'],
  'plan-comment': ['--exit-code', '--markdown', '--plan', '--errors', '--artifact-url'],
  'plan-flags': [],
  'pr-label': ['--label', '--present'],
};

/** Parses YAML strictly (duplicate keys and syntax errors throw). */
export async function loadYaml(path: string): Promise<YamlMap> {
  const doc = parseDocument(await readFile(path, 'utf8'), { uniqueKeys: true, prettyErrors: true });
  if (doc.errors.length > 0) throw new Error(`${path}: ${doc.errors.map((e) => e.message).join('; ')}`);
  const value: unknown = doc.toJS();
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`${path}: not a mapping`);
  return value as YamlMap;
}

/** Every step of a workflow (all jobs) or of a composite action. */
export function stepsOf(doc: YamlMap): LocatedStep[] {
  const located = (prefix: string, steps: unknown): LocatedStep[] =>
    (Array.isArray(steps) ? steps : []).map((step: YamlMap, i) => ({ where: `${prefix}.steps[${i}] (${String(step['name'] ?? step['uses'] ?? 'run')})`, step }));
  const runs = doc['runs'] as YamlMap | undefined;
  if (runs) return located('runs', runs['steps']);
  return Object.entries((doc['jobs'] ?? {}) as Record<string, YamlMap>).flatMap(([id, job]) => located(`jobs.${id}`, job['steps']));
}

function tokens(text: string): string[] {
  return (text.match(/"[^"]*"|'[^']*'|\S+/g) ?? []).map((t) => t.replace(/^(["'])(.*)\1$/, '$2'));
}

/** The CLI and gitops script calls of a run script (line continuations joined). */
export function scriptCalls(run: string, kind: 'cli' | 'gitops'): ScriptCall[] {
  const joined = run.replace(/\\\n\s*/g, ' ');
  const pattern =
    kind === 'cli'
      ? /node\s+"?[^\s"]*dist\/src\/cli\/main\.js"?\s+([a-z-]+)([^\n;&|>]*)/g
      : /node\s+"?[^\s"]*dist\/src\/gitops\/([a-z-]+)\.js"?([^\n;&|>]*)/g;
  return [...joined.matchAll(pattern)].map((m) => ({ name: m[1]!, args: tokens(m[2] ?? '') }));
}

/** Problems of one CLI call against the contract. */
export function cliCallProblems(call: ScriptCall): string[] {
  const contract = CLI_CONTRACT[call.name];
  if (!contract) return [`unknown command "${call.name}"`];
  const problems: string[] = [];
  call.args.forEach((arg, i) => {
    if (!arg.startsWith('--')) return;
    const [flag, inline] = arg.split('=', 2) as [string, string | undefined];
    if (!contract.flags.includes(flag)) problems.push(`${call.name}: flag ${flag} is not in the contract`);
    const value = inline ?? call.args[i + 1];
    if (flag === '--format' && value !== undefined && !value.includes('$') && !contract.formats?.includes(value)) {
      problems.push(`${call.name}: --format ${value} is not one of ${contract.formats?.join('|')}`);
    }
  });
  return problems;
}

/** Problems of one gitops script call (unknown script or flag). */
export function gitopsCallProblems(call: ScriptCall): string[] {
  const flags = GITOPS_SCRIPTS[call.name];
  if (!flags) return [`unknown gitops script "${call.name}"`];
  return call.args.filter((a) => a.startsWith('--') && !flags.includes(a)).map((a) => `${call.name}: unknown flag ${a}`);
}

const SECRET_ENV = /^\$\{\{\s*secrets\.[A-Za-z_][A-Za-z0-9_]*\s*\}\}$/;
const CREDENTIAL_VAR = /\$\{?(HUAWEICLOUD_\w+|HW_\w+|GITHUB_TOKEN|GH_TOKEN)\b/g;

/** Every string in the document with its key path. */
function strings(value: unknown, path: string[] = []): { path: string[]; text: string }[] {
  if (typeof value === 'string') return [{ path, text: value }];
  if (Array.isArray(value)) return value.flatMap((v, i) => strings(v, [...path, String(i)]));
  if (typeof value === 'object' && value !== null) return Object.entries(value).flatMap(([k, v]) => strings(v, [...path, k]));
  return [];
}

/** Secrets referenced anywhere but as a whole value of an `env:` entry. */
export function secretProblems(doc: YamlMap): string[] {
  return strings(doc)
    .filter(({ text }) => /\bsecrets\./.test(text))
    .filter(({ path, text }) => path.at(-2) !== 'env' || !SECRET_ENV.test(text.trim()))
    .map(({ path }) => `${path.join('.')}: secrets may only be whole values of env entries`);
}

/** Problems of the steps: unpinned actions, expressions or tracing in scripts, credential leaks, bad calls. */
export function stepProblems(doc: YamlMap): string[] {
  const problems: string[] = [];
  for (const { where, step } of stepsOf(doc)) {
    const uses = step['uses'];
    if (typeof uses === 'string' && uses !== './' && !/^[\w.-]+\/[\w.-]+(?:\/[\w./-]+)?@(?:v\d+|[0-9a-f]{40})$/.test(uses)) {
      problems.push(`${where}: ${uses} is not pinned to a major version (@vN) or a commit`);
    }
    if (typeof uses === 'string' && uses.startsWith('actions/checkout@') && (step['with'] as YamlMap | undefined)?.['persist-credentials'] !== false) {
      problems.push(`${where}: checkout must set persist-credentials: false`);
    }
    const run = step['run'];
    if (typeof uses === 'string' === (typeof run === 'string')) problems.push(`${where}: a step needs exactly one of uses and run`);
    if (typeof run !== 'string') continue;
    if (run.includes('${{')) problems.push(`${where}: expression interpolated into a shell script (pass it through env)`);
    if (/\bset\s+-[a-z]*x|set\s+-o\s+xtrace/.test(run)) problems.push(`${where}: shell tracing would print secrets`);
    if (/(^|[\s;|&(])(printenv|env)(\s*($|[;|&>)]))/m.test(run)) problems.push(`${where}: prints the environment`);
    for (const m of run.matchAll(CREDENTIAL_VAR)) {
      const before = run.slice(Math.max(0, m.index - 4), m.index);
      if (!/-[nz] "$/.test(before)) problems.push(`${where}: uses $${m[1]} other than in a [ -n / -z ] test`);
    }
    problems.push(...scriptCalls(run, 'cli').flatMap(cliCallProblems).map((p) => `${where}: ${p}`));
    problems.push(...scriptCalls(run, 'gitops').flatMap(gitopsCallProblems).map((p) => `${where}: ${p}`));
  }
  return problems;
}

/** Permissions that are too broad: write-all/read-all, or any scope beyond `allowed`. */
export function permissionProblems(doc: YamlMap, allowed: Readonly<Record<string, 'read' | 'write'>>): string[] {
  const problems: string[] = [];
  const check = (where: string, perms: unknown, required: boolean): void => {
    if (perms === undefined && !required) return;
    if (typeof perms !== 'object' || perms === null) {
      problems.push(`${where}: permissions must be an explicit map, got ${JSON.stringify(perms)}`);
      return;
    }
    for (const [scope, level] of Object.entries(perms)) {
      if (allowed[scope] !== level) problems.push(`${where}: ${scope}: ${String(level)} is not allowed`);
    }
  };
  check('permissions', doc['permissions'], true);
  for (const [id, job] of Object.entries((doc['jobs'] ?? {}) as Record<string, YamlMap>)) check(`jobs.${id}.permissions`, job['permissions'], false);
  return problems;
}
