/**
 * The glob of an instance selector (`match: "prod-*"`): `*` matches any run of characters
 * (also none), `?` exactly one character; every other character stands for itself (there are
 * no character classes or escapes). The whole name must match, and case matters, as DBSS
 * instance names are compared exactly everywhere else.
 */

const SPECIAL = /[\\^$.*+?()[\]{}|/]/g;

/** The anchored regular expression of a glob. */
export function globRegExp(glob: string): RegExp {
  const body = [...glob]
    .map((ch) => (ch === '*' ? '.*' : ch === '?' ? '.' : ch.replace(SPECIAL, '\\$&')))
    .join('');
  // `u`: `?` is one character even outside the BMP; `s`: `*` also spans line breaks.
  return new RegExp(`^${body}$`, 'su');
}

/** True when `name` matches the glob. */
export function globMatches(glob: string, name: string): boolean {
  return globRegExp(glob).test(name);
}
