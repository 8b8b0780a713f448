import type { Change, Plan, PlanProblem, PlanTarget } from '../plan/types.js';
import type { DesiredSelector, DesiredState } from '../policy/types.js';
import { instanceKey } from '../domain.js';

/**
 * A saved plan is a claim, not a command: `apply plan.json` plans again from the current
 * policies and a fresh read of the targets the file lists, and applies only when the fresh
 * targets, changes and refusals of those targets equal the file's. Everything in the file that decides a
 * write (targets, changes with their ids, contents and rank calls, refusals) is compared;
 * only provenance (`source`, where a rule is declared) is left out, since moving a rule within
 * a file changes nothing that is sent.
 */

/**
 * Target keys a saved plan lists, writes to or refuses: the ones apply reads again. Every listed
 * target counts, not only those with changes: a target whose changes were cut out of the file
 * must be planned again to see that it still has some.
 */
export function savedPlanTargets(saved: Plan): ReadonlySet<string> {
  return new Set([...saved.targets.map((t) => t.key), ...saved.changes.map((c) => c.target), ...saved.refusals.map((r) => r.target)]);
}

/** The JSON of a value with object keys sorted, so key order in the file does not matter. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, (v as Record<string, unknown>)[k]])) : v,
  );
}

/** A change without its display-only provenance and labels (which name where an exception is declared). */
function comparable(change: Change): unknown {
  const { source: _source, labels: _labels, ...rest } = change as Change & { source?: unknown };
  return rest;
}

const show = (v: unknown): string => (v === undefined ? 'nothing' : JSON.stringify(v));

/** The path of the first place two JSON values differ, with both values, e.g. `after.riskLevel: ...`. */
export function firstDifference(saved: unknown, fresh: unknown, path = ''): string | undefined {
  if (canonicalJson(saved) === canonicalJson(fresh)) return undefined;
  const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object';
  if (isObj(saved) && isObj(fresh) && Array.isArray(saved) === Array.isArray(fresh)) {
    const keys = [...new Set([...Object.keys(saved), ...Object.keys(fresh)])].sort();
    for (const k of keys) {
      const sub = Array.isArray(saved) ? `${path}[${k}]` : path ? `${path}.${k}` : k;
      const d = firstDifference(saved[k], fresh[k], sub);
      if (d !== undefined) return d;
    }
  }
  return `${path || '(whole value)'}: the plan file has ${show(saved)}, a fresh plan has ${show(fresh)}`;
}

/**
 * The first difference between a saved plan and the fresh plan of its targets, as one sentence,
 * or undefined when the fresh plan makes exactly the saved changes and refusals.
 */
export function savedPlanMismatch(saved: Plan, fresh: Plan): string | undefined {
  const scope = savedPlanTargets(saved);
  const freshTargets = new Map(fresh.targets.map((t) => [t.key, t]));
  const savedTargets = new Map<string, PlanTarget>(saved.targets.map((t) => [t.key, t]));
  for (const key of [...scope].sort()) {
    const now = freshTargets.get(key);
    if (!now) {
      const why = fresh.errors.filter((e) => e.target === key).map((e) => e.message);
      return `target ${key} cannot be planned now${why.length ? ` (${why.join('; ')})` : ''}`;
    }
    const was = savedTargets.get(key);
    if (!was) return `the plan file changes or refuses ${key}, which its target list does not have`;
    const d = firstDifference(was, now);
    if (d) return `target ${key} differs at ${d}`;
  }
  const freshChanges = new Map(fresh.changes.filter((c) => scope.has(c.target)).map((c) => [c.id, c]));
  const savedIds = new Set<string>();
  for (const c of saved.changes) {
    if (savedIds.has(c.id)) return `change ${c.id} appears twice in the plan file`;
    savedIds.add(c.id);
    const now = freshChanges.get(c.id);
    if (!now) return `change ${c.id} is in the plan file but a fresh plan does not make it`;
    const d = firstDifference(comparable(c), comparable(now));
    if (d) return `change ${c.id} differs at ${d}`;
  }
  for (const c of freshChanges.values()) {
    if (!savedIds.has(c.id)) return `a fresh plan makes change ${c.id}, which the plan file does not have`;
  }
  const refusals = (ps: readonly PlanProblem[]): string[] => ps.filter((p) => scope.has(p.target)).map(canonicalJson).sort();
  const savedRefusals = refusals(saved.refusals);
  const freshRefusals = refusals(fresh.refusals);
  const missing = freshRefusals.find((r) => !savedRefusals.includes(r));
  if (missing) return `a fresh plan refuses ${describeRefusal(missing)}, which the plan file does not say`;
  const extra = savedRefusals.find((r) => !freshRefusals.includes(r));
  if (extra) return `the plan file refuses ${describeRefusal(extra)}, which a fresh plan does not`;
  return undefined;
}

const describeRefusal = (json: string): string => {
  const p = JSON.parse(json) as PlanProblem;
  return `${p.target} (${JSON.stringify(p.message)})`;
};

/**
 * The declared state narrowed to a saved plan's targets: their instances (selector matches
 * included, with the selectors that matched them) and the summary tasks of their project
 * targets. Applied after selectors are resolved, so only these instances' rules are read.
 */
export function narrowToTargets(desired: DesiredState, targets: ReadonlySet<string>): DesiredState {
  const instances = desired.instances.filter((d) => targets.has(instanceKey(d)));
  const matched = (s: DesiredSelector): boolean => instances.some((d) => d.selector === s.pattern && d.region === s.region && d.projectId === s.projectId);
  return {
    instances,
    summaryTasks: desired.summaryTasks.filter((t) => targets.has(`${t.region}/${t.projectId}`)),
    selectors: desired.selectors?.filter(matched) ?? [],
    ...(desired.waivers ? { waivers: desired.waivers } : {}),
  };
}
