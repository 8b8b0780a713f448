import { idProblem, unusableIdMessage } from '../api/usable-id.js';
import type { RuleProvenance, SourceLocation, Switch } from '../domain.js';
import { pluralOf } from './kind.js';
import type { DesiredKind, DesiredObject, Json, KindChangeDraft, KindFieldChange, KindPlan, KindValues, LiveKind, LiveObject } from './kind.js';

/**
 * Planning shared by the collection kinds (house style: "a named collection with an order, a
 * named collection without one, a collection keyed by content, built-in objects that can only
 * be switched, singleton settings"). A kind describes its collection once (CollectionShape) and
 * calls planCollection; the rules below — create what is missing, update what differs field by
 * field, switch status in batches, delete undeclared custom objects only with prune, leave
 * alone what cannot be written back, order an ordered kind — are written here once.
 */

/** How a kind's collection is compared and what weakens it. */
export interface CollectionShape {
  /** What people call one object, e.g. `audit scope`. */
  readonly label: string;
  /** What people call several, when it is not the label with an `s`. */
  readonly plural?: string;
  /** Fields compared (policy names, display order); the status field is not among them. */
  readonly fields: readonly string[];
  /** Fields whose values are lists compared as sets (order and duplicates ignored). */
  readonly setFields?: readonly string[];
  /** The field holding ON/OFF; absent when objects have no status. */
  readonly statusField?: string;
  /** Objects keep their status on update, and a status change is its own switch call (true), or the update sends it (false). */
  readonly switchCall: boolean;
  /** List order is priority: the declared objects are brought into declaration order. */
  readonly ordered: boolean;
  /** Why a change of one field weakens auditing, or undefined when it does not. `before` is undefined when the field was not read. */
  weakening(field: string, before: Json | undefined, after: Json): string | undefined;
}

/** Canonical JSON text: object keys sorted, so equal values give equal text. */
export function canonical(value: Json | undefined): string {
  if (value === undefined) return 'undefined';
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${(value as readonly Json[]).map(canonical).join(',')}]`;
  const o = value as { readonly [k: string]: Json };
  return `{${Object.keys(o)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`)
    .join(',')}}`;
}

/** A list field compared as a set: sorted, duplicates dropped. */
const asSet = (v: Json | undefined): Json | undefined => (Array.isArray(v) ? [...new Set((v as readonly Json[]).map(canonical))].sort() : v);

/** True when two values of `field` are the same under the shape. */
export function sameValue(shape: CollectionShape, field: string, a: Json | undefined, b: Json | undefined): boolean {
  const set = shape.setFields?.includes(field) ?? false;
  return canonical(set ? asSet(a) : a) === canonical(set ? asSet(b) : b);
}

/** The fields of `shape.fields` whose live and desired values differ. */
export function differingFields(shape: CollectionShape, live: LiveObject, desired: DesiredObject): KindFieldChange[] {
  const out: KindFieldChange[] = [];
  for (const field of shape.fields) {
    const before = live.spec[field];
    const after = desired.spec[field] ?? null;
    if (!sameValue(shape, field, before, after)) out.push(before === undefined ? { field, after } : { field, before, after });
  }
  return out;
}

const weakeningOf = (shape: CollectionShape, fields: readonly KindFieldChange[]): string[] =>
  fields.flatMap((f) => {
    const why = shape.weakening(f.field, f.before, f.after);
    return why === undefined ? [] : [why];
  });

/** The plan of a collection kind on one instance. Pure. */
export function planCollection(shape: CollectionShape, desired: DesiredKind, live: LiveKind): KindPlan {
  const changes: KindChangeDraft[] = [];
  const notes: string[] = [...live.observations];
  const problems: string[] = [];
  const customs = new Map<string, LiveObject[]>();
  const builtIns = new Map<string, LiveObject>();
  for (const o of live.objects) {
    if (o.builtIn) builtIns.set(o.key, o);
    else customs.set(o.key, [...(customs.get(o.key) ?? []), o]);
  }
  const leftAlone = (o: LiveObject): boolean => {
    const problem = idProblem(o.id);
    if (problem === undefined) return false;
    notes.push(`${shape.label} ${JSON.stringify(o.key)}: ${unusableIdMessage(shape.label, o.id, problem)}; left alone`);
    return true;
  };
  const switches: Record<Switch, { id: string; key: string; before: Json | undefined; source?: DesiredObject['source'] }[]> = { ON: [], OFF: [] };

  for (const d of desired.objects) {
    if (builtIns.has(d.key)) {
      problems.push(`${shape.label} ${JSON.stringify(d.key)} is declared as a custom one, but a built-in ${shape.label} has that name (built-in ones can only be switched)`);
      continue;
    }
    const found = customs.get(d.key) ?? [];
    if (found.length > 1) {
      problems.push(`${found.length} ${pluralOf(shape)} are listed as ${JSON.stringify(d.key)} (ids ${found.map((o) => o.id).join(', ')}): which one the entry means cannot be told; none is changed`);
      continue;
    }
    const l = found[0];
    if (l === undefined) {
      changes.push({ op: 'create', subject: d.key, payload: d.spec, source: d.source });
      continue;
    }
    if (leftAlone(l)) continue;
    const fields = differingFields(shape, l, d);
    const status = shape.statusField;
    const statusChanged = status !== undefined && !sameValue(shape, status, l.spec[status], d.spec[status] ?? null);
    const sent = statusChanged && !shape.switchCall ? [...fields, { field: status, before: l.spec[status] ?? null, after: d.spec[status] ?? null }] : fields;
    if (sent.length > 0) {
      changes.push({ op: 'update', subject: d.key, ids: [l.id], payload: d.spec, fields: sent, weakening: weakeningOf(shape, sent), source: d.source });
    }
    if (statusChanged && shape.switchCall) switches[d.spec[status] as Switch].push({ id: l.id, key: d.key, before: l.spec[status], source: d.source });
  }

  for (const s of desired.switches) {
    const b = builtIns.get(s.name);
    if (b === undefined) {
      const listed = [...builtIns.keys()].sort();
      problems.push(`no built-in ${shape.label} is named ${JSON.stringify(s.name)} (listed: ${listed.length > 0 ? listed.join(', ') : 'none'})`);
      continue;
    }
    if (leftAlone(b)) continue;
    const field = shape.statusField ?? 'status';
    if (b.spec[field] !== s.status) switches[s.status].push({ id: b.id, key: s.name, before: b.spec[field], source: s.source });
  }
  for (const status of ['ON', 'OFF'] as const) {
    const batch = switches[status].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    if (batch.length === 0) continue;
    changes.push({
      op: 'switch',
      subject: status,
      ids: batch.map((b) => b.id),
      payload: { status, keys: batch.map((b) => b.key) },
      fields: batch.map((b) => ({ field: b.key, ...(b.before === undefined ? {} : { before: b.before }), after: status })),
      weakening: status === 'OFF' ? batch.map((b) => `${shape.label} ${JSON.stringify(b.key)} switched OFF`) : [],
      ...(batch[0]?.source ? { source: batch[0].source } : {}),
    });
  }

  const declared = new Set(desired.objects.map((d) => d.key));
  const undeclared = [...customs.entries()].filter(([key]) => !declared.has(key)).flatMap(([, objects]) => objects);
  // An object whose key changed (a renamed scope, a whitelist entry's new SQL text) is a create
  // and, with prune, a delete of the old one, which apply runs only once the new one is listed.
  for (const o of desired.prune ? undeclared : []) {
    if (leftAlone(o)) continue;
    changes.push({ op: 'delete', subject: o.key, ids: [o.id], payload: null, weakening: [`${shape.label} ${JSON.stringify(o.key)} deleted`] });
  }
  if (!desired.prune && undeclared.length > 0) {
    notes.push(`${undeclared.length} ${shape.label}${undeclared.length === 1 ? '' : 's'} not declared, left alone (prune: false): ${[...new Set(undeclared.map((o) => o.key))].sort().join(', ')}`);
  }

  if (shape.ordered && problems.length === 0) {
    const order = planOrder(shape, desired, customs, changes);
    if (order) changes.push(order);
    const unranked = desired.objects.filter((d) => customs.get(d.key)?.[0] !== undefined && customs.get(d.key)![0]!.rank === undefined).map((d) => d.key);
    if (unranked.length > 0) notes.push(`listed without rank, so their order is not checked: ${unranked.join(', ')}`);
  }
  return { changes, notes, problems };
}

/**
 * The order change of an ordered kind: when a declared object is created (where DBSS puts a new
 * one is unsettled), or when the ranked declared objects are listed out of declaration order.
 * The kind's write lists afresh and sends what its rank call needs.
 */
function planOrder(shape: CollectionShape, desired: DesiredKind, customs: ReadonlyMap<string, readonly LiveObject[]>, changes: readonly KindChangeDraft[]): KindChangeDraft | undefined {
  const order = desired.objects.map((d) => d.key).filter((k) => (customs.get(k)?.length ?? 0) <= 1);
  if (order.length <= 1) return undefined;
  const creates = changes.some((c) => c.op === 'create');
  const ranked = order.flatMap((k) => {
    const l = customs.get(k)?.[0];
    return l?.rank === undefined ? [] : [{ key: k, rank: l.rank }];
  });
  const listed = [...ranked].sort((a, b) => a.rank - b.rank).map((r) => r.key);
  const inOrder = listed.every((k, i) => k === ranked[i]!.key);
  if (inOrder && !creates) return undefined;
  return {
    op: 'order',
    subject: 'order',
    payload: { order },
    fields: [{ field: 'order', before: listed, after: order }],
    weakening: orderWeakening(shape, listed, order),
  };
}

/** Moving an object below one it was above changes which rule a statement matches first: said, not judged. */
function orderWeakening(shape: CollectionShape, before: readonly string[], after: readonly string[]): string[] {
  const lowered = before.filter((k, i) => after.indexOf(k) > i && after.includes(k));
  return lowered.length > 0 ? lowered.map((k) => `${shape.label} ${JSON.stringify(k)} moved down (a broader ${shape.label} above it may now match first)`) : [];
}

/** Whether a read shows a planned collection change done (kinds call this from `shows`). */
export function collectionShows(shape: CollectionShape, change: KindChangeDraft, live: LiveKind): boolean {
  const byKey = (key: string): LiveObject[] => live.objects.filter((o) => o.key === key && !o.builtIn);
  switch (change.op) {
    case 'create':
    case 'update': {
      const spec = change.payload as { readonly [f: string]: Json };
      const found = byKey(change.subject);
      // an update of a kind with a switch call keeps the status: the switch that follows it changes that
      const status = change.op === 'update' && shape.switchCall ? undefined : shape.statusField;
      return found.some((o) => shape.fields.every((f) => sameValue(shape, f, o.spec[f], spec[f] ?? null)) && (status === undefined || sameValue(shape, status, o.spec[status], spec[status] ?? null)));
    }
    case 'delete':
      return !live.objects.some((o) => change.ids?.includes(o.id));
    case 'switch': {
      const { status } = change.payload as { status: Switch };
      const field = shape.statusField ?? 'status';
      return (change.ids ?? []).every((id) => live.objects.some((o) => o.id === id && o.spec[field] === status));
    }
    case 'order': {
      const { order } = change.payload as { order: readonly string[] };
      const ranked = order.flatMap((k) => {
        const o = byKey(k)[0];
        return o?.rank === undefined ? [] : [{ key: k, rank: o.rank }];
      });
      return ranked.length === order.length && ranked.every((r, i) => i === 0 || ranked[i - 1]!.rank < r.rank);
    }
    case 'set':
      return settingShows(change, live);
  }
}

/** Where a value of `from` is declared, with the rule set it comes through. */
export function provenanceOf(from: KindValues, path: readonly (string | number)[]): RuleProvenance {
  const at: SourceLocation = from.at(path);
  return from.ruleSet ? { ...at, ruleSet: from.ruleSet.name, appliedAt: from.ruleSet.appliedAt } : at;
}

/**
 * The declared objects of a list-valued policy key over an entry's rule sets (in `use` order)
 * and its own values, last: a later declaration of a key replaces an earlier one in place, so
 * an entry's own object overrides its rule set's.
 */
export function declaredObjects(
  values: readonly KindValues[],
  policyKey: string,
  parse: (raw: Json, source: RuleProvenance) => DesiredObject,
): DesiredObject[] {
  const out: DesiredObject[] = [];
  for (const from of values) {
    const list = from.values[policyKey];
    if (!Array.isArray(list)) continue;
    (list as readonly Json[]).forEach((raw, i) => {
      const o = parse(raw, provenanceOf(from, [policyKey, i]));
      const at = out.findIndex((x) => x.key === o.key);
      if (at >= 0) out[at] = o;
      else out.push(o);
    });
  }
  return out;
}

/** The declared built-in switches of a map-valued policy key (name → ON/OFF), later values replacing earlier ones. */
export function declaredSwitches(values: readonly KindValues[], policyKey: string): DesiredKind['switches'] {
  const out = new Map<string, DesiredKind['switches'][number]>();
  for (const from of values) {
    const map = from.values[policyKey];
    if (map === null || typeof map !== 'object' || Array.isArray(map)) continue;
    for (const [name, status] of Object.entries(map as { readonly [k: string]: Json })) {
      out.set(name, { name, status: status as Switch, source: provenanceOf(from, [policyKey, name]) });
    }
  }
  return [...out.values()];
}

/** The declared value of a scalar policy key (`full_audit: OFF`): the last place that sets it wins. */
export function declaredSettings(values: readonly KindValues[], keys: readonly string[]): DesiredKind['settings'] {
  const out: Record<string, DesiredKind['settings'][string]> = {};
  for (const from of values) {
    for (const key of keys) {
      const value = from.values[key];
      if (value !== undefined) out[key] = { value, source: provenanceOf(from, [key]) };
    }
  }
  return out;
}

/**
 * The declared fields of a map-valued singleton policy key (`alarms: {enabled: ON, cpu: 80}`),
 * field by field: each field from the last place that sets it, so a rule set can give the
 * levels and thresholds and an entry its own topic. Keyed by field name.
 */
export function declaredSettingFields(values: readonly KindValues[], policyKey: string): DesiredKind['settings'] {
  const out: Record<string, DesiredKind['settings'][string]> = {};
  for (const from of values) {
    const map = from.values[policyKey];
    if (map === null || typeof map !== 'object' || Array.isArray(map)) continue;
    for (const [field, value] of Object.entries(map as { readonly [k: string]: Json })) {
      if (value !== undefined) out[field] = { value, source: provenanceOf(from, [policyKey, field]) };
    }
  }
  return out;
}

/**
 * The `set` changes of a kind's singleton settings: one per declared setting whose live value
 * differs (a setting that was not read counts as differing). `weakening` says why a new value
 * weakens auditing, or undefined.
 */
export function planSettings(desired: DesiredKind, live: LiveKind, weakening: (name: string, before: Json | undefined, after: Json) => string | undefined): KindChangeDraft[] {
  const out: KindChangeDraft[] = [];
  for (const [name, { value, source }] of Object.entries(desired.settings)) {
    const before = live.settings[name];
    if (before !== undefined && canonical(before) === canonical(value)) continue;
    const why = weakening(name, before, value);
    out.push({ op: 'set', subject: name, payload: { name, value }, fields: [before === undefined ? { field: name, after: value } : { field: name, before, after: value }], weakening: why === undefined ? [] : [why], source });
  }
  return out;
}

/** Whether a read shows a `set` change of planSettings done. */
export function settingShows(change: KindChangeDraft, live: LiveKind): boolean {
  const { name, value } = change.payload as { name: string; value: Json };
  return live.settings[name] !== undefined && canonical(live.settings[name]) === canonical(value);
}
