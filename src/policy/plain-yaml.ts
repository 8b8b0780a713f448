import { NotPlain, giveUp, plainScalar, quotedScalar, resolvePlain } from './plain-scalars.js';

/**
 * A fast reader for the YAML that policy files are almost always written in: block mappings
 * and sequences, one-line plain or quoted scalars, one-line flow lists and flow mappings of
 * scalars, comments, `---` between documents. It builds the plain data and the offsets of
 * every node in one pass over the lines, with no syntax tree, and gives up (returns undefined)
 * on anything else, so the caller reads that file with the `yaml` library instead: anchors,
 * aliases, tags, block scalars, multi-line scalars, escapes, explicit keys, directives, tabs,
 * CR line ends, duplicate keys, errors of any kind. What it does read, it reads exactly as
 * `yaml` (YAML 1.2 core schema) would, with the same node offsets: test/policy/plain-yaml.test.ts
 * compares the two on generated documents.
 */

/** Where a node starts: a scalar (its offset), a blank value (-1), a mapping or a list. */
export type NodeOffsets = number | MapOffsets | ListOffsets;

/** Offsets of a mapping: its own, and per entry (in written order) the key's and the value's. */
export interface MapOffsets {
  /** Offset of the mapping (its first key, or `{`). */
  readonly at: number;
  /** The keys as written. */
  readonly keys: readonly string[];
  /** Offset of each key. */
  readonly keyAt: readonly number[];
  /** Offsets of each value; -1 for a value left out (`name:`). */
  readonly values: readonly NodeOffsets[];
}

/** Offsets of a list: its own and each item's. */
export interface ListOffsets {
  /** Offset of the list (its first `-`, or `[`). */
  readonly at: number;
  /** Offsets of the items. */
  readonly items: readonly NodeOffsets[];
}

/** One document read by the fast reader. */
export interface PlainDocument {
  /** 0-based index of the document in its file, as `yaml` counts them. */
  readonly index: number;
  /** The document as plain data (what `toJS()` gives); undefined for an empty document. */
  readonly data: unknown;
  /** Offsets of its nodes; undefined for an empty document. */
  readonly offsets: NodeOffsets | undefined;
}

/** A content line: where its text starts and ends in the file, and its indentation. */
interface Line {
  readonly indent: number;
  /** Offset of the first non-space character. */
  readonly start: number;
  /** Offset of the end of the line (before the newline). */
  readonly end: number;
}

const KEY_START = /[A-Za-z0-9_]/;
const KEY_PART = /[A-Za-z0-9_.\-/]/;
const MAX_DEPTH = 100;

/**
 * Reads every document of `text`, or undefined when any part of it is beyond this reader.
 * `onNewLine` is told the offset of every line start (0 included), like yaml's LineCounter.
 */
export function readPlainYaml(text: string, onNewLine?: (offset: number) => void): PlainDocument[] | undefined {
  if (text.includes('\t') || text.includes('\r') || text.includes('\\')) return undefined;
  try {
    return new Reader(text, onNewLine).documents();
  } catch (err) {
    if (err instanceof NotPlain) return undefined;
    throw err;
  }
}

class Reader {
  readonly #text: string;
  #lines: Line[] = [];
  #i = 0;
  readonly #keys = new Map<string, string>(); // one string per distinct key
  readonly #onNewLine: ((offset: number) => void) | undefined;
  /** Offsets of the node the last reader call read (set instead of returning a pair: less garbage). */
  #at: NodeOffsets = -1;
  /** The key #entryAt found. */
  #entryKey = '';

  constructor(text: string, onNewLine?: (offset: number) => void) {
    this.#text = text;
    this.#onNewLine = onNewLine;
  }

  documents(): PlainDocument[] {
    const text = this.#text;
    const segments: Line[][] = [[]];
    let sawMarker = false;
    for (let start = 0; start <= text.length; ) {
      this.#onNewLine?.(start);
      let end = text.indexOf('\n', start);
      if (end < 0) end = text.length;
      let first = start;
      while (first < end && text.charCodeAt(first) === 32) first++;
      if (first < end && text[first] !== '#') {
        if (first === start && text.startsWith('---', start) && this.#restIsComment(start + 3, end, true)) {
          segments.push([]);
          sawMarker = true;
        } else {
          if (first === start && (text[start] === '%' || text.startsWith('...', start))) giveUp();
          segments.at(-1)!.push({ indent: first - start, start: first, end: this.#trimEnd(first, end) });
        }
      }
      start = end + 1;
    }
    // Comments before the first `---` belong to the document it starts; an empty tail after a
    // last `---` is an empty document of its own (as yaml counts them).
    if (sawMarker && segments[0]!.length === 0) segments.shift();
    const docs: PlainDocument[] = [];
    for (const [index, lines] of segments.entries()) {
      if (lines.length === 0) {
        if (segments.length === 1) giveUp(); // a file with no content: yaml's own wording
        docs.push({ index, data: null, offsets: undefined });
        continue;
      }
      this.#lines = lines;
      this.#i = 0;
      if (lines[0]!.indent !== 0) giveUp();
      const value = this.#block(0, 1);
      const offsets = this.#at;
      if (this.#i < lines.length || typeof offsets !== 'object' || 'items' in offsets) giveUp(); // leftovers, or not a mapping
      docs.push({ index, data: value, offsets });
    }
    return docs;
  }

  /** The end of a line's content, without a trailing comment or spaces. */
  #trimEnd(from: number, end: number): number {
    const text = this.#text;
    let e = end;
    for (let i = from; i < end; i++) {
      if (text.charCodeAt(i) === 35 /* # */ && text.charCodeAt(i - 1) === 32) {
        e = i - 1;
        break;
      }
    }
    while (e > from && text.charCodeAt(e - 1) === 32) e--;
    return e;
  }

  /** True when only spaces and a comment (or, with `allowEmpty`, nothing) follow `from` on the line. */
  #restIsComment(from: number, end: number, allowEmpty: boolean): boolean {
    let p = from;
    if (p < end && this.#text.charCodeAt(p) !== 32) return false;
    while (p < end && this.#text.charCodeAt(p) === 32) p++;
    return p === end ? allowEmpty : this.#text[p] === '#';
  }

  /** One string per distinct key; a key that would not read as a string (`1:`, `true:`) is beyond this reader. */
  #key(text: string): string {
    let k = this.#keys.get(text);
    if (k === undefined) {
      if (typeof resolvePlain(text) !== 'string' || text === '__proto__') giveUp();
      k = text;
      this.#keys.set(text, k);
    }
    return k;
  }

  /** The block node whose first line is the current one, at `indent`. */
  #block(indent: number, depth: number): unknown {
    if (depth > MAX_DEPTH) giveUp();
    const line = this.#lines[this.#i]!;
    if (line.indent !== indent) giveUp();
    return this.#isItem(line) ? this.#list(indent, depth) : this.#map(indent, line.start, depth);
  }

  #isItem(line: Line): boolean {
    return this.#text.charCodeAt(line.start) === 45 /* - */ && (line.end === line.start + 1 || this.#text.charCodeAt(line.start + 1) === 32);
  }

  #list(indent: number, depth: number): unknown[] {
    const value: unknown[] = [];
    const items: NodeOffsets[] = [];
    const at = this.#lines[this.#i]!.start;
    for (let line = this.#lines[this.#i]; line && line.indent === indent && this.#isItem(line); line = this.#lines[this.#i]) {
      let p = line.start + 1;
      while (p < line.end && this.#text.charCodeAt(p) === 32) p++;
      if (p >= line.end) giveUp(); // `-` alone: an empty item or one on the next lines
      const column = indent + (p - line.start);
      if (this.#entryAt(p, line.end) >= 0) {
        value.push(this.#map(column, p, depth + 1));
        items.push(this.#at);
      } else {
        value.push(this.#inline(p, line.end, depth + 1));
        items.push(this.#at);
        this.#i++;
        this.#noContinuation(indent);
      }
    }
    this.#at = { at, items };
    return value;
  }

  /** A key at `p` followed by `:` and a space or the end of the line: the offset after the colon (the key in #entryKey), or -1. */
  #entryAt(p: number, end: number): number {
    const text = this.#text;
    let k = p;
    if (k < end && KEY_START.test(text[k]!)) for (k++; k < end && KEY_PART.test(text[k]!); k++);
    if (k === p) return -1;
    let q = k;
    while (q < end && text.charCodeAt(q) === 32) q++;
    if (q >= end || text.charCodeAt(q) !== 58 /* : */ || (q + 1 < end && text.charCodeAt(q + 1) !== 32)) return -1;
    this.#entryKey = text.slice(p, k);
    return q + 1;
  }

  /**
   * A block mapping at `indent`; its first key is at `first` on the current line (which may
   * start with `- ` when the mapping is a list item).
   */
  #map(indent: number, first: number, depth: number): Record<string, unknown> {
    const value: Record<string, unknown> = {};
    const keys: string[] = [];
    const keyAt: number[] = [];
    const values: NodeOffsets[] = [];
    let p = first;
    for (;;) {
      const line = this.#lines[this.#i]!;
      let v = this.#entryAt(p, line.end);
      if (v < 0) giveUp();
      const key = this.#key(this.#entryKey);
      if (Object.hasOwn(value, key)) giveUp();
      while (v < line.end && this.#text.charCodeAt(v) === 32) v++;
      keys.push(key);
      keyAt.push(p);
      if (v < line.end) {
        value[key] = this.#inline(v, line.end, depth + 1);
        values.push(this.#at);
        this.#i++;
        this.#noContinuation(indent);
      } else {
        this.#i++;
        const next = this.#lines[this.#i];
        // A nested block is more indented, or a list at the key's own indentation.
        if (next && (next.indent > indent || (next.indent === indent && this.#isItem(next)))) {
          value[key] = this.#block(next.indent, depth + 1);
          values.push(this.#at);
        } else {
          value[key] = null;
          values.push(-1);
        }
      }
      const next = this.#lines[this.#i];
      if (!next || next.indent < indent) break;
      if (next.indent > indent || this.#isItem(next)) giveUp();
      p = next.start;
    }
    this.#at = { at: first, keys, keyAt, values };
    return value;
  }

  /** After a one-line value, a more indented line would continue it (a multi-line scalar). */
  #noContinuation(indent: number): void {
    const next = this.#lines[this.#i];
    if (next && next.indent > indent) giveUp();
  }

  /** A value written on one line from `p` to `end` (comment already cut off). */
  #inline(p: number, end: number, depth: number): unknown {
    const c = this.#text[p]!;
    if (c === '[' || c === '{') return this.#flow(p, end, depth);
    this.#at = p;
    return c === '"' || c === "'" ? quotedScalar(this.#text, p, end) : plainScalar(this.#text, p, end, false);
  }

  /** A one-line flow list of scalars or flow mapping of scalars, `[a, b]` / `{ k: v }`, ending at `end`. */
  #flow(p: number, end: number, depth: number): unknown {
    if (depth > MAX_DEPTH) giveUp();
    const text = this.#text;
    const open = text[p];
    const close = open === '[' ? ']' : '}';
    if (text[end - 1] !== close) giveUp();
    const parts = this.#flowParts(p + 1, end - 1);
    if (open === '[') {
      const value: unknown[] = [];
      const items: NodeOffsets[] = [];
      for (const [s, e] of parts) {
        value.push(this.#flowScalar(s, e));
        items.push(s);
      }
      this.#at = { at: p, items };
      return value;
    }
    const value: Record<string, unknown> = {};
    const keys: string[] = [];
    const keyAt: number[] = [];
    const values: NodeOffsets[] = [];
    for (const [s, e] of parts) {
      let v = this.#entryAt(s, e);
      if (v < 0) giveUp();
      const key = this.#key(this.#entryKey);
      if (Object.hasOwn(value, key)) giveUp();
      while (v < e && text.charCodeAt(v) === 32) v++;
      if (v >= e) giveUp();
      value[key] = this.#flowScalar(v, e);
      keys.push(key);
      keyAt.push(s);
      values.push(v);
    }
    this.#at = { at: p, keys, keyAt, values };
    return value;
  }

  /** The comma-separated parts between `from` and `to`, trimmed, as [start, end]; none for `[]`. */
  #flowParts(from: number, to: number): [number, number][] {
    const text = this.#text;
    const parts: [number, number][] = [];
    let s = from;
    for (let i = from; i <= to; i++) {
      const c = i < to ? text[i] : ',';
      if (c === '"' || c === "'") {
        const closeAt = text.indexOf(c, i + 1);
        if (closeAt < 0 || closeAt >= to) giveUp();
        i = closeAt;
        continue;
      }
      if (c === '[' || c === '{' || c === ']' || c === '}' || c === '#') giveUp();
      if (c !== ',') continue;
      let a = s;
      let b = i;
      while (a < b && text.charCodeAt(a) === 32) a++;
      while (b > a && text.charCodeAt(b - 1) === 32) b--;
      if (a === b) {
        if (i === to && parts.length === 0 && a === b) return parts; // `[]`, `{ }`
        giveUp(); // an empty entry (`[a,,b]`, a trailing comma)
      }
      parts.push([a, b]);
      s = i + 1;
    }
    return parts;
  }

  #flowScalar(s: number, e: number): unknown {
    const c = this.#text[s];
    return c === '"' || c === "'" ? quotedScalar(this.#text, s, e) : plainScalar(this.#text, s, e, true);
  }
}
