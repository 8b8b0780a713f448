import type { ReadableRuleSpec } from '../domain.js';
import { normaliseRule } from '../plan/normalise.js';
import type { ExportedSystemRule, InstanceExport, ProjectExport, RuleSetExport } from './types.js';

/**
 * `export --factor`: rules that several exported instances have identically become a rule set
 * that those instances `use`, so the document states them once and the plan stays empty.
 *
 * Only a shared PREFIX of the instances' rank-ordered risk rules can be factored: `use` puts a
 * set's rules before the entry's own `risk_rules`, and list order is priority, so moving rules
 * from the middle or the end of a list into a set would reorder them (and the plan would then
 * reorder the live rules). Rules are the same when the planner sees no difference between
 * them: equal names and equal normalised content (normaliseRule), not just equal names; the
 * set keeps the spelling of the first instance that has it.
 *
 * The prefixes are found as in a trie of the rule lists: instances whose next rule is the same
 * form a group; the rules all of a group's instances have from there on, up to the first one
 * where two of them differ, become a set; the group is split again by its next rule, and so on.
 * An instance thus uses a chain of sets (`use: [a, b]`, each used by fewer instances than the
 * one before), then has its own rules. A set always holds at least one rule shared by at least
 * two instances, so factoring never makes a set that saves nothing; with no shared prefix the
 * project comes back unchanged.
 *
 * System rule switches that every instance of a first set's group has (same name and status)
 * move into that set; the later sets of a chain hold only risk rules.
 *
 * Names are `<first 8 characters of the project id>-shared-<n>`, numbered by their first user in
 * document order (a set before the sets used after it), so exports of different projects in one
 * policies tree do not collide (set names are unique across the whole tree) and a re-export of
 * an unchanged project gives the same names.
 */
export function factorRuleSets(project: ProjectExport): ProjectExport {
  const keys = project.instances.map((i) => i.riskRules.map(contentKey));
  const runs: SharedRun[] = [];
  findSharedRuns(keys.map((_, index) => index), keys, 0, runs);
  if (runs.length === 0) return project;

  const name = (n: number): string => `${project.projectId.slice(0, 8)}-shared-${n + 1}`;
  const ruleSets = runs.map((run, n): RuleSetExport => {
    const users = run.members.map((m) => project.instances[m]!);
    return {
      name: name(n),
      usedBy: users.map((u) => (u.ref === 'name' ? u.name : u.id)),
      systemRules: run.start === 0 ? commonSwitches(users) : [],
      riskRules: users[0]!.riskRules.slice(run.start, run.end),
    };
  });
  const instances = project.instances.map((inst, index): InstanceExport => {
    // Runs are in pre-order, so an instance's runs come in rank order, each starting where the last ended.
    const mine = runs.flatMap((run, n) => (run.members.includes(index) ? [n] : []));
    if (mine.length === 0) return inst;
    const fromSets = new Set(mine.flatMap((n) => ruleSets[n]!.systemRules).map(switchKey));
    return {
      ...inst,
      use: mine.map(name),
      systemRules: inst.systemRules.filter((s) => !fromSets.has(switchKey(s))),
      riskRules: inst.riskRules.slice(runs[mine[mine.length - 1]!]!.end),
    };
  });
  return { ...project, instances, ruleSets };
}

/** Rules [start, end) of the lists of `members` (instance indexes), the same in each. */
interface SharedRun {
  /** Indexes of the instances that have these rules, in document order (at least two). */
  readonly members: readonly number[];
  /** Position of the first shared rule in each member's list. */
  readonly start: number;
  /** Position after the last shared rule (greater than start). */
  readonly end: number;
}

/** A rule's identity as the planner compares it: its name and normalised content. */
const contentKey = (rule: ReadableRuleSpec): string => JSON.stringify(normaliseRule(rule));

const switchKey = (s: ExportedSystemRule): string => `${s.name}=${s.status}`;

/**
 * Appends, in pre-order, the shared runs of `members`, which all have the same rules before
 * `start`: members are grouped by their rule at `start`; each group of two or more shares that
 * rule and every next one up to where any two of its members differ (or one's list ends).
 */
function findSharedRuns(members: readonly number[], keys: readonly (readonly string[])[], start: number, out: SharedRun[]): void {
  const groups = new Map<string, number[]>();
  for (const m of members) {
    const key = keys[m]![start];
    if (key !== undefined) groups.set(key, [...(groups.get(key) ?? []), m]);
  }
  for (const group of groups.values()) {
    if (group.length < 2) continue;
    const lead = keys[group[0]!]!;
    let end = start + 1;
    while (end < lead.length && group.every((m) => keys[m]![end] === lead[end])) end += 1;
    out.push({ members: group, start, end });
    findSharedRuns(group, keys, end, out);
  }
}

/** The system rule switches (name and status) that every one of `instances` has, in schema order. */
function commonSwitches(instances: readonly InstanceExport[]): ExportedSystemRule[] {
  const [first, ...rest] = instances;
  const others = rest.map((i) => new Set(i.systemRules.map(switchKey)));
  return (first?.systemRules ?? []).filter((s) => others.every((keys) => keys.has(switchKey(s))));
}
