import type { PathSegment, PolicyDocument } from './policy-document.js';

/**
 * Guarded views of the declarations in policy documents, for the cross-document rules. They
 * run on every document, also one that failed the schema, so they read defensively: a value
 * of the wrong type is skipped here (the schema already reported it).
 */

/** A plain mapping. */
export type Mapping = Record<string, unknown>;

/** True for a plain mapping (not a list, not null). */
export const isMapping = (v: unknown): v is Mapping => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A string value or undefined. */
export const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** One declared instance entry. */
export interface InstanceEntry {
  /** The document declaring it. */
  readonly doc: PolicyDocument;
  /** Path of the entry in the document. */
  readonly path: readonly PathSegment[];
  /** The entry. */
  readonly data: Mapping;
  /** `region/project/name` or `region/project/id:<id>` when all parts are strings, exactly one of name/id. */
  readonly key: string | undefined;
  /** Path of the name or id value that identifies it (for messages). */
  readonly refPath: readonly PathSegment[];
}

/** One declared risk rule entry. */
export interface RuleEntry {
  /** The instance declaring it. */
  readonly instance: InstanceEntry;
  /** Path of the rule in the document. */
  readonly path: readonly PathSegment[];
  /** The rule. */
  readonly data: Mapping;
}

/** `region/project` of a document, when both are strings. */
export function projectKey(doc: PolicyDocument): string | undefined {
  const region = text(doc.data['region']);
  const project = text(doc.data['project_id']);
  return region !== undefined && project !== undefined ? `${region}/${project}` : undefined;
}

/** Every instance entry of the documents, in order. */
export function instanceEntries(docs: readonly PolicyDocument[]): InstanceEntry[] {
  return docs.flatMap((doc) => {
    const list = doc.data['instances'];
    if (!Array.isArray(list)) return [];
    return list.flatMap((data: unknown, i): InstanceEntry[] => {
      if (!isMapping(data)) return [];
      const path = ['instances', i];
      const name = text(data['name']);
      const id = text(data['id']);
      const project = projectKey(doc);
      // Only an entry with exactly one of name/id has an identity (the schema reports the rest).
      const ref = name === undefined ? (id === undefined ? undefined : `id:${id}`) : id === undefined ? name : undefined;
      const key = project !== undefined && ref !== undefined ? `${project}/${ref}` : undefined;
      return [{ doc, path, data, key, refPath: [...path, name !== undefined ? 'name' : 'id'] }];
    });
  });
}

/** Every risk rule entry of one instance, in order. */
export function ruleEntries(instance: InstanceEntry): RuleEntry[] {
  const list = instance.data['risk_rules'];
  if (!Array.isArray(list)) return [];
  return list.flatMap((data: unknown, i): RuleEntry[] =>
    isMapping(data) ? [{ instance, path: [...instance.path, 'risk_rules', i], data }] : [],
  );
}
