import { diagnosticAt, firstSeen } from './diagnostic-at.js';
import type { Diagnostic } from './diagnostics.js';
import { formatLocation } from './diagnostics.js';
import type { PathSegment, PolicyDocument } from './policy-document.js';
import type { RuleContainer } from './policy-entries.js';
import { instanceEntries, ruleEntries, ruleSetEntries, text } from './policy-entries.js';

/**
 * Names the API will take and people can tell apart. A rule or instance name with a control,
 * NUL, zero-width or bidi character is an error: it is invisible or reorders text in the
 * console and in reviews (a plan could show one name and write another). Two names that differ
 * only by Unicode normalisation (`é` as one code point or as `e` + accent) look identical and
 * are duplicates. A name mixing Latin with Cyrillic or Greek letters (a look-alike such as
 * `drоp` with a Cyrillic `о`) is a warning.
 */

/** The first forbidden character of a name and what it is, or undefined. */
export function forbiddenNameCharacter(name: string): { index: number; what: string } | undefined {
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    const hex = `U+${c.toString(16).toUpperCase().padStart(4, '0')}`;
    if (c === 0) return { index: i, what: `a NUL character (${hex})` };
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) return { index: i, what: `a control character (${hex})` };
    if ((c >= 0x200b && c <= 0x200d) || c === 0x2060 || c === 0xfeff) return { index: i, what: `a zero-width character (${hex})` };
    if (c === 0x200e || c === 0x200f || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) || c === 0x061c) {
      return { index: i, what: `a bidirectional control character (${hex})` };
    }
    if (c === 0x2028 || c === 0x2029) return { index: i, what: `a line separator (${hex})` };
  }
  return undefined;
}

const SCRIPTS: readonly (readonly [string, RegExp])[] = [
  ['Latin', /\p{Script=Latin}/u],
  ['Cyrillic', /\p{Script=Cyrillic}/u],
  ['Greek', /\p{Script=Greek}/u],
];

/** The look-alike scripts a name mixes (Latin with Cyrillic or Greek), or undefined. */
export function mixedScripts(name: string): string[] | undefined {
  const used = SCRIPTS.filter(([, re]) => re.test(name)).map(([s]) => s);
  return used.length > 1 ? used : undefined;
}

interface NamedAt {
  readonly doc: PolicyDocument;
  readonly path: readonly PathSegment[];
  readonly name: string;
  readonly what: string;
}

function characterProblems(n: NamedAt): Diagnostic[] {
  const bad = forbiddenNameCharacter(n.name);
  if (bad) {
    const message = `${n.what} ${JSON.stringify(n.name)} contains ${bad.what} at position ${bad.index + 1}; names may not hold control, NUL, zero-width or bidi characters`;
    return [diagnosticAt(n.doc, n.path, message)];
  }
  const scripts = mixedScripts(n.name);
  if (!scripts) return [];
  const message = `${n.what} ${JSON.stringify(n.name)} mixes ${scripts.join(' and ')} letters; it may be a look-alike of another name`;
  return [diagnosticAt(n.doc, n.path, message, { severity: 'warning' })];
}

const ruleNamesOf = (owner: RuleContainer): NamedAt[] =>
  ruleEntries(owner).flatMap((rule) => {
    const name = text(rule.data['name']);
    return name === undefined ? [] : [{ doc: owner.doc, path: [...rule.path, 'name'], name, what: 'rule name' }];
  });

/** Characters of every rule name and instance name; normalisation duplicates within an instance or rule set. */
export function checkNames(docs: readonly PolicyDocument[]): Diagnostic[] {
  const owners: RuleContainer[] = [...instanceEntries(docs), ...ruleSetEntries(docs)];
  const instanceNames = instanceEntries(docs).flatMap((i): NamedAt[] => {
    const name = text(i.data['name']);
    return name === undefined ? [] : [{ doc: i.doc, path: [...i.path, 'name'], name, what: 'instance name' }];
  });
  const found = [...instanceNames, ...owners.flatMap(ruleNamesOf)].flatMap(characterProblems);
  for (const owner of owners) {
    const seen = firstSeen<string>();
    const exact = new Set<string>();
    for (const n of ruleNamesOf(owner)) {
      const normal = n.name.normalize('NFC');
      const first = seen(normal, n.doc.locate(n.path));
      // Exact duplicates are reported by the name rule in cross-rules.ts.
      if (first && !exact.has(n.name)) {
        const message = `rule name ${JSON.stringify(n.name)} is the same as the rule at ${formatLocation(first)} once Unicode-normalised (NFC); names must differ visibly`;
        found.push(diagnosticAt(n.doc, n.path, message, { related: first }));
      }
      exact.add(n.name);
    }
  }
  return found;
}
