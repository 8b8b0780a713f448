import type { PathSegment, PolicyDocument } from './policy-document.js';

/**
 * Guarded views of the declarations in policy documents, for the cross-document rules and the
 * rule set expansion. They run on every document, also one that failed the schema, so they
 * read defensively: a value of the wrong type is skipped here (the schema already reported it).
 */

/** A plain mapping. */
export type Mapping = Record<string, unknown>;

/** True for a plain mapping (not a list, not null). */
export const isMapping = (v: unknown): v is Mapping => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A string value or undefined. */
export const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** The strings of a list (other entries skipped), each with its index; empty when not a list. */
export const textItems = (v: unknown): { value: string; index: number }[] =>
  Array.isArray(v) ? v.flatMap((e: unknown, index) => (typeof e === 'string' ? [{ value: e, index }] : [])) : [];

/** A mapping in a document that holds `risk_rules` and `system_rules`: an instance entry or a rule set. */
export interface RuleContainer {
  /** The document declaring it. */
  readonly doc: PolicyDocument;
  /** Path of the mapping in the document. */
  readonly path: readonly PathSegment[];
  /** The mapping. */
  readonly data: Mapping;
}

/** One declared instance entry (by name or id) or selector (by match). */
export interface InstanceEntry extends RuleContainer {
  /**
   * `region/project/name`, `region/project/id:<id>` or `region/project/match:<glob>` when all
   * parts are strings and exactly one of name/id/match is given.
   */
  readonly key: string | undefined;
  /** Path of the name, id or match value that identifies it (for messages). */
  readonly refPath: readonly PathSegment[];
  /** The glob when the entry is a selector (`match`) and nothing else identifies it. */
  readonly match: string | undefined;
}

/** One declared rule set. */
export interface RuleSetEntry extends RuleContainer {
  /** The set name (its key under `rule_sets`). */
  readonly name: string;
}

/** One declared risk rule entry (or an `overrides` entry, which holds rule fields too). */
export interface RuleEntry {
  /** The instance entry or rule set declaring it. */
  readonly owner: RuleContainer;
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

const REF_KEYS = ['name', 'id', 'match'] as const;

/** Every instance entry and selector of the documents, in order. */
export function instanceEntries(docs: readonly PolicyDocument[]): InstanceEntry[] {
  return docs.flatMap((doc) => {
    const list = doc.data['instances'];
    if (!Array.isArray(list)) return [];
    return list.flatMap((data: unknown, i): InstanceEntry[] => {
      if (!isMapping(data)) return [];
      const path = ['instances', i];
      const given = REF_KEYS.filter((k) => text(data[k]) !== undefined);
      const by = given.length === 1 ? given[0] : undefined;
      const value = by && text(data[by]);
      const project = projectKey(doc);
      // Only an entry with exactly one of name/id/match has an identity (the schema reports the rest).
      const ref = by === 'name' ? value : by === 'id' ? `id:${value}` : by === 'match' ? `match:${value}` : undefined;
      const key = project !== undefined && ref !== undefined ? `${project}/${ref}` : undefined;
      return [{ doc, path, data, key, refPath: [...path, given[0] ?? 'name'], match: by === 'match' ? value : undefined }];
    });
  });
}

/** Every rule set of the documents, in order (names may repeat: the cross rules report that). */
export function ruleSetEntries(docs: readonly PolicyDocument[]): RuleSetEntry[] {
  return docs.flatMap((doc) => {
    const sets = doc.data['rule_sets'];
    if (!isMapping(sets)) return [];
    return Object.entries(sets).flatMap(([name, data]): RuleSetEntry[] =>
      isMapping(data) ? [{ doc, path: ['rule_sets', name], data, name }] : [],
    );
  });
}

/** Rule sets by name; the first declaration of a name wins (a repeat is an error reported elsewhere). */
export function ruleSetIndex(docs: readonly PolicyDocument[]): ReadonlyMap<string, RuleSetEntry> {
  const index = new Map<string, RuleSetEntry>();
  for (const set of ruleSetEntries(docs)) if (!index.has(set.name)) index.set(set.name, set);
  return index;
}

/** Every risk rule entry of one instance entry or rule set, in order. */
export function ruleEntries(owner: RuleContainer): RuleEntry[] {
  const list = owner.data['risk_rules'];
  if (!Array.isArray(list)) return [];
  return list.flatMap((data: unknown, i): RuleEntry[] =>
    isMapping(data) ? [{ owner, path: [...owner.path, 'risk_rules', i], data }] : [],
  );
}

/** The `overrides` entries of an instance entry, as rule entries (for the checks of rule contents). */
export function overrideEntries(owner: InstanceEntry): RuleEntry[] {
  const overrides = owner.data['overrides'];
  if (!isMapping(overrides)) return [];
  return Object.entries(overrides).flatMap(([name, data]): RuleEntry[] =>
    isMapping(data) ? [{ owner, path: [...owner.path, 'overrides', name], data }] : [],
  );
}
