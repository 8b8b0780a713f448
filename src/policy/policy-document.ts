import type { Document, LineCounter, Node, ParsedNode } from 'yaml';
import { isAlias, isMap, isPair, isScalar, isSeq } from 'yaml';
import type { SourceLocation } from '../domain.js';

/** One step of a path into a document: a mapping key or a list index. */
export type PathSegment = string | number;

/** Which part of a mapping entry a location points at. */
export type NodePart = 'value' | 'key';

/**
 * One parsed YAML document of a policy file: its plain data (aliases resolved within bounds)
 * and a way back from a path in that data to the line and column in the source.
 */
export interface PolicyDocument {
  /** File path as shown in messages. */
  readonly file: string;
  /** 0-based index of the document within its file. */
  readonly index: number;
  /** The document as plain data; a mapping (other documents are rejected when parsed). */
  readonly data: Record<string, unknown>;
  /**
   * Where the node at `path` is written. For `part: 'key'` the key of the last segment. When the
   * path does not exist (a missing key), the nearest existing ancestor: the parent mapping.
   */
  locate(path: readonly PathSegment[], part?: NodePart): SourceLocation;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** JSONPath spelling of a path: `$.instances[0].risk_rules[2].name`. */
export function jsonPath(path: readonly PathSegment[]): string {
  return path.reduce<string>((acc, seg) => {
    if (typeof seg === 'number') return `${acc}[${seg}]`;
    return IDENTIFIER.test(seg) ? `${acc}.${seg}` : `${acc}[${JSON.stringify(seg)}]`;
  }, '$');
}

function keyText(key: unknown): string | undefined {
  return isScalar(key) ? String(key.value) : undefined;
}

/** A value left out (`name:` or an empty document): a null scalar of no width. */
export function isBlank(node: unknown): boolean {
  return isScalar(node) && node.value === null && node.range?.[0] === node.range?.[1];
}

/** Finds the source node of a path; stops at the deepest node that exists. */
function walk(doc: Document.Parsed, path: readonly PathSegment[], part: NodePart): Node | undefined {
  let node: Node | null | undefined = doc.contents as ParsedNode | null;
  for (const [i, seg] of path.entries()) {
    if (isAlias(node)) node = node.resolve(doc);
    const last = i === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && keyText(p.key) === String(seg));
      if (!pair) return node;
      const key = pair.key as Node | null;
      const value = pair.value as Node | null;
      // An empty value (`name:`) has no node of its own: point at its key.
      if ((last && part === 'key') || !value || isBlank(value)) return key ?? node;
      node = value;
    } else if (isSeq(node) && typeof seg === 'number') {
      const item = node.items[seg] as Node | undefined;
      if (!item) return node;
      node = item;
    } else {
      return node ?? undefined;
    }
  }
  return node ?? undefined;
}

/** Wraps a parsed document; `data` must be its plain form. */
export function createPolicyDocument(
  file: string,
  index: number,
  doc: Document.Parsed,
  lineCounter: LineCounter,
  data: Record<string, unknown>,
): PolicyDocument {
  const position = (offset: number): SourceLocation => ({ file, ...lineCounter.linePos(offset) });
  return {
    file,
    index,
    data,
    locate(path, part = 'value') {
      const node = walk(doc, path, part);
      return position(node?.range?.[0] ?? doc.range[0]);
    },
  };
}
