import { blankTooDeep } from './nesting-prescan.js';
import type { Document, Node } from 'yaml';
import { CST, Composer, LineCounter, Parser, isAlias, isCollection, isMap, isNode, isPair, isScalar, isSeq, visit } from 'yaml';
import type { Diagnostic } from './diagnostics.js';
import { createPlainPolicyDocument } from './plain-policy-document.js';
import { readPlainYaml } from './plain-yaml.js';
import type { PolicyDocument } from './policy-document.js';
import { createPolicyDocument, isBlank } from './policy-document.js';

/**
 * Alias expansions allowed per document (each expansion weighted by the size of what it copies,
 * as the `yaml` package counts them). Enough for anchors reused across many rules, far too few
 * for a "billion laughs" alias bomb.
 */
export const MAX_ALIAS_COUNT = 1000;

/**
 * Deepest nesting of lists and mappings read (the document's top mapping is level 1). Policies
 * nest about 8 levels; the `yaml` composer recurses per level and overflows the stack some
 * hundreds of levels down, so deeper documents are refused before it runs.
 */
export const MAX_NESTING_DEPTH = 100;

/** What parsing one file yields. */
export interface ParsedFile {
  /** The mapping documents, in file order. */
  readonly documents: readonly PolicyDocument[];
  /** Syntax errors, too deep nesting, bad aliases and keys, duplicate keys, non-mapping documents, alias bombs. */
  readonly diagnostics: readonly Diagnostic[];
}

function describe(node: unknown): string {
  if (isSeq(node)) return 'a list';
  if (isScalar(node)) return `the ${typeof node.value === 'string' ? 'string' : 'value'} ${JSON.stringify(node.value)}`;
  return 'not a mapping';
}

/** A problem at an offset of the file. */
interface Problem {
  /** Where it is, as an offset into the file's text. */
  readonly offset: number;
  /** What is wrong. */
  readonly message: string;
}

/** Aliases (`*name`) allowed per document: the yaml library resolves each one in time that grows with the anchors before it. */
export const MAX_ALIASES = 1000;

/**
 * Where a document first breaks a structural limit, and which: lists and mappings nested
 * deeper than MAX_NESTING_DEPTH (composing would overflow the stack), or more than MAX_ALIASES
 * aliases (composing would take minutes). Walks the syntax tree with its own stack, in
 * document order, so it cannot overflow itself.
 */
function structuralProblem(document: CST.Document): { offset: number; message: string } | undefined {
  const pending: [CST.Token | null | undefined, number][] = [[document.value, 1]];
  let aliases = 0;
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [token, depth] = next;
    if (token?.type === 'alias' && ++aliases > MAX_ALIASES) {
      return { offset: token.offset, message: `more than ${MAX_ALIASES} aliases in one document: the document is not read` };
    }
    if (!CST.isCollection(token)) continue;
    if (depth > MAX_NESTING_DEPTH) {
      return { offset: token.offset, message: `nesting deeper than ${MAX_NESTING_DEPTH} levels of lists and mappings: the document is not read` };
    }
    for (const item of [...token.items].reverse()) pending.push([item.value, depth + 1], [item.key, depth + 1]);
  }
  return undefined;
}

/**
 * The `yaml` documents of a text, each with the structural limit it breaks, if any (that
 * document is composed empty). Same as `parseAllDocuments`, plus those checks.
 */
function composeDocuments(text: string, lineCounter: LineCounter): { doc: Document.Parsed; problem?: { offset: number; message: string } }[] {
  const tokens = Array.from(new Parser(lineCounter.addNewLine).parse(text));
  const problems: ({ offset: number; message: string } | undefined)[] = [];
  for (const token of tokens) {
    if (token.type !== 'document') continue;
    const problem = structuralProblem(token);
    problems.push(problem);
    if (problem !== undefined) delete token.value;
  }
  const composer = new Composer({
    version: '1.2',
    schema: 'core',
    merge: true,
    uniqueKeys: false, // reported below with both positions
    logLevel: 'error', // the library's warnings (stringified keys, ...) are not printed; they are reported here instead
  });
  // The composer yields one document per document token, in order.
  return Array.from(composer.compose(tokens), (doc, i) => ({ doc, problem: problems[i] }));
}

/**
 * What `toJS` cannot read faithfully, in document order: an alias with no anchor before it
 * (toJS would throw, without a position) and a key that is a list or a mapping (toJS would
 * turn it into a string; no policy key is one).
 */
function unreadableNodes(doc: Document.Parsed): Problem[] {
  const anchored = new Map<string, Node>();
  const badKeys = new Set<unknown>();
  const found: Problem[] = [];
  visit(doc, (_, node, path) => {
    if (isAlias(node)) {
      const message = `undefined alias *${node.source}: no anchor &${node.source} comes before it`;
      if (!anchored.has(node.source)) found.push({ offset: node.range?.[0] ?? 0, message });
    } else if (isNode(node) && node.anchor) {
      anchored.set(node.anchor, node);
    } else if (isPair(node)) {
      const key = isAlias(node.key) ? anchored.get(node.key.source) : node.key;
      // A key within a key already reported is not reported again.
      if (isCollection(key) && !path.some((p) => badKeys.has(p))) {
        badKeys.add(node.key);
        const message = `a key must be a plain name, not ${isSeq(key) ? 'a list' : 'a mapping'}`;
        found.push({ offset: (node.key as Node).range?.[0] ?? 0, message });
      }
    }
  });
  return found;
}

/** The name merge keys are counted under: no string key can equal it. */
const MERGE = Symbol('merge key');

/** Duplicate keys, each reported at the repeat with the position of the first. */
function duplicateKeys(doc: Document.Parsed, at: (offset: number) => { line: number; col: number }): Problem[] {
  const found: Problem[] = [];
  visit(doc, {
    Map(_, map) {
      const seen = new Map<string | symbol, number>();
      for (const pair of map.items) {
        if (!isScalar(pair.key)) continue;
        // yaml reads a merge key `<<` as a symbol; a quoted "<<" is a plain string key.
        const merge = typeof pair.key.value === 'symbol';
        const name = merge ? MERGE : String(pair.key.value);
        const offset = pair.key.range?.[0] ?? 0;
        const first = seen.get(name);
        if (first === undefined) seen.set(name, offset);
        else {
          const p = at(first);
          const where = `(first at line ${p.line}, column ${p.col})`;
          const message = merge
            ? `duplicate merge key "<<" ${where}: merge several mappings with one key, as in "<<: [*a, *b]"`
            : `duplicate key "${String(name)}" ${where}`;
          found.push({ offset, message });
        }
      }
    },
  });
  return found;
}

/**
 * Parses the text of one policy file (YAML 1.2 core schema whatever the file's `%YAML`
 * directive says, so `on`/`off`/`yes` stay strings). Never throws on bad input.
 */
export function parsePolicyText(text: string, file: string): ParsedFile {
  // Most policy files are plain block YAML: read them without building yaml's node tree (about
  // five times faster, and a large tree stays small). Anything else goes through yaml below.
  const plainLines = new LineCounter();
  const plain = readPlainYaml(text, plainLines.addNewLine);
  if (plain) {
    const documents = plain.flatMap((d) =>
      d.offsets === undefined ? [] : [createPlainPolicyDocument(file, d.index, d.data as Record<string, unknown>, d.offsets, plainLines)],
    );
    return { documents, diagnostics: [] };
  }
  return parsePolicyTextWithYaml(text, file);
}

/** parsePolicyText through the `yaml` library alone: every construct, every diagnostic. */
export function parsePolicyTextWithYaml(original: string, file: string): ParsedFile {
  let text = original;
  const lineCounter = new LineCounter();
  const diagnostics: Diagnostic[] = [];
  const documents: PolicyDocument[] = [];
  const at = (offset: number) => lineCounter.linePos(offset);
  const wholeFile = { file, line: 0, col: 0, path: '' };
  const report = (offset: number, message: string, severity: Diagnostic['severity'] = 'error') =>
    diagnostics.push({ file, ...at(offset), path: '', message, severity });
  // Documents nested too deep are found by a cheap scan and blanked (lines kept) before parsing.
  const { text: readable, deep } = blankTooDeep(text);
  for (const offset of deep) {
    const before = text.slice(0, offset);
    const line = (before.match(/\n/g) ?? []).length + 1;
    const col = offset - before.lastIndexOf('\n');
    const message = `nesting deeper than ${MAX_NESTING_DEPTH} levels of lists and mappings: the document is not read`;
    diagnostics.push({ file, line, col, path: '', message, severity: 'error' });
  }
  text = readable;
  try {
    const docs = composeDocuments(text, lineCounter);
    if (docs.length === 0 && deep.length === 0) {
      diagnostics.push({ ...wholeFile, message: 'the file holds no YAML document', severity: 'warning' });
    }
    let warnedDirective = false;
    for (const [index, { doc, problem }] of docs.entries()) {
      if (problem !== undefined) {
        report(problem.offset, problem.message);
        continue;
      }
      for (const w of doc.warnings) report(w.pos[0], w.message, 'warning');
      if (doc.errors.length > 0) {
        for (const e of doc.errors) report(e.pos[0], `YAML syntax error: ${e.message}`);
        continue;
      }
      if (doc.directives.yaml.explicit && doc.directives.yaml.version !== '1.2' && !warnedDirective) {
        warnedDirective = true;
        const message = `%YAML ${doc.directives.yaml.version} is ignored: policies are read as YAML 1.2`;
        report(Math.max(text.search(/^%YAML/m), 0), message, 'warning');
      }
      if (doc.contents === null || isBlank(doc.contents)) continue; // e.g. after a trailing `---`
      if (!isMap(doc.contents)) {
        const message = `a policy document must be a mapping (version, region, ...), not ${describe(doc.contents)}`;
        report(doc.contents.range[0], message);
        continue;
      }
      for (const d of duplicateKeys(doc, at)) report(d.offset, d.message);
      const unreadable = unreadableNodes(doc);
      for (const u of unreadable) report(u.offset, u.message);
      if (unreadable.length > 0) continue;
      let data: unknown;
      try {
        data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
      } catch (err) {
        // Every alias has an anchor (checked above), so an alias error here is the expansion limit.
        const bomb = err instanceof ReferenceError && /excessive alias count|resource exhaustion/i.test(err.message);
        const message = bomb
          ? `too many alias expansions (limit ${MAX_ALIAS_COUNT}): refusing a possible alias bomb`
          : `cannot read the document: ${(err as Error).message}`;
        report(doc.range[0], message);
        continue;
      }
      documents.push(createPolicyDocument(file, index, doc, lineCounter, data as Record<string, unknown>));
    }
  } catch (err) {
    // A limit of the parser not foreseen above would end up here, still as a diagnostic.
    diagnostics.push({ ...wholeFile, message: `cannot parse the file: ${(err as Error).message}`, severity: 'error' });
  }
  return { documents, diagnostics };
}
