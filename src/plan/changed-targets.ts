import type { DesiredInstance, DesiredSelector, DesiredState } from '../policy/types.js';
import { instanceKey } from '../domain.js';
import { cmp } from './order.js';
import { longestIncreasingRun } from './rank-moves.js';
import { ruleSpec } from './rule-diff.js';
import { canonical } from '../kinds/collection.js';

/**
 * What changed in the desired state between two policy trees (a git ref and the working tree),
 * target by target: an instance, the instances a selector matches, a project's summary tasks.
 * Pure. Source locations and rule-set provenance do not count (moving a rule into a set, or a
 * file, changes nothing); a changed rule set changes every instance that uses it, because rule
 * sets are already expanded into each instance's rules.
 */

/** The declared custom rules of a changed instance whose details a plan needs. */
export type RulesToShow = 'all' | ReadonlySet<string>;

/** The targets whose desired state differs. */
export interface ChangedTargets {
  /** Changed instances by key, with the rules to show (by name). */
  readonly instances: ReadonlyMap<string, RulesToShow>;
  /** `region/project` whose summary tasks differ. */
  readonly taskProjects: ReadonlySet<string>;
  /** `region/project` with selectors whose matches must be resolved to compare (selectors, or a claim, changed). */
  readonly selectorProjects: ReadonlySet<string>;
}

const projectOf = (x: { readonly region: string; readonly projectId: string }): string => `${x.region}/${x.projectId}`;

type Entry = Pick<DesiredInstance, 'prune' | 'systemRules' | 'riskRules' | 'kinds'>;

/** The rule's content in a fixed key order, without where it is written. */
const ruleText = (r: DesiredInstance['riskRules'][number]): string => JSON.stringify(ruleSpec(r));

/** An entry's content (prune, system switches by name, risk rules in order), without locations. */
function entryText(d: Entry): string {
  const systems = d.systemRules.map((s) => [s.name, s.status] as const).sort((a, b) => cmp(a[0], b[0]));
  // Other kinds by their declared content (no locations), kinds in name order.
  const kinds = Object.entries(d.kinds ?? {})
    .sort((a, b) => cmp(a[0], b[0]))
    .map(([name, k]) => [name, k.prune, k.objects.map((o) => canonical([o.key, o.spec, o.meta ?? null])), k.switches.map((x) => [x.name, x.status]), canonical(Object.entries(k.settings).map(([n, v]) => [n, v.value]))]);
  return JSON.stringify([d.prune, systems, d.riskRules.map(ruleText), ...(kinds.length > 0 ? [kinds] : [])]);
}

/**
 * The rules of `head` whose details a plan of the change needs: those that are new or whose
 * declared spec changed, and those whose place among the rules both sides declare changed (the
 * fewest moved, as the reorder would move them). Empty when only prune or system rules changed.
 */
export function rulesToShow(base: Entry, head: Entry): ReadonlySet<string> {
  const before = new Map(base.riskRules.map((r, i) => [r.name, { text: ruleText(r), at: i }]));
  const show = new Set<string>();
  const common: { name: string; at: number }[] = [];
  for (const r of head.riskRules) {
    const was = before.get(r.name);
    if (!was || was.text !== ruleText(r)) show.add(r.name);
    if (was) common.push({ name: r.name, at: was.at });
  }
  const kept = new Set(longestIncreasingRun(common.map((c) => c.at)));
  common.forEach((c, i) => {
    if (!kept.has(i)) show.add(c.name);
  });
  return show;
}

/** Instances of `head` that differ from `base` (by key), with the rules to show; only keys `inScope` accepts. */
export function changedInstances(
  base: readonly DesiredInstance[],
  head: readonly DesiredInstance[],
  inScope: (d: DesiredInstance) => boolean = () => true,
): Map<string, RulesToShow> {
  const before = new Map(base.filter(inScope).map((d) => [instanceKey(d), d]));
  const changed = new Map<string, RulesToShow>();
  for (const d of head.filter(inScope)) {
    const key = instanceKey(d);
    const was = before.get(key);
    if (!was) changed.set(key, 'all');
    else if (entryText(was) !== entryText(d)) changed.set(key, rulesToShow(was, d));
  }
  return changed;
}

const selectorText = (s: DesiredSelector): string => JSON.stringify([s.pattern, entryText(s)]);
const claimText = (d: DesiredInstance): string => (d.ref.kind === 'name' ? `n:${d.ref.name}` : `i:${d.ref.id}`);

/** The selectors and by-name/by-id claims of one project, as comparable text. */
function selectorSide(desired: DesiredState, project: string): string {
  const selectors = desired.selectors?.filter((s) => projectOf(s) === project).map(selectorText).sort(cmp) ?? [];
  const claims = desired.instances.filter((d) => projectOf(d) === project && d.selector === undefined).map(claimText).sort(cmp);
  return JSON.stringify([selectors, claims]);
}

/** Each project's summary tasks as comparable text. */
function tasksByProject(desired: DesiredState): Map<string, string> {
  const out = new Map<string, string[]>();
  for (const t of desired.summaryTasks) {
    const tasks = out.get(projectOf(t));
    if (tasks) tasks.push(`${t.busiType}=${t.enabled}`);
    else out.set(projectOf(t), [`${t.busiType}=${t.enabled}`]);
  }
  return new Map([...out].map(([k, v]) => [k, JSON.stringify(v.sort(cmp))]));
}

/**
 * The declared (unexpanded) differences: changed instances declared by name or id, projects
 * whose summary tasks changed, and projects with selectors (in either tree) whose selectors
 * or by-name/by-id claims changed. What those selectors match needs the instance lists: call
 * changedInstances again on both trees expanded with the same lists (selectorProjects only).
 */
export function changedTargets(base: DesiredState, head: DesiredState): ChangedTargets {
  const withSelectors = new Set([...(base.selectors ?? []), ...(head.selectors ?? [])].map(projectOf));
  const selectorProjects = new Set([...withSelectors].filter((p) => selectorSide(base, p) !== selectorSide(head, p)));
  const declared = (d: DesiredInstance): boolean => d.selector === undefined;
  // An entry by name or id added or removed hands an instance to (or takes it from) a selector:
  // selectorSide compares those claims too.
  const instances = changedInstances(base.instances, head.instances, declared);
  const [tasksBefore, tasksAfter] = [tasksByProject(base), tasksByProject(head)];
  const taskProjects = new Set([...tasksAfter].filter(([p, text]) => tasksBefore.get(p) !== text).map(([p]) => p));
  return { instances, taskProjects, selectorProjects };
}
