import { Schema, isScalar } from 'yaml';

/**
 * The scalars of the fast YAML reader (plain-yaml.ts): one-line plain and quoted scalars,
 * resolved with the `yaml` library's own core-schema tags, so that `007`, `0o17`, `.inf`, `~`,
 * `True` or `on` read exactly as yaml reads them.
 */

/** Thrown for anything the fast reader does not read; readPlainYaml turns it into "use yaml". */
export class NotPlain extends Error {}

/** Gives the file up to the yaml library. */
export const giveUp = (): never => {
  throw new NotPlain();
};

// The core schema's scalar tags, in the order the composer tries them (the same objects it uses).
const CORE_TAGS = new Schema({ schema: 'core' }).tags.filter(
  (t): t is typeof t & { test: RegExp; resolve: NonNullable<(typeof t)['resolve']> } => t.default === true && t.test instanceof RegExp,
);

/** First characters of every non-string plain scalar of the core schema (null, booleans, numbers). */
const MAY_NOT_BE_STRING = /^[~nNtTfF0-9+\-.]/;

/** Characters that cannot start a plain scalar (block context), or that end one in flow context. */
const NOT_PLAIN_START = new Set(['[', ']', '{', '}', ',', '#', '&', '*', '!', '|', '>', "'", '"', '%', '@', '`']);

/** A plain scalar's value under the core schema: null, boolean, number or the string itself. */
export function resolvePlain(text: string): unknown {
  if (!MAY_NOT_BE_STRING.test(text)) return text; // most values: names, enums, IPs' letters
  for (const tag of CORE_TAGS) {
    if (!tag.test.test(text)) continue;
    const value = (tag.resolve as (s: string, onError: () => void, opts: object) => unknown)(text, giveUp, { intAsBigInt: false });
    return isScalar(value) ? value.value : value;
  }
  return text;
}

/** The plain scalar written from `p` to `end` (already trimmed); `flow`: inside `[...]` or `{...}`. */
export function plainScalar(source: string, p: number, end: number, flow: boolean): unknown {
  const text = source.slice(p, end);
  const c = text[0];
  if (c === undefined || NOT_PLAIN_START.has(c)) giveUp();
  if ((c === '-' || c === '?' || c === ':') && (text.length === 1 || text[1] === ' ')) giveUp();
  if (text.includes(': ') || text.endsWith(':') || text.includes(' #')) giveUp();
  if (flow && /[[\]{},:]/.test(text)) giveUp();
  return resolvePlain(text);
}

/** The one-line quoted scalar starting at `p` that ends exactly at `end` (escapes never get here: a `\` gives the file up). */
export function quotedScalar(source: string, p: number, end: number): string {
  const q = source[p]!;
  let out = '';
  let i = p + 1;
  for (;;) {
    const close = source.indexOf(q, i);
    if (close < 0 || close >= end) giveUp();
    out += source.slice(i, close);
    if (q === "'" && source[close + 1] === "'") {
      out += "'";
      i = close + 2;
      continue;
    }
    if (close + 1 !== end) giveUp();
    return out;
  }
}
