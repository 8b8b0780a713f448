import type { SourceLocation } from '../domain.js';
import { ACTIONS, SYSTEM_RULE_NAMES } from '../domain.js';
import { diagnosticAt, firstSeen } from './diagnostic-at.js';
import type { Diagnostic } from './diagnostics.js';
import { formatLocation } from './diagnostics.js';
import { parseIpEntry } from './ip.js';
import { nearest } from './schema-messages.js';
import type { PathSegment, PolicyDocument } from './policy-document.js';
import type { RuleContainer, RuleEntry } from './policy-entries.js';
import { instanceEntries, isMapping, overrideEntries, projectKey, ruleEntries, ruleSetEntries, text } from './policy-entries.js';
import { RULE_SET_RULES } from './rule-set-rules.js';
import { checkNames } from './name-rules.js';
import { tidyIpEntry } from './ip-entry-text.js';
import type { CrossDocumentRule } from './cross-rule.js';
import { kindChecks } from './kind-checks.js';


function at(
  doc: PolicyDocument,
  path: readonly PathSegment[],
  message: string,
  severity: Diagnostic['severity'] = 'error',
  part: 'value' | 'key' = 'value',
  related?: SourceLocation,
): Diagnostic {
  return diagnosticAt(doc, path, message, { severity, part, ...(related ? { related } : {}) });
}

const duplicateInstances: CrossDocumentRule = (docs) => {
  const seen = firstSeen<string>();
  return instanceEntries(docs).flatMap((i) => {
    if (i.key === undefined) return [];
    const first = seen(i.key, i.doc.locate(i.refPath));
    if (!first) return [];
    const what = i.match !== undefined ? `selector "${i.match}" of ${projectKey(i.doc)}` : `instance ${i.key}`;
    return [at(i.doc, i.refPath, `${what} declared twice (also declared at ${formatLocation(first)})`, 'error', 'value', first)];
  });
};

const duplicateSummaryTasks: CrossDocumentRule = (docs) => {
  const seen = firstSeen<string>();
  return docs.flatMap((doc) => {
    const key = projectKey(doc);
    if (key === undefined || doc.data['summary_tasks'] === undefined) return [];
    const first = seen(key, doc.locate(['summary_tasks'], 'key'));
    if (!first) return [];
    const message = `summary_tasks of ${key} declared twice (also declared at ${formatLocation(first)})`;
    return [at(doc, ['summary_tasks'], message, 'error', 'key', first)];
  });
};

/** An IAM project belongs to one region: the same id under two regions is most likely a typo. */
const projectInTwoRegions: CrossDocumentRule = (docs) => {
  const regions = new Map<string, { region: string; where: SourceLocation }>();
  return docs.flatMap((doc) => {
    const project = text(doc.data['project_id']);
    const region = text(doc.data['region']);
    if (project === undefined || region === undefined) return [];
    const first = regions.get(project);
    if (!first) regions.set(project, { region, where: doc.locate(['region']) });
    if (!first || first.region === region) return [];
    const message =
      `project ${project} is also used with region ${first.region} (at ${formatLocation(first.where)}); ` +
      'an IAM project belongs to one region';
    return [at(doc, ['region'], message, 'warning', 'value', first.where)];
  });
};

const SYSTEM_NAMES = new Set<string>(SYSTEM_RULE_NAMES);

/** Instance entries, selectors and rule sets: everything that lists risk rules. */
const ruleContainers = (docs: readonly PolicyDocument[]): RuleContainer[] => [...instanceEntries(docs), ...ruleSetEntries(docs)];

const ruleNames: CrossDocumentRule = (docs) =>
  ruleContainers(docs).flatMap((owner) => {
    const exact = firstSeen<string>();
    const folded = firstSeen<string>();
    const where = owner.path[0] === 'rule_sets' ? 'rule set' : 'instance';
    return ruleEntries(owner).flatMap((rule) => {
      const name = text(rule.data['name']);
      if (name === undefined) return [];
      const path = [...rule.path, 'name'];
      const here = owner.doc.locate(path);
      const same = exact(name, here);
      if (same) {
        const message = `rule name "${name}" declared twice in this ${where} (also declared at ${formatLocation(same)})`;
        return [at(owner.doc, path, message, 'error', 'value', same)];
      }
      const found: Diagnostic[] = [];
      const similar = folded(name.toLowerCase(), here);
      if (similar) {
        const message = `rule name "${name}" differs only in case from the rule at ${formatLocation(similar)}; DBSS may treat them as one (unconfirmed)`;
        found.push(at(owner.doc, path, message, 'warning', 'value', similar));
      }
      if (SYSTEM_NAMES.has(name)) {
        const message = `"${name}" is a built-in system rule name; set its switch under system_rules instead`;
        found.push(at(owner.doc, path, message, 'warning'));
      }
      return found;
    });
  });

/**
 * System rule names outside the four the user guide describes are accepted (the live list is
 * the authority, checked when planning), with a warning and a "did you mean" for a likely typo.
 */
const unknownSystemRules: CrossDocumentRule = (docs) =>
  ruleContainers(docs).flatMap((owner) => {
    const rules = owner.data['system_rules'];
    if (!isMapping(rules)) return [];
    return Object.keys(rules)
      .filter((name) => !SYSTEM_NAMES.has(name))
      .map((name) => {
        const near = nearest(name, SYSTEM_RULE_NAMES);
        const hint = near ? `did you mean "${near}"? ` : '';
        const message = `system rule "${name}" is not one of the built-in names this tool knows (${hint}known: ${SYSTEM_RULE_NAMES.join(', ')}); it is checked against the instance's live system rules when planning`;
        return at(owner.doc, [...owner.path, 'system_rules', name], message, 'warning', 'key');
      });
  });

/** A comparable form of a list entry, or undefined for entries the schema rejects. */
type Canonical = (entry: unknown) => string | undefined;
const plainString: Canonical = (e) => (typeof e === 'string' ? e : undefined);
const schemaTarget: Canonical = (e) =>
  isMapping(e) ? JSON.stringify([e['schema'] ?? null, e['table'] ?? null, e['column'] ?? null]) : undefined;
/** IP lists are compared by meaning, and each entry is parsed once for both checks. */
const IPS = 'ips';

const LISTS: readonly (readonly [string, Canonical | typeof IPS])[] = [
  ['actions', plainString],
  ['db_ids', plainString],
  ['client_ips', IPS],
  ['exception_ips', IPS],
  ['schemas', schemaTarget],
];

/**
 * Malformed IP entries, CIDRs with host bits set (a warning) and duplicate list entries of one
 * rule, in one pass over its lists.
 * Locations are looked up only for what is reported (a large tree has none to report).
 */
function listProblemsOf(rule: RuleEntry): Diagnostic[] {
  const doc = rule.owner.doc;
  const found: Diagnostic[] = [];
  for (const [field, canonical] of LISTS) {
    const list = rule.data[field];
    if (!Array.isArray(list)) continue;
    const firstIndex = new Map<string, number>();
    list.forEach((entry: unknown, i) => {
      let key: string | undefined;
      if (canonical !== IPS) key = canonical(entry);
      else if (typeof entry === 'string') {
        // Blanks around a range's dash are tidied as they are before sending ("10.0.0.3 - 10.0.0.4").
        const tidy = tidyIpEntry(entry);
        const parsed = parseIpEntry(tidy);
        // Entries that are empty or hold commas already fail the schema.
        if (!parsed.ok && /^[^,]+$/.test(entry)) found.push(at(doc, [...rule.path, field, i], parsed.reason));
        if (parsed.ok && parsed.hostBitsSet) {
          // The API's reading of host bits is undocumented; the planner compares the network meant.
          const message = `${tidy} is ${parsed.canonical}: the CIDR has host bits set; write ${parsed.canonical}`;
          found.push(at(doc, [...rule.path, field, i], message, 'warning'));
        }
        key = parsed.ok ? parsed.canonical : tidy;
      }
      if (key === undefined) return;
      const first = firstIndex.get(key);
      if (first === undefined) {
        firstIndex.set(key, i);
        return;
      }
      const firstAt = doc.locate([...rule.path, field, first]);
      const what = typeof entry === 'string' ? `"${entry}"` : 'entry';
      found.push(at(doc, [...rule.path, field, i], `duplicate ${field} ${what} (same as the entry at ${formatLocation(firstAt)})`, 'error', 'value', firstAt));
    });
  }
  return found;
}

const DOCUMENTED_ACTIONS = new Set<string>(ACTIONS);

/**
 * Operation tokens outside the documented list (REVOKE, ROLLBACK, whatever a region reads
 * back): kept and sent as written, with a warning, since whether DBSS accepts them is
 * unconfirmed. Case and spacing are ignored (the planner compares tokens upper-cased).
 */
function undocumentedActionsOf(rule: RuleEntry): Diagnostic[] {
  const list = rule.data['actions'];
  if (!Array.isArray(list)) return [];
  return list.flatMap((entry: unknown, i) => {
    if (typeof entry !== 'string' || !/^[^,]+$/.test(entry)) return [];
    if (DOCUMENTED_ACTIONS.has(entry.trim().toUpperCase().replace(/\s+/g, ' '))) return [];
    const message = `action "${entry}" is not in the documented list (${ACTIONS.join(', ')}); it is kept and sent as written, but whether DBSS accepts it is unconfirmed`;
    return [at(rule.owner.doc, [...rule.path, 'actions', i], message, 'warning')];
  });
}

/** IPs and list entries of every risk rule, in instances and rule sets, and of every override. */
const ruleContents: CrossDocumentRule = (docs) =>
  [...ruleContainers(docs).flatMap(ruleEntries), ...instanceEntries(docs).flatMap(overrideEntries)].flatMap((rule) => [
    ...listProblemsOf(rule),
    ...undocumentedActionsOf(rule),
  ]);

const emptyDocuments: CrossDocumentRule = (docs) =>
  docs
    .filter((doc) => ['instances', 'summary_tasks', 'rule_sets', 'guardrails'].every((key) => doc.data[key] === undefined))
    .map((doc) => at(doc, [], 'the document declares no instances, summary_tasks, rule_sets or guardrails', 'warning'));

/** The cross-document rules, run in this order after the schema. */
export const CROSS_DOCUMENT_RULES: readonly CrossDocumentRule[] = [
  duplicateInstances,
  duplicateSummaryTasks,
  projectInTwoRegions,
  ruleNames,
  unknownSystemRules,
  checkNames,
  ruleContents,
  ...RULE_SET_RULES,
  kindChecks,
  emptyDocuments,
];

/** Runs every cross-document rule over all documents. */
export function checkCrossDocumentRules(docs: readonly PolicyDocument[]): Diagnostic[] {
  return CROSS_DOCUMENT_RULES.flatMap((rule) => rule(docs));
}
