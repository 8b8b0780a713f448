import type { Document } from 'yaml';
import { LineCounter, isMap, isScalar, isSeq, parseAllDocuments, visit } from 'yaml';
import type { Diagnostic } from './diagnostics.js';
import type { PolicyDocument } from './policy-document.js';
import { createPolicyDocument, isBlank } from './policy-document.js';

/**
 * Alias expansions allowed per document (each expansion weighted by the size of what it copies,
 * as the `yaml` package counts them). Enough for anchors reused across many rules, far too few
 * for a "billion laughs" alias bomb.
 */
export const MAX_ALIAS_COUNT = 1000;

/** What parsing one file yields. */
export interface ParsedFile {
  /** The mapping documents, in file order. */
  readonly documents: readonly PolicyDocument[];
  /** Syntax errors, duplicate keys, non-mapping documents, alias bombs. */
  readonly diagnostics: readonly Diagnostic[];
}

function describe(node: unknown): string {
  if (isSeq(node)) return 'a list';
  if (isScalar(node)) return `the ${typeof node.value === 'string' ? 'string' : 'value'} ${JSON.stringify(node.value)}`;
  return 'not a mapping';
}

/** Duplicate keys, each reported at the repeat with the position of the first. */
function duplicateKeys(doc: Document.Parsed, at: (offset: number) => { line: number; col: number }) {
  const found: { offset: number; message: string }[] = [];
  visit(doc, {
    Map(_, map) {
      const seen = new Map<string, number>();
      for (const pair of map.items) {
        if (!isScalar(pair.key) || pair.key.value === '<<') continue;
        const name = String(pair.key.value);
        const offset = pair.key.range?.[0] ?? 0;
        const first = seen.get(name);
        if (first === undefined) seen.set(name, offset);
        else {
          const p = at(first);
          found.push({ offset, message: `duplicate key "${name}" (first at line ${p.line}, column ${p.col})` });
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
  const lineCounter = new LineCounter();
  const diagnostics: Diagnostic[] = [];
  const documents: PolicyDocument[] = [];
  const at = (offset: number) => lineCounter.linePos(offset);
  const wholeFile = { file, line: 0, col: 0, path: '' };
  const report = (offset: number, message: string, severity: Diagnostic['severity'] = 'error') =>
    diagnostics.push({ file, ...at(offset), path: '', message, severity });
  try {
    const docs = parseAllDocuments(text, {
      lineCounter,
      version: '1.2',
      schema: 'core',
      merge: true,
      uniqueKeys: false, // reported below with both positions
      prettyErrors: false,
    });
    if (docs.length === 0) {
      diagnostics.push({ ...wholeFile, message: 'the file holds no YAML document', severity: 'warning' });
    }
    let warnedDirective = false;
    for (const [index, doc] of docs.entries()) {
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
      let data: unknown;
      try {
        data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
      } catch (err) {
        const bomb = err instanceof ReferenceError && /alias/i.test(err.message);
        const message = bomb
          ? `too many alias expansions (limit ${MAX_ALIAS_COUNT}): refusing a possible alias bomb`
          : `cannot read the document: ${(err as Error).message}`;
        report(doc.range[0], message);
        continue;
      }
      documents.push(createPolicyDocument(file, index, doc, lineCounter, data as Record<string, unknown>));
    }
  } catch (err) {
    // The parser's own limits (e.g. a stack overflow on absurd nesting) end up here.
    diagnostics.push({ ...wholeFile, message: `cannot parse the file: ${(err as Error).message}`, severity: 'error' });
  }
  return { documents, diagnostics };
}
