import type { CrossDocumentRule } from './cross-rule.js';
import { diagnosticAt, firstSeen } from './diagnostic-at.js';
import { formatLocation } from './diagnostics.js';
import { expandRules } from './expand-rules.js';
import { instanceEntries, ruleSetEntries, ruleSetIndex, textItems } from './policy-entries.js';

/**
 * The cross-document rules of rule sets: names unique across the tree, and every instance
 * entry's `use` / `exclude` / `overrides` consistent with the sets it uses (see expand-rules.ts).
 */

const duplicateRuleSets: CrossDocumentRule = (docs) => {
  const seen = firstSeen<string>();
  return ruleSetEntries(docs).flatMap((set) => {
    const first = seen(set.name, set.doc.locate(set.path, 'key'));
    if (!first) return [];
    const message =
      `rule set "${set.name}" declared twice (also declared at ${formatLocation(first)}); ` + 'set names are unique across the policies tree';
    return [diagnosticAt(set.doc, set.path, message, { part: 'key', related: first })];
  });
};

const ruleSetUse: CrossDocumentRule = (docs) => {
  const sets = ruleSetIndex(docs);
  return instanceEntries(docs).flatMap((entry) => [...expandRules(entry, sets).diagnostics]);
};

const unusedRuleSets: CrossDocumentRule = (docs) => {
  const used = new Set(instanceEntries(docs).flatMap((entry) => textItems(entry.data['use']).map((u) => u.value)));
  return [...ruleSetIndex(docs).values()]
    .filter((set) => !used.has(set.name))
    .map((set) => diagnosticAt(set.doc, set.path, `rule set "${set.name}" is not used by any instance entry`, { part: 'key', severity: 'warning' }));
};

/** Run after the other cross-document rules, in this order. */
export const RULE_SET_RULES: readonly CrossDocumentRule[] = [duplicateRuleSets, ruleSetUse, unusedRuleSets];
