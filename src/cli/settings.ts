import { dirname, resolve } from 'node:path';
import { ConfigError } from '../errors.js';
import type { RepositoryConfig, SettingValue } from './config-file.js';
import { CONFIG_FILE_NAME, configSchema, loadConfigFile, settingProblems } from './config-file.js';
import type { CliIO, Command } from './io.js';
import type { CredentialRule } from '../api/credential-map.js';

/**
 * Where a command's settings come from, highest first: a flag on the command line, the
 * environment (DBSS_POLICY_<KEY>; DBSS_ENDPOINT for the endpoint), the repository config file
 * (dbss-policy.yaml or --config FILE), the built-in default. Environment and file values become
 * flags in front of the command line, so each command parses and checks them as its own flags.
 */

/** A flag the config file and the environment can set. */
interface Setting {
  /** The long flag name, which is also the key in the config file. */
  readonly key: string;
  /** Commands it applies to (those that have the flag with this meaning). */
  readonly commands: readonly string[];
  /** A path: relative to the config file's directory when it comes from the file. */
  readonly path?: boolean;
  /** Its environment variable, when not DBSS_POLICY_<KEY>. */
  readonly env?: string;
}

const RUN = ['plan', 'apply', 'reconcile'];
const CLIENT = [...RUN, 'export', 'probe'];

/** Every setting, in the order `--help` lists them. */
const SETTINGS: readonly Setting[] = [
  { key: 'policies', commands: ['validate', ...RUN], path: true },
  { key: 'endpoint', commands: CLIENT, env: 'DBSS_ENDPOINT' },
  { key: 'rate-limit', commands: CLIENT },
  { key: 'concurrency', commands: CLIENT },
  { key: 'timeout', commands: [...RUN, 'probe'] },
  { key: 'max-attempts', commands: [...RUN, 'probe'] },
  { key: 'max-duration', commands: RUN },
  { key: 'max-change-ratio', commands: RUN },
  { key: 'min-rules', commands: RUN },
  { key: 'fail-on-weakening', commands: RUN },
  { key: 'fail-on-guardrail', commands: ['validate', ...RUN] },
  { key: 'reassert-write-only', commands: RUN },
  { key: 'cache', commands: ['plan', 'reconcile'], path: true },
  { key: 'max-age', commands: ['plan', 'reconcile'] },
  { key: 'format', commands: ['plan', 'reconcile', 'show'] },
];

/** True when the command has settings, and so takes `--config FILE`. */
export const hasSettings = (command: Command): boolean => SETTINGS.some((s) => s.commands.includes(command.name) && s.key in command.options);

/** The environment variable of a setting. */
export const envName = (s: Pick<Setting, 'key' | 'env'>): string => s.env ?? `DBSS_POLICY_${s.key.toUpperCase().replace(/-/g, '_')}`;

/** One setting of a command and where its value comes from. */
export interface ResolvedSetting {
  /** The long flag name. */
  readonly key: string;
  /** The value in effect; undefined when it comes from the command line or is the built-in default. */
  readonly value?: SettingValue;
  /** Which layer decided it. */
  readonly from: 'flag' | 'environment' | 'file' | 'default';
  /** The environment variable, or `file:line` of the config value. */
  readonly where?: string;
}

/** A command's settings and the command line with the environment and file values in front. */
export interface CommandSettings {
  /** The command line to parse: `--key=value` of env and file values, then the user's own flags (without --config). */
  readonly argv: readonly string[];
  /** Every setting the command has, in SETTINGS order. */
  readonly settings: readonly ResolvedSetting[];
  /** The config file read, if any. */
  readonly config?: RepositoryConfig;
}

/** `--config FILE` / `--config=FILE` taken out of the command line. */
function takeConfigFlag(argv: readonly string[]): { argv: string[]; file?: string } {
  const rest: string[] = [];
  let file: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      rest.push(...argv.slice(i));
      break;
    }
    if (a === '--config' || a.startsWith('--config=')) {
      file = a === '--config' ? argv[++i] : a.slice('--config='.length);
      if (file === undefined || file === '') throw new ConfigError('--config needs a file name');
      continue;
    }
    rest.push(a);
  }
  return { argv: rest, ...(file !== undefined ? { file } : {}) };
}

const given = (argv: readonly string[], key: string): boolean => argv.some((a) => a === `--${key}` || a.startsWith(`--${key}=`));

/** An environment string typed as the schema types the setting (the schema then checks it). */
function typed(key: string, text: string): SettingValue {
  const type = configSchema().properties[key]?.type;
  if ((type === 'integer' || type === 'number') && text.trim() !== '' && Number.isFinite(Number(text))) return Number(text);
  if (type === 'boolean' && /^(true|1|yes|false|0|no)$/i.test(text)) return /^(true|1|yes)$/i.test(text);
  return text;
}

/**
 * The settings of a command run: reads the config file (only for a command that has settings),
 * checks environment values against the config schema (naming the variable), and returns the
 * command line to parse. A command without settings gets its command line back unchanged
 * (a --config there is its own parser's unknown option).
 */
export async function commandSettings(command: Command, argv: readonly string[], io: CliIO): Promise<CommandSettings> {
  if (!hasSettings(command)) return { argv, settings: [] };
  const applicable = SETTINGS.filter((s) => s.commands.includes(command.name) && s.key in command.options);
  const { argv: own, file } = takeConfigFlag(argv);
  const config = await loadConfigFile(io.cwd, file);
  const injected: string[] = [];
  const settings = applicable.map((s): ResolvedSetting => {
    if (given(own, s.key)) return { key: s.key, from: 'flag' };
    const env = io.env[envName(s)];
    const entry = config?.entries[s.key];
    let resolved: ResolvedSetting;
    if (env !== undefined && env !== '') {
      const value = typed(s.key, env);
      const problem = settingProblems({ [s.key]: value })[0];
      if (problem) throw new ConfigError(`${envName(s)}=${JSON.stringify(env)}: ${problem.message}`);
      resolved = { key: s.key, value, from: 'environment', where: envName(s) };
    } else if (entry) {
      const value = s.path ? resolve(dirname(config!.path), String(entry.value)) : entry.value;
      resolved = { key: s.key, value, from: 'file', where: entry.at };
    } else {
      return { key: s.key, from: 'default' };
    }
    if (resolved.value === true) injected.push(`--${s.key}`);
    else if (resolved.value !== false) injected.push(`--${s.key}=${String(resolved.value)}`);
    return resolved;
  });
  return { argv: [...injected, ...own], settings, ...(config ? { config } : {}) };
}

/**
 * The settings part of `<command> --help`: each setting with its value in effect and where it
 * comes from, so a person sees what a run would use before running it.
 */
export async function settingsHelp(command: Command, argv: readonly string[], io: CliIO): Promise<string> {
  let resolved: CommandSettings;
  try {
    resolved = await commandSettings(command, argv, io);
  } catch (err) {
    return `\nSettings: ${err instanceof Error ? err.message : String(err)}\n`;
  }
  if (resolved.settings.length === 0) return '';
  const width = Math.max(...resolved.settings.map((s) => s.key.length)) + 2;
  const shown = resolved.settings.map((s) => (s.from === 'flag' ? 'as given' : s.value === undefined ? 'default' : String(s.value)));
  const valueWidth = Math.max(...shown.map((v) => v.length)) + 2;
  const lines = resolved.settings.map((s, i) => {
    const env = envName(SETTINGS.find((x) => x.key === s.key)!);
    const source = s.from === 'flag' ? '(command line)' : s.from === 'default' ? `(env ${env}, or the config file)` : `(from ${s.where})`;
    return `  --${s.key.padEnd(width)}${shown[i]!.padEnd(valueWidth)}${source}`;
  });
  const file = resolved.config ? resolved.config.path : `none (no ${CONFIG_FILE_NAME} here; --config FILE names one)`;
  // Only the commands that talk to DBSS (they have --endpoint) sign requests.
  const map = 'endpoint' in command.options ? credentialsHelp(resolved.config?.credentials ?? [], io.env) : '';
  return `\nSettings in effect (flags > environment > config file > defaults); config file: ${file}\n${lines.join('\n')}\n${map}`;
}

/** The credentials map of `--help`: each entry, what it matches and whether its variables are set (never their values). */
function credentialsHelp(rules: readonly CredentialRule[], env: CliIO['env']): string {
  if (rules.length === 0) return '';
  const state = (name: string): string => `${name} (${(env[name]?.trim() ?? '') === '' ? 'not set' : 'set'})`;
  const lines = rules.map((r) => {
    const matches = [r.projects ? `projects ${r.projects.join(', ')}` : '', r.regions ? `regions ${r.regions.join(', ')}` : ''].filter((x) => x !== '').join(' in ');
    const vars = [r.accessKeyEnv, r.secretKeyEnv, ...(r.securityTokenEnv === undefined ? [] : [r.securityTokenEnv])].map(state).join(', ');
    return `  ${r.name}: ${matches}; ${vars} (from ${r.at})`;
  });
  return `Credentials map (the first matching entry signs a project; --credential NAME plans only its projects):\n${lines.join('\n')}\n  default: every other project; the environment credentials (HUAWEICLOUD_SDK_AK, ...)\n`;
}
