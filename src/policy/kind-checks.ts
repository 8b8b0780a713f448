import { KINDS } from '../kinds/registry.js';
import type { Json } from '../kinds/kind.js';
import type { CrossDocumentRule } from './cross-rule.js';
import { diagnosticAt } from './diagnostic-at.js';
import type { RuleContainer } from './policy-entries.js';
import { instanceEntries, ruleSetEntries } from './policy-entries.js';

/** Every kind's own checks (Kind.check) of every instance entry and rule set, located at file:line:col. */
export const kindChecks: CrossDocumentRule = (docs) => {
  const places: RuleContainer[] = [...instanceEntries(docs), ...ruleSetEntries(docs)];
  return places.flatMap((place) =>
    KINDS.flatMap((kind) => {
      const values = Object.fromEntries(kind.policyKeys.filter((k) => place.data[k] !== undefined).map((k) => [k, place.data[k] as Json]));
      if (Object.keys(values).length === 0 || kind.check === undefined) return [];
      return kind.check(values).map((f) => diagnosticAt(place.doc, [...place.path, ...f.path], f.message, { severity: f.warning ? 'warning' : 'error' }));
    }),
  );
};
