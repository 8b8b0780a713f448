import type { SourceLocation } from '../domain.js';
import { diagnosticAt, firstSeen } from './diagnostic-at.js';
import type { Diagnostic } from './diagnostics.js';
import { formatLocation } from './diagnostics.js';
import type { PathSegment, PolicyDocument } from './policy-document.js';
import type { InstanceEntry, Mapping, RuleContainer, RuleSetEntry } from './policy-entries.js';
import { isMapping, ruleEntries, text, textItems } from './policy-entries.js';
import { nearest } from './schema-messages.js';

/**
 * The rules of one instance entry (or selector) after `use`, `exclude` and `overrides`: the
 * risk rules of the used sets in `use` order, then the entry's own; the same for system rules.
 * One implementation serves both the cross-document checks (its diagnostics, on any document)
 * and the desired state (its rules, on schema-valid documents).
 */

/** How a set's rule reached the entry. */
export interface SetUse {
  /** The rule set. */
  readonly set: RuleSetEntry;
  /** Path of the `use` entry in the instance's document. */
  readonly usePath: readonly PathSegment[];
}

/** One rule of the entry after expansion. */
export interface ExpandedRule {
  /** A custom risk rule (in `risk_rules`) or a built-in system rule (in `system_rules`). */
  readonly kind: 'risk' | 'system';
  /** Rule name. */
  readonly name: string;
  /** Document of the rule's definition (the set's or the entry's). */
  readonly doc: PolicyDocument;
  /** Path of the definition: a risk rule entry, or the key of a system rule. */
  readonly path: readonly PathSegment[];
  /** Risk rule: its fields with the overrides applied. System rule: `{ status }`. */
  readonly data: Mapping;
  /** The set it comes from; absent for the entry's own rules. */
  readonly via?: SetUse;
  /** Path (in the instance's document) of the `overrides` entry that changed it. */
  readonly overridePath?: readonly PathSegment[];
}

/** The expansion of one entry. */
export interface Expansion {
  /** Risk rules in priority order; a name that would repeat is kept once (and reported). */
  readonly riskRules: readonly ExpandedRule[];
  /** System rules; a name that would repeat is kept once (and reported). */
  readonly systemRules: readonly ExpandedRule[];
  /** Unknown sets, stray excludes and overrides, names from two places. */
  readonly diagnostics: readonly Diagnostic[];
  /** The rule sets the entry uses, in `use` order (the other kinds take their values from them too). */
  readonly uses: readonly SetUse[];
}

const systemRulesOf = (owner: RuleContainer): ExpandedRule[] => {
  const rules = owner.data['system_rules'];
  if (!isMapping(rules)) return [];
  // `Name: OFF`, or `Name: { status: OFF, until, reason }` for an OFF that expires.
  return Object.entries(rules).map(([name, value]) => ({
    kind: 'system' as const,
    name,
    doc: owner.doc,
    path: [...owner.path, 'system_rules', name],
    data: isMapping(value) ? { ...value } : { status: value },
  }));
};

const riskRulesOf = (owner: RuleContainer): ExpandedRule[] =>
  ruleEntries(owner).flatMap((r) => {
    const name = text(r.data['name']);
    return name === undefined ? [] : [{ kind: 'risk' as const, name, doc: owner.doc, path: r.path, data: r.data }];
  });

/** Where a rule is defined: a risk rule's entry, a system rule's key. */
export const definedAt = (r: ExpandedRule): SourceLocation => r.doc.locate(r.path, r.kind === 'system' ? 'key' : 'value');

/** Collects the diagnostics of one entry, located in its document. */
class EntryReport {
  readonly diagnostics: Diagnostic[] = [];
  constructor(private readonly doc: PolicyDocument) {}
  /** Where `path` is in the entry's document. */
  at(path: readonly PathSegment[], part: 'value' | 'key' = 'value'): SourceLocation {
    return this.doc.locate(path, part);
  }
  /** An error at `path`, naming `related` as the other place when there is one. */
  error(path: readonly PathSegment[], message: string, related?: SourceLocation, part: 'value' | 'key' = 'value'): void {
    this.diagnostics.push(diagnosticAt(this.doc, path, message, { part, ...(related ? { related } : {}) }));
  }
  /** `rule set "baseline" (sets.yaml:3:9, used at p.yaml:6:11)`. */
  setOf(r: ExpandedRule): string {
    return `rule set "${r.via?.set.name}" (${formatLocation(definedAt(r))}, used at ${formatLocation(this.at(r.via?.usePath ?? []))})`;
  }
}

/** The sets named by `use`, in order; unknown and repeated names reported. */
function usedSets(entry: InstanceEntry, sets: ReadonlyMap<string, RuleSetEntry>, report: EntryReport): SetUse[] {
  const uses: SetUse[] = [];
  const seen = firstSeen<string>();
  for (const { value: name, index } of textItems(entry.data['use'])) {
    const usePath = [...entry.path, 'use', index];
    const first = seen(name, report.at(usePath));
    const set = sets.get(name);
    if (first) report.error(usePath, `rule set "${name}" is used twice (also used at ${formatLocation(first)})`, first);
    else if (set) uses.push({ set, usePath });
    else {
      const hint = nearest(name, [...sets.keys()]);
      const known = sets.size > 0 ? `rule sets: ${[...sets.keys()].join(', ')}` : 'the policies declare no rule_sets';
      report.error(usePath, `unknown rule set "${name}" (${hint ? `did you mean "${hint}"?` : known})`);
    }
  }
  return uses;
}

/** The names in `exclude`, each with the path of its entry; repeats reported. */
function excludedNames(entry: InstanceEntry, report: EntryReport): Map<string, readonly PathSegment[]> {
  const excluded = new Map<string, readonly PathSegment[]>();
  const seen = firstSeen<string>();
  for (const { value: name, index } of textItems(entry.data['exclude'])) {
    const path = [...entry.path, 'exclude', index];
    const first = seen(name, report.at(path));
    if (first) report.error(path, `"${name}" is excluded twice (also at ${formatLocation(first)})`, first);
    else excluded.set(name, path);
  }
  return excluded;
}

/**
 * Keeps the first rule of each name. A repeat from another place goes to `clash`; a repeat
 * within one set or within the entry's own list is already reported by the rule-name checks.
 */
function firstOfEachName(rules: readonly ExpandedRule[], clash: (rule: ExpandedRule, first: ExpandedRule) => void): ExpandedRule[] {
  const out = new Map<string, ExpandedRule>();
  for (const rule of rules) {
    const first = out.get(rule.name);
    if (!first) out.set(rule.name, rule);
    else if (first.via?.set !== rule.via?.set) clash(rule, first);
  }
  return [...out.values()];
}

/** The used sets' rules (minus excluded ones) then the entry's own, one per name; clashes reported. */
function mergedRules(entry: InstanceEntry, uses: readonly SetUse[], excluded: ReadonlyMap<string, unknown>, report: EntryReport) {
  const fromSets = (of: (owner: RuleContainer) => ExpandedRule[]): ExpandedRule[] =>
    uses.flatMap((use) => of(use.set).map((r) => ({ ...r, via: use })).filter((r) => !excluded.has(r.name)));
  const twoSets = (rule: ExpandedRule, first: ExpandedRule): void => {
    const message = `rule "${rule.name}" of ${report.setOf(rule)} is also in ${report.setOf(first)}; a rule can come from one place only`;
    report.error(rule.via?.usePath ?? rule.path, message, definedAt(first));
  };
  const ownClash = (rule: ExpandedRule, first: ExpandedRule): void => {
    if (rule.kind === 'risk') {
      const message = `rule "${rule.name}" is also defined by ${report.setOf(first)}; rename it, or exclude or override the rule of the set`;
      report.error([...rule.path, 'name'], message, definedAt(first));
    } else {
      const message = `system rule "${rule.name}" is also set by ${report.setOf(first)}; change it for this entry under overrides instead`;
      report.error(rule.path, message, definedAt(first), 'key');
    }
  };
  return {
    riskRules: firstOfEachName([...firstOfEachName(fromSets(riskRulesOf), twoSets), ...riskRulesOf(entry)], ownClash),
    systemRules: firstOfEachName([...firstOfEachName(fromSets(systemRulesOf), twoSets), ...systemRulesOf(entry)], ownClash),
  };
}

/** Every `exclude` and `overrides` name must be a rule of the used sets, and not both. */
function checkNamedRules(
  entry: InstanceEntry,
  uses: readonly SetUse[],
  excluded: ReadonlyMap<string, readonly PathSegment[]>,
  report: EntryReport,
): void {
  const offered = new Set(uses.flatMap((u) => [...riskRulesOf(u.set), ...systemRulesOf(u.set)].map((r) => r.name)));
  const inSets = uses.length > 0 ? `the used rule sets (${uses.map((u) => u.set.name).join(', ')})` : 'a used rule set (the entry uses none)';
  for (const [name, path] of excluded) {
    if (!offered.has(name)) report.error(path, `exclude "${name}": no rule of that name in ${inSets}`);
  }
  const overrides = entry.data['overrides'];
  for (const name of isMapping(overrides) ? Object.keys(overrides) : []) {
    const path = [...entry.path, 'overrides', name];
    const dropped = excluded.get(name);
    const also = dropped && report.at(dropped);
    if (also) report.error(path, `overrides "${name}", which is also excluded (at ${formatLocation(also)})`, also, 'key');
    else if (!offered.has(name)) report.error(path, `overrides "${name}": no rule of that name in ${inSets}`, undefined, 'key');
  }
}

/** A set rule with the entry's override applied: each given field replaces the set's value whole. */
function overridden(entry: InstanceEntry, rule: ExpandedRule): ExpandedRule {
  const overrides = entry.data['overrides'];
  const override = rule.via && isMapping(overrides) ? overrides[rule.name] : undefined;
  if (!isMapping(override)) return rule;
  const data = rule.kind === 'risk' ? { ...rule.data, ...override, name: rule.name } : { ...rule.data, ...override };
  return { ...rule, data, overridePath: [...entry.path, 'overrides', rule.name] };
}

/** Expands the rules of `entry` with the rule sets of the tree (by name). */
export function expandRules(entry: InstanceEntry, sets: ReadonlyMap<string, RuleSetEntry>): Expansion {
  const report = new EntryReport(entry.doc);
  const uses = usedSets(entry, sets, report);
  const excluded = excludedNames(entry, report);
  const merged = mergedRules(entry, uses, excluded, report);
  checkNamedRules(entry, uses, excluded, report);
  const apply = (rules: readonly ExpandedRule[]): ExpandedRule[] => rules.map((r) => overridden(entry, r));
  return { riskRules: apply(merged.riskRules), systemRules: apply(merged.systemRules), diagnostics: report.diagnostics, uses };
}
