import type { SourceLocation } from '../domain.js';
import type { Diagnostic } from './diagnostics.js';
import type { NodePart, PathSegment, PolicyDocument } from './policy-document.js';
import { jsonPath } from './policy-document.js';

/** Options of a located diagnostic. */
export interface AtOptions {
  /** Error (default) or warning. */
  readonly severity?: Diagnostic['severity'];
  /** Point at the value (default) or at its key. */
  readonly part?: NodePart;
  /** The other place a two-place problem is about (a duplicate's first declaration, ...). */
  readonly related?: SourceLocation;
}

/** A diagnostic pointing at `path` in `doc`. */
export function diagnosticAt(doc: PolicyDocument, path: readonly PathSegment[], message: string, opts: AtOptions = {}): Diagnostic {
  return {
    ...doc.locate(path, opts.part ?? 'value'),
    path: jsonPath(path),
    message,
    severity: opts.severity ?? 'error',
    ...(opts.related ? { related: opts.related } : {}),
  };
}

/** Remembers the first place of each key; returns that place on a repeat. */
export function firstSeen<K>(): (key: K, where: SourceLocation) => SourceLocation | undefined {
  const seen = new Map<K, SourceLocation>();
  return (key, where) => {
    const first = seen.get(key);
    if (!first) seen.set(key, where);
    return first;
  };
}
