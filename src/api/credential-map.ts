import { ConfigError } from '../errors.js';
import { AkSkCredentials, credentialsFromEnv } from './credentials.js';
import type { Credentials } from './credentials.js';

/**
 * Many accounts from one repository: the `credentials` map of the repository config file says,
 * per project and/or region, which environment variables hold the keys that sign its requests.
 * It names variables, never values; a project no entry matches is signed with the default
 * environment credentials (credentialsFromEnv). Variables are read only for the credentials a
 * run uses, so a CI job given one credential's secrets can plan that credential's projects.
 */

/** The name of the environment credentials (HUAWEICLOUD_SDK_AK, ...) that sign unmatched projects. */
export const DEFAULT_CREDENTIAL = 'default';

/** One entry of the credentials map. */
export interface CredentialRule {
  /** Its name: `--credential NAME` plans only its projects; messages name it. */
  readonly name: string;
  /** Project ids it signs; absent = any project (of `regions`). */
  readonly projects?: readonly string[];
  /** Regions it signs; absent = any region (of `projects`). */
  readonly regions?: readonly string[];
  /** The environment variable holding the access key. */
  readonly accessKeyEnv: string;
  /** The environment variable holding the secret key. */
  readonly secretKeyEnv: string;
  /** The environment variable holding the security token of temporary keys, if any. */
  readonly securityTokenEnv?: string;
  /** `file:line` of the entry, for messages. */
  readonly at: string;
}

/** The name of the credential that signs a project: the first entry matching it, else DEFAULT_CREDENTIAL. */
export function credentialNameOf(rules: readonly CredentialRule[], region: string, projectId: string): string {
  const rule = rules.find((r) => (r.projects === undefined || r.projects.includes(projectId)) && (r.regions === undefined || r.regions.includes(region)));
  return rule?.name ?? DEFAULT_CREDENTIAL;
}

/** The credentials of a run, by name, read from the environment on first use. */
export interface CredentialMap {
  /** Every name a project can map to, in file order, DEFAULT_CREDENTIAL last. */
  readonly names: readonly string[];
  /** The name of the credential that signs a project's requests. */
  nameOf(region: string, projectId: string): string;
  /** The credentials of a name; throws a ConfigError naming a variable that is not set (never a value). */
  credentials(name: string): Credentials;
}

type Env = Readonly<Record<string, string | undefined>>;

/**
 * The map of `rules` over `env`. `fixed`: every name signs with these credentials instead
 * (`--emulator`: the embedded emulator's fresh key), the names still split the projects.
 */
export function credentialMap(rules: readonly CredentialRule[], env: Env, fixed?: Credentials): CredentialMap {
  const resolved = new Map<string, Credentials>();
  const resolve = (name: string): Credentials => {
    if (fixed) return fixed;
    if (name === DEFAULT_CREDENTIAL) return credentialsFromEnv(env);
    const rule = rules.find((r) => r.name === name);
    if (!rule) throw new ConfigError(`no credential named "${name}" in the config file (names: ${[...rules.map((r) => r.name), DEFAULT_CREDENTIAL].join(', ')})`);
    return ruleCredentials(rule, env);
  };
  return {
    names: [...rules.map((r) => r.name), DEFAULT_CREDENTIAL],
    nameOf: (region, projectId) => credentialNameOf(rules, region, projectId),
    credentials(name) {
      let c = resolved.get(name);
      if (!c) {
        c = resolve(name);
        resolved.set(name, c);
      }
      return c;
    },
  };
}

/** The AK/SK pair an entry names, from `env`; a variable that is unset or blank is an error naming it. */
function ruleCredentials(rule: CredentialRule, env: Env): AkSkCredentials {
  const read = (variable: string, what: string): string => {
    const value = env[variable];
    if (value === undefined || value.trim() === '') {
      throw new ConfigError(`credential "${rule.name}" (${rule.at}): the environment variable ${variable} (its ${what}) is not set; nothing was sent`);
    }
    return value.trim();
  };
  const accessKey = read(rule.accessKeyEnv, 'access key');
  const secretKey = read(rule.secretKeyEnv, 'secret key');
  const securityToken = rule.securityTokenEnv === undefined ? undefined : read(rule.securityTokenEnv, 'security token');
  const names = [rule.accessKeyEnv, rule.secretKeyEnv, ...(rule.securityTokenEnv === undefined ? [] : [rule.securityTokenEnv])];
  const source = `credential "${rule.name}": ${names.slice(0, -1).join(', ')} and ${names.at(-1)!}`;
  try {
    return new AkSkCredentials({ accessKey, secretKey, ...(securityToken === undefined ? {} : { securityToken }), source });
  } catch (err) {
    // AkSkCredentials says what is wrong with a value (too short, a line break) without showing it.
    throw new ConfigError(`credential "${rule.name}" (${rule.at}, ${names.join(', ')}): ${err instanceof Error ? err.message : String(err)}`);
  }
}
