import type { Guardrail, GuardrailEach, GuardrailSeverity } from '../guardrails/types.js';
import { BUILT_IN_EACH } from '../guardrails/types.js';
import { KINDS } from '../kinds/registry.js';
import { expressionProblem } from '../guardrails/sample-check.js';
import type { Diagnostic } from './diagnostics.js';
import { jsonPath } from './policy-document.js';
import type { PolicyDocument } from './policy-document.js';
import { isMapping } from './policy-entries.js';

/** A guardrail entry as it stands after schema validation (defaults filled in). */
interface GuardrailV1 {
  readonly name: string;
  readonly match: string;
  readonly region?: string;
  readonly project_id?: string;
  readonly each: GuardrailEach;
  readonly expression: string;
  readonly message: string;
  readonly severity: GuardrailSeverity;
}

/** The guardrails of the schema-valid documents and their problems. */
export interface GuardrailEntries {
  /** Every guardrail, in file order (a repeated name or an unusable expression is left out). */
  readonly guardrails: readonly Guardrail[];
  /** Repeated names, and expressions that do not parse or fail on the sample instance, each at its line. */
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * Reads `guardrails:` of schema-valid documents into domain form, checking that names are unique
 * across the tree and that every expression parses and evaluates to a bool on a sample instance
 * (src/guardrails/sample-check.ts).
 */
export function guardrailEntries(docs: readonly PolicyDocument[]): GuardrailEntries {
  const guardrails: Guardrail[] = [];
  const diagnostics: Diagnostic[] = [];
  const seen = new Map<string, Guardrail['source']>();
  for (const doc of docs) {
    const list = doc.data['guardrails'];
    if (!Array.isArray(list)) continue;
    for (const [i, data] of list.entries()) {
      if (!isMapping(data)) continue;
      const g = data as unknown as GuardrailV1;
      const path = ['guardrails', i];
      const source = doc.locate(path);
      const expressionAt = doc.locate([...path, 'expression']);
      const first = seen.get(g.name);
      if (first) {
        const at = doc.locate([...path, 'name']);
        const message = `duplicate guardrail name "${g.name}" (first declared at ${first.file}:${first.line}:${first.col})`;
        diagnostics.push({ ...at, path: jsonPath([...path, 'name']), message, severity: 'error', related: first });
        continue;
      }
      seen.set(g.name, source);
      if (!BUILT_IN_EACH.includes(g.each) && !KINDS.some((k) => k.name === g.each)) {
        const known = [...BUILT_IN_EACH, ...KINDS.map((k) => k.name)].join(', ');
        const at = doc.locate([...path, 'each']);
        diagnostics.push({ ...at, path: jsonPath([...path, 'each']), message: `each must be ${known} (the name of a kind); got "${g.each}"`, severity: 'error' });
        continue;
      }
      const problem = expressionProblem(g);
      if (problem !== undefined) {
        const message = `guardrail "${g.name}": ${problem}`;
        diagnostics.push({ ...expressionAt, path: jsonPath([...path, 'expression']), message, severity: 'error' });
        continue;
      }
      guardrails.push({
        name: g.name,
        match: g.match,
        ...(g.region !== undefined ? { region: g.region } : {}),
        ...(g.project_id !== undefined ? { projectId: g.project_id } : {}),
        each: g.each,
        expression: g.expression,
        message: g.message,
        severity: g.severity,
        source,
        expressionAt,
      });
    }
  }
  return { guardrails, diagnostics };
}
