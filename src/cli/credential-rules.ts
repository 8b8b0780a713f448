import type { CredentialRule } from '../api/credential-map.js';
import { DEFAULT_CREDENTIAL } from '../api/credential-map.js';
import type { SourceLocation } from '../domain.js';
import type { NodePart, PathSegment } from '../policy/policy-document.js';
import type { SchemaProblem } from '../policy/schema-messages.js';

/**
 * The `credentials` map of the repository config file, after its schema check: each entry as a
 * CredentialRule located at its line, and the rules the schema cannot say. A config file names
 * environment variables, never key values, so no message here (or in the schema's) shows a
 * value written under `credentials`: it may be a secret pasted by mistake.
 */

/** The keys of an entry that name a variable. */
const ENV_KEYS = ['access_key_env', 'secret_key_env', 'security_token_env'] as const;

/**
 * A variable name that is really an access key: Huawei Cloud AKs are 16-40 upper-case letters
 * and digits, which is also a valid variable name; real variable names have a `_` or are short.
 */
const LOOKS_LIKE_AN_ACCESS_KEY = /^(?=.*\d)[A-Z0-9]{16,}$/;

const NOT_A_NAME = 'looks like a key value, not the name of an environment variable (the value is not shown here): ' +
  'write the NAME of the variable that holds it, e.g. DBSS_PROD_AK, and keep the key itself in a CI secret';

/**
 * A schema problem under `credentials` in value-free words: the schema's generic messages may
 * quote the value ("got ..."), which must never reach output here.
 */
export function credentialSchemaProblem(problem: SchemaProblem, keyword: string, parentProperties: readonly string[]): SchemaProblem {
  const field = problem.path[problem.path.length - 1];
  if (keyword === 'pattern' && typeof field === 'string' && field.endsWith('_env')) return { ...problem, message: `must be an environment variable name (upper-case letters, digits and _): it ${NOT_A_NAME}` };
  if (keyword === 'additionalProperties' && typeof field === 'string' && parentProperties.includes(`${field}_env`)) {
    return { ...problem, message: `"${field}" would hold the key itself: the config file names environment variables, never values; write ${field}_env: THE_VARIABLE (the value is not shown here)` };
  }
  return { ...problem, message: problem.message.replace(/ \(got [\s\S]*\)$/, '') };
}

/** What the config file says about credentials, and the problems the schema could not see. */
export interface CredentialRules {
  /** The entries, in file order. */
  readonly rules: readonly CredentialRule[];
  /** Located problems (names used twice, `default`, an entry matching everything, a key pasted as a name). */
  readonly problems: readonly { readonly path: readonly PathSegment[]; readonly part: NodePart; readonly message: string }[];
}

type Locate = (path: readonly PathSegment[], part?: NodePart) => SourceLocation;

/**
 * The rules of a `credentials` value and the problems the schema cannot see; `locate` places a
 * path in the file. Tolerant of what the schema refuses (it reports that): such an entry only
 * gets the checks that still apply, and the rules are for a file without problems.
 */
export function readCredentialRules(value: unknown, locate: Locate): CredentialRules {
  if (!Array.isArray(value)) return { rules: [], problems: [] };
  const problems: { path: PathSegment[]; part: NodePart; message: string }[] = [];
  const rules: CredentialRule[] = [];
  const seen = new Map<string, number>();
  value.forEach((raw: unknown, i) => {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return;
    const entry = raw as Record<string, unknown>;
    const name = typeof entry['name'] === 'string' ? entry['name'] : undefined;
    const called = name === undefined ? `entry ${i + 1}` : `credential "${name}"`;
    if (name === DEFAULT_CREDENTIAL) problems.push({ path: ['credentials', i, 'name'], part: 'value', message: `"${DEFAULT_CREDENTIAL}" names the environment credentials (HUAWEICLOUD_SDK_AK, ...) that sign unmatched projects: choose another name` });
    const first = name === undefined ? undefined : seen.get(name);
    if (first !== undefined) problems.push({ path: ['credentials', i, 'name'], part: 'value', message: `${called} is named twice (first at line ${locate(['credentials', first, 'name']).line})` });
    else if (name !== undefined) seen.set(name, i);
    if (entry['projects'] === undefined && entry['regions'] === undefined) {
      problems.push({ path: ['credentials', i], part: 'value', message: `${called} needs projects, regions or both: an entry matching every project would leave nothing to the others` });
    }
    for (const key of ENV_KEYS) {
      const v = entry[key];
      if (typeof v === 'string' && LOOKS_LIKE_AN_ACCESS_KEY.test(v)) problems.push({ path: ['credentials', i, key], part: 'value', message: NOT_A_NAME });
    }
    const list = (k: string): readonly string[] | undefined => (Array.isArray(entry[k]) ? (entry[k] as string[]) : undefined);
    const projects = list('projects');
    const regions = list('regions');
    const token = entry['security_token_env'];
    const where = locate(['credentials', i]);
    rules.push({
      name: String(name),
      ...(projects ? { projects } : {}),
      ...(regions ? { regions } : {}),
      accessKeyEnv: String(entry['access_key_env']),
      secretKeyEnv: String(entry['secret_key_env']),
      ...(typeof token === 'string' ? { securityTokenEnv: token } : {}),
      at: `${where.file}:${where.line}`,
    });
  });
  return { rules, problems };
}
