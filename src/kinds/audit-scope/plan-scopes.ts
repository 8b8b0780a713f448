import { idProblem, unusableIdMessage } from '../../api/usable-id.js';
import type { CollectionShape } from '../collection.js';
import { collectionShows, planCollection } from '../collection.js';
import type { DesiredKind, Json, KindChangeDraft, KindPlan, LiveKind, LiveObject } from '../kind.js';
import { ALL_DATABASES, databasesOf, FULL_AUDIT_KEY, LABEL, LIST_FIELDS, listOf, SCOPE_FIELDS } from './scope-spec.js';

/**
 * Planning audit scopes: the custom scopes are a named collection without an order
 * (planCollection); the built-in full-audit scope is switched only, by `full_audit`; and the
 * plan says when declared custom scopes cannot take effect because full audit is ON (it takes
 * priority over every custom scope).
 */

const quoted = (items: readonly string[]): string => items.map((i) => JSON.stringify(i)).join(', ');

/** Items of `before` missing from `after`. */
const dropped = (before: readonly string[], after: readonly string[]): string[] => before.filter((x) => !after.includes(x));

/** Why a change of one scope field narrows what is audited (undefined: it does not). */
export function scopeWeakening(field: string, before: Json | undefined, after: Json): string | undefined {
  if (before === undefined) return undefined;
  if (field === 'databases') {
    const [b, a] = [databasesOf(before), databasesOf(after)];
    if (a === ALL_DATABASES) return undefined;
    if (b === ALL_DATABASES) return `${LABEL} databases narrowed from all databases to ids [${quoted(a.ids)}], names [${quoted(a.names)}]`;
    const gone = [...dropped(b.ids, a.ids).map((i) => `id ${JSON.stringify(i)}`), ...dropped(b.names, a.names).map((n) => `name ${JSON.stringify(n)}`)];
    return gone.length > 0 ? `${LABEL} databases no longer audited: ${gone.join(', ')}` : undefined;
  }
  const [b, a] = [listOf(before), listOf(after)];
  if (field === 'exception_ips') {
    const added = dropped(a, b);
    return added.length > 0 ? `${LABEL} exception_ips added (no longer audited): ${quoted(added)}` : undefined;
  }
  if (a.length === 0) return undefined;
  if (b.length === 0) return `${LABEL} ${field} narrowed from any to ${quoted(a)}`;
  const gone = dropped(b, a);
  return gone.length > 0 ? `${LABEL} ${field} no longer audited: ${quoted(gone)}` : undefined;
}

/** The collection shape of custom audit scopes. */
export const SCOPE_SHAPE: CollectionShape = {
  label: LABEL,
  fields: SCOPE_FIELDS,
  setFields: LIST_FIELDS,
  statusField: 'status',
  switchCall: true,
  ordered: false,
  weakening: scopeWeakening,
};

/** The custom scopes ON once the plan is applied: declared ON, and undeclared live ones ON that are kept. */
function customsOnAfter(desired: DesiredKind, live: LiveKind): string[] {
  const declared = new Set(desired.objects.map((d) => d.key));
  const kept = desired.prune ? [] : live.objects.filter((o) => !o.builtIn && !declared.has(o.key) && o.spec.status === 'ON').map((o) => o.key);
  return [...desired.objects.filter((d) => d.spec.status === 'ON').map((d) => d.key), ...kept];
}

/** The switch of the built-in full-audit scope, its problems and notes. */
function planFullAudit(desired: DesiredKind, live: LiveKind, builtIns: readonly LiveObject[], out: { changes: KindChangeDraft[]; notes: string[]; problems: string[] }): Json | undefined {
  const want = desired.settings[FULL_AUDIT_KEY];
  const current = builtIns.length === 1 ? builtIns[0]!.spec.status : undefined;
  if (want === undefined) return current;
  if (builtIns.length === 0) {
    const why = `${FULL_AUDIT_KEY}: ${String(want.value)} is declared, but no built-in full-audit scope is listed (no scope has all_audit true)`;
    if (want.value === 'ON') out.problems.push(why);
    else out.notes.push(`${why}; nothing to switch`);
    return undefined;
  }
  if (builtIns.length > 1) {
    out.problems.push(`${builtIns.length} scopes are listed with all_audit true (${quoted(builtIns.map((b) => b.key))}): which one is the full-audit scope cannot be told`);
    return undefined;
  }
  const b = builtIns[0]!;
  const problem = idProblem(b.id);
  if (problem !== undefined) {
    out.notes.push(`built-in full-audit scope ${JSON.stringify(b.key)}: ${unusableIdMessage(LABEL, b.id, problem)}; left alone`);
    return current;
  }
  if (current === want.value) return current;
  const noneOn = customsOnAfter(desired, live).length === 0;
  out.changes.push({
    op: 'switch',
    subject: FULL_AUDIT_KEY,
    ids: [b.id],
    payload: { status: want.value, keys: [b.key] },
    fields: [{ field: FULL_AUDIT_KEY, before: current ?? null, after: want.value }],
    weakening: want.value === 'OFF' && noneOn ? [`full audit switched OFF while no custom ${LABEL} is ON`] : [],
    source: want.source,
  });
  return want.value;
}

/** The plan of audit scopes on one instance. Pure. */
export function planScopes(desired: DesiredKind, live: LiveKind): KindPlan {
  const base = planCollection(SCOPE_SHAPE, desired, live);
  const out = { changes: [...base.changes], notes: [...base.notes], problems: [...base.problems] };
  const fullAfter = planFullAudit(desired, live, live.objects.filter((o) => o.builtIn), out);
  const declaredOn = desired.objects.filter((d) => d.spec.status === 'ON').map((d) => d.key);
  if (fullAfter === 'ON' && declaredOn.length > 0) {
    out.notes.push(`full audit is ON, so these custom ${LABEL}s have no effect (the built-in full-audit scope takes priority): ${quoted(declaredOn)}`);
  }
  return out;
}

/** Whether a read shows a planned change done. */
export const scopeShows = (change: KindChangeDraft, live: LiveKind): boolean => collectionShows(SCOPE_SHAPE, change, live);
