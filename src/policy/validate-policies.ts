import { buildDesiredState } from './build-desired.js';
import { checkCrossDocumentRules } from './cross-rules.js';
import { guardrailEntries } from './guardrail-entries.js';
import type { Diagnostic } from './diagnostics.js';
import { sortDiagnostics } from './diagnostics.js';
import type { PolicyDocument } from './policy-document.js';
import { POLICY_VERSION, validateAgainstSchema } from './schema-validation.js';
import type { DesiredState } from './types.js';

/** What validation of parsed documents yields. */
export interface ValidatedPolicies {
  /** The desired state of the schema-valid documents (complete only when there is no error). */
  readonly desired: DesiredState;
  /** Schema and cross-document problems, sorted by file, line and column. */
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * The pure validation stage: the JSON Schema per document (which also fills in defaults), then
 * the cross-document rules over all documents, then the guardrails' expressions, then the
 * desired state. Never throws on bad input.
 */
export function validatePolicies(documents: readonly PolicyDocument[]): ValidatedPolicies {
  const diagnostics: Diagnostic[] = [];
  const schemaValid: PolicyDocument[] = [];
  for (const doc of documents) {
    const problems = validateAgainstSchema(doc);
    diagnostics.push(...problems);
    if (problems.length === 0) schemaValid.push(doc);
  }
  // A document of another format version is only reported as such (its shape is unknown).
  const known = documents.filter((d) => d.data['version'] === undefined || d.data['version'] === POLICY_VERSION);
  diagnostics.push(...checkCrossDocumentRules(known));
  const checked = guardrailEntries(schemaValid);
  diagnostics.push(...checked.diagnostics);
  const built = buildDesiredState(schemaValid);
  const desired = checked.guardrails.length > 0 ? { ...built, guardrails: checked.guardrails } : built;
  return { desired, diagnostics: sortDiagnostics(diagnostics) };
}
