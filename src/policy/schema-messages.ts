import type { ErrorObject } from 'ajv';
import type { NodePart } from './policy-document.js';

/**
 * Turns ajv's schema errors into messages in the user's terms: the allowed values of an enum,
 * the unknown key with a likely intended one, what a pattern means. Ajv runs with `verbose`, so
 * each error carries the offending data and the schema around it.
 */

/** A schema error in the user's terms, and where to point. */
export interface SchemaProblem {
  /** Path (from the document root) of the node to point at; a missing key's path ends at it. */
  readonly path: readonly (string | number)[];
  /** Point at the key (unknown keys) or the value. */
  readonly part: NodePart;
  /** The message. */
  readonly message: string;
}

/** How a value reads in a message. */
function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'nothing (an empty value)';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `"${value.length > 60 ? `${value.slice(0, 57)}...` : value}"`;
  return String(value);
}

const TYPE_NAMES: Record<string, string> = {
  string: 'a string',
  integer: 'an integer',
  number: 'a number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping',
};

const PATTERN_MESSAGES: Record<string, (value: string) => string> = {
  '^[a-z]{2,}(-[a-z]+)+-\\d+$': () => 'must be a region id such as cn-north-4',
  '^[A-Za-z0-9]{32,64}$': () => 'must be an IAM project id: 32-64 letters or digits',
  '^[A-Za-z0-9_-]{32,64}$': () => 'must be an instance id: 32-64 letters, digits, "-" or "_"',
  '^\\S(.*\\S)?$': (v) =>
    v.trim() === '' ? 'must not be empty or whitespace only' : 'must not start or end with whitespace, nor span lines',
  '^[^,\\s]+$': () => 'must not be empty or contain commas or whitespace (the API joins the list with commas)',
  '^[^,]+$': () => 'must not be empty or contain a comma: write one entry per list item',
  '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$': () =>
    'must be a rule set name: 1-64 letters, digits, ".", "_" or "-", starting with a letter or digit',
};

/** Edit distance, for "did you mean". */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row.push(Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1)));
    }
    prev = row;
  }
  return prev[b.length] ?? 0;
}

/** The allowed word closest to a mistyped `key`, when one is close enough to be the likely intent. */
export function nearest(key: string, allowed: readonly string[]): string | undefined {
  return allowed
    .map((k) => ({ k, d: distance(key.toLowerCase(), k.toLowerCase()) }))
    .filter((x) => x.d < Math.min(key.length, x.k.length) && x.d <= Math.max(2, Math.floor(x.k.length / 4)))
    .sort((a, b) => a.d - b.d)[0]?.k;
}

function unknownKey(key: string, allowed: readonly string[], what: string): string {
  const near = nearest(key, allowed);
  if (near) return `unknown ${what} "${key}" (did you mean "${near}"?)`;
  return `unknown ${what} "${key}" (allowed: ${allowed.join(', ')})`;
}

const propertiesOf = (schema: unknown): string[] =>
  Object.keys((schema as { properties?: Record<string, unknown> } | undefined)?.properties ?? {});

/** Values written as a word or as a time-boxed mapping (system rules, summary tasks, exception IPs). */
const SWITCH_OR_TIMED = /\/(system_rules\/[^/]+|summary_tasks\/(risk|audit)|exception_ips\/\d+)$/;

/** Ajv errors that another message already covers, or that the cross-document rules report better. */
export function isRedundant(e: ErrorObject): boolean {
  // Duplicates are reported one by one, each with the position of its first occurrence.
  if (e.keyword === 'uniqueItems') return true;
  // The name/id/match `oneOf` gets one message; its branches' `required` errors are noise.
  if (e.keyword === 'required' && e.schemaPath.includes('/oneOf/')) return true;
  // An enum of words also says `type: string` (so editors complete rules with their required
  // keys); the enum's own message already names the allowed values.
  if (e.keyword === 'type' && Array.isArray((e.parentSchema as { enum?: unknown } | undefined)?.enum)) return true;
  // An action token: documented tokens (enum, the editor suggestions) or any other string
  // without a comma. One message: for a string the comma/empty pattern, else the enum list.
  if (e.schemaPath.includes('/actionList/items/')) {
    if (e.keyword === 'anyOf') return true;
    return typeof e.data === 'string' ? e.keyword !== 'pattern' : e.keyword !== 'enum';
  }
  // A value that is a word or a mapping (a switch or `{ status: OFF, until, reason }`, an IP or
  // `{ ip, until, reason }`): one branch speaks, the one of the shape given.
  if (SWITCH_OR_TIMED.test(e.instancePath)) {
    if (e.keyword === 'anyOf') return true;
    const mapping = typeof e.data === 'object' && e.data !== null && !Array.isArray(e.data);
    const wanted = (e.params as { type?: string }).type;
    return mapping ? e.keyword === 'enum' || (e.keyword === 'type' && wanted === 'string') : e.keyword === 'type' && wanted === 'object';
  }
  // `if`/`else` (region and project_id unless rule sets only) and `propertyNames` (rule set
  // names) repeat what their own `required` / `pattern` errors already say.
  return e.keyword === 'if' || e.keyword === 'propertyNames';
}

/** The user-facing form of one ajv error; `at` is the error's instancePath as segments. */
export function schemaProblem(e: ErrorObject, at: readonly (string | number)[]): SchemaProblem {
  const p = e.params as Record<string, unknown>;
  const value = (problem: string): SchemaProblem => ({ path: at, part: 'value', message: problem });
  switch (e.keyword) {
    case 'required': {
      const key = String(p['missingProperty']);
      const hint = key === 'version' ? ' (write version: 1)' : '';
      return { path: [...at, key], part: 'value', message: `missing required key "${key}"${hint}` };
    }
    case 'additionalProperties': {
      const key = String(p['additionalProperty']);
      const system = at[at.length - 1] === 'system_rules';
      const message = unknownKey(key, propertiesOf(e.parentSchema), system ? 'system rule' : 'key');
      return { path: [...at, key], part: 'key', message };
    }
    case 'oneOf':
      return value(
        p['passingSchemas'] === null
          ? 'an instance entry needs "name", "id" or "match" (exactly one of them)'
          : 'give only one of "name", "id" and "match" in an instance entry',
      );
    case 'enum': {
      const allowed = (p['allowedValues'] as unknown[]).map(String);
      const hint = typeof e.data === 'boolean' && allowed.includes('on') ? '; write on or off, not true/false' : '';
      return value(`must be one of ${allowed.join(', ')} (got ${describeValue(e.data)})${hint}`);
    }
    case 'const':
      return value(`must be ${JSON.stringify(p['allowedValue'])} (got ${describeValue(e.data)})`);
    case 'type':
      return value(`must be ${TYPE_NAMES[String(p['type'])] ?? String(p['type'])} (got ${describeValue(e.data)})`);
    case 'pattern': {
      const explain = PATTERN_MESSAGES[String(p['pattern'])];
      const text = String(e.data);
      const message = explain ? `${explain(text)} (got ${describeValue(text)})` : `must match ${String(p['pattern'])}`;
      // A mapping key that fails `propertyNames` (a rule set name): point at the key.
      return e.propertyName === undefined ? value(message) : { path: [...at, e.propertyName], part: 'key', message };
    }
    case 'maxLength':
      return value(`must be at most ${String(p['limit'])} UTF-16 code units, as DBSS counts (got ${String(e.data).length}; a character outside the BMP, e.g. an emoji, counts as 2)`);
    case 'minimum':
    case 'maximum': {
      const bound = e.keyword === 'minimum' ? 'at least' : 'at most';
      return value(`must be ${bound} ${String(p['limit'])} (got ${describeValue(e.data)})`);
    }
    case 'minProperties':
      return value(`must not be empty: set at least one of ${propertiesOf(e.parentSchema).join(', ')}`);
    default:
      return value(e.message ?? `fails the schema keyword ${e.keyword}`);
  }
}
