import type { CelData } from './cel-values.js';
import { compileExpression, evaluate } from './compile.js';
import { sampleKindVariables } from './kind-variables.js';
import type { Guardrail } from './types.js';
import { BUILT_IN_EACH } from './types.js';

/**
 * The check of an expression before any state is evaluated: it must parse, and give a bool on a
 * sample instance that has every variable (one risk rule and one system rule with every field,
 * both summary tasks, every registered kind empty). An error there is a misspelt variable or
 * field, an operator on the wrong types or an unknown function: a validation error at the
 * expression's line. (@bufbuild/cel exports no type checker; the sample run finds the same
 * mistakes on the paths the sample takes.)
 */

const SAMPLE_RULE: CelData = {
  name: 'sample',
  risk_level: 'HIGH',
  status: 'ON',
  actions: ['DROP_TABLE'],
  affect_rows: { symbol: 'GREATER', value: 0n },
  execution_time: { symbol: 'GREATER', value: 0n },
  db_ids: [],
  client_ips: ['10.0.0.0/8'],
  exception_ips: [],
  schemas: [{ schema: 'db', table: 't', column: 'c' }],
  ignore_case: false,
  rule_set: '',
};

const SAMPLE_SYSTEM_RULE: CelData = { name: 'Database_drag_detection', status: 'ON', rule_set: '' };

function sampleInstance(): CelData {
  return {
    name: 'sample',
    id: '',
    key: 'cn-north-4/project/sample',
    region: 'cn-north-4',
    project_id: 'project',
    selector: '',
    prune: false,
    risk_rules: [SAMPLE_RULE],
    system_rules: [SAMPLE_SYSTEM_RULE],
    summary_tasks: { risk: true, audit: true },
    kinds: sampleKindVariables(),
  };
}

/** Why the guardrail's expression is unusable; undefined when it parses and gives a bool on the sample. */
export function expressionProblem(g: Pick<Guardrail, 'expression' | 'each'>): string | undefined {
  const program = compileExpression(g.expression);
  if (typeof program === 'string') return program;
  // A kind's objects have the kind's own fields, which no sample can know: parsing is the check.
  if (!BUILT_IN_EACH.includes(g.each)) return undefined;
  const rule: Record<string, CelData> = g.each === 'risk_rule' ? { rule: SAMPLE_RULE } : g.each === 'system_rule' ? { rule: SAMPLE_SYSTEM_RULE } : {};
  const outcome = evaluate(program, { instance: sampleInstance(), state: 'desired', ...rule });
  return 'error' in outcome ? `CEL error on a sample instance: ${outcome.error}` : undefined;
}
