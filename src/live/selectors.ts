import { rulesManageable } from '../api/types.js';
import { formatLocation } from '../policy/diagnostics.js';
import { globRegExp } from '../policy/glob.js';
import type { DesiredInstance, DesiredSelector, DesiredState } from '../policy/types.js';
import { instanceKey, selectorKey } from '../domain.js';
import type { InstanceList } from './instance-lists.js';
import { projectOf } from './instance-lists.js';
import type { LiveInstanceRef, LiveReadError, LiveSelectorMatch } from './types.js';

/**
 * Instance selectors (`match: "prod-*"`) against the instance lists: which live instances each
 * one takes (pure), and the declared instances they add. An entry by name or id wins over a
 * selector; an instance taken by two selectors is an error naming both.
 */

/** What the selectors matched, and the instances claimed by more than one. */
export interface SelectorResolution {
  /** One per declared selector, in declaration order. */
  readonly matches: readonly LiveSelectorMatch[];
  /** One per instance matched by two or more selectors (keyed by the instance key). */
  readonly conflicts: readonly LiveReadError[];
}

type Skipped = LiveSelectorMatch['skipped'][number];

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The declaration by name or id (of the same project) that claims a live instance, if any. */
const claimOf = (explicit: readonly DesiredInstance[], i: LiveInstanceRef): DesiredInstance | undefined =>
  explicit.find((d) => (d.ref.kind === 'name' ? d.ref.name === i.name : d.ref.id === i.id));

function matchOne(s: DesiredSelector, list: InstanceList | undefined, explicit: readonly DesiredInstance[]): LiveSelectorMatch {
  const base = { key: selectorKey(s), region: s.region, projectId: s.projectId };
  if (!list || 'error' in list) return { ...base, matched: [], skipped: [], error: list ? list.error : 'the instance list was not read' };
  const re = globRegExp(s.pattern);
  const matched: LiveInstanceRef[] = [];
  const skipped: Skipped[] = [];
  const candidates = list.instances.filter((i) => re.test(i.name)).sort((a, b) => cmp(a.name, b.name) || cmp(a.id, b.id));
  const sameProject = explicit.filter((d) => projectOf(d) === projectOf(s));
  for (const i of candidates) {
    const ref = { name: i.name, id: i.id };
    const claim = claimOf(sameProject, ref);
    if (claim) skipped.push({ ...ref, reason: `declared at ${formatLocation(claim.source)}` });
    else if (!rulesManageable(i.status)) skipped.push({ ...ref, reason: `${i.status}, not ACTIVE` });
    // Two live instances of one name: the read reports the ambiguous name once.
    else if (!matched.some((m) => m.name === i.name)) matched.push(ref);
  }
  return { ...base, matched, skipped };
}

/** Resolves every selector of `desired` against the instance lists (by `region/project`). */
export function matchSelectors(desired: DesiredState, lists: ReadonlyMap<string, InstanceList>): SelectorResolution {
  const selectors = desired.selectors ?? [];
  const matches = selectors.map((s) => matchOne(s, lists.get(projectOf(s)), desired.instances));
  const takers = new Map<string, DesiredSelector[]>();
  matches.forEach((m, n) => {
    const s = selectors[n]!;
    for (const i of m.matched) {
      const key = instanceKey({ region: s.region, projectId: s.projectId, ref: { kind: 'name', name: i.name } });
      takers.set(key, [...(takers.get(key) ?? []), s]);
    }
  });
  const conflicts = [...takers].flatMap(([key, by]): LiveReadError[] => {
    if (by.length < 2) return [];
    const named = by.map((s) => `"${s.pattern}" (${formatLocation(s.source)})`);
    const count = by.length === 2 ? 'two' : String(by.length);
    const message = `matched by ${count} selectors, ${named.join(' and ')}; make them disjoint, or declare the instance by name (that entry wins)`;
    return [{ key, message }];
  });
  return { matches, conflicts };
}

/**
 * The declared instances plus one instance per selector match (keyed by its live name, marked
 * with the selector's glob, carrying the selector's settings). An instance matched by several
 * selectors is added once, from the first; its conflict error keeps it from being planned.
 */
export function expandSelectors(desired: DesiredState, matches: readonly LiveSelectorMatch[]): DesiredState {
  const instances = [...desired.instances];
  const added = new Set<string>();
  for (const s of desired.selectors ?? []) {
    const found = matches.find((m) => m.key === selectorKey(s));
    for (const { name } of found?.matched ?? []) {
      const { pattern, ...settings } = s;
      const instance: DesiredInstance = { ...settings, ref: { kind: 'name', name }, selector: pattern };
      const key = instanceKey(instance);
      if (added.has(key)) continue;
      added.add(key);
      instances.push(instance);
    }
  }
  return { ...desired, instances };
}
