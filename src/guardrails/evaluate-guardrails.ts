import { globMatches } from '../policy/glob.js';
import type { CelData } from './cel-values.js';
import { compileExpression, evaluate } from './compile.js';
import type { GuardrailSubject, SubjectRule } from './subjects.js';
import type { Guardrail, GuardrailReport, GuardrailState, GuardrailViolation } from './types.js';
import { BUILT_IN_EACH } from './types.js';

/**
 * Evaluates guardrails over subjects (pure): each guardrail on every subject its match, region
 * and project_id select, once per instance or once per rule of it. An expression that gives
 * false, or cannot be evaluated on that subject, is a violation. Expressions with a syntax error
 * are skipped here (validation reports them).
 */

/** True when the guardrail applies to the subject. */
export function appliesTo(g: Guardrail, s: Pick<GuardrailSubject, 'name' | 'region' | 'projectId'>): boolean {
  return (
    (g.region === undefined || g.region === s.region) &&
    (g.projectId === undefined || g.projectId === s.projectId) &&
    globMatches(g.match, s.name)
  );
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Violations sorted by state (desired first), target, rule, guardrail. */
export function sortViolations(violations: readonly GuardrailViolation[]): GuardrailViolation[] {
  const order = (v: GuardrailViolation) => (v.state === 'desired' ? 0 : 1);
  return [...violations].sort(
    (a, b) => order(a) - order(b) || cmp(a.target, b.target) || cmp(a.rule ?? '', b.rule ?? '') || cmp(a.guardrail, b.guardrail),
  );
}

/** True when the expression names the variable (a mention in a string literal only binds it needlessly). */
const names = (expression: string, variable: string): boolean => new RegExp(`\\b${variable}\\b`).test(expression);

/** Every violation of the guardrails over the subjects of one state. */
export function evaluateGuardrails(
  guardrails: readonly Guardrail[],
  subjects: readonly GuardrailSubject[],
  state: GuardrailState,
): GuardrailViolation[] {
  const violations: GuardrailViolation[] = [];
  for (const g of guardrails) {
    const program = compileExpression(g.expression);
    if (typeof program === 'string') continue;
    // Only the variables the expression names are bound: the evaluator copies a bound map's
    // entries on each access, so binding an unused 100-rule instance per rule costs more than the rule.
    const withInstance = names(g.expression, 'instance');
    for (const s of subjects) {
      if (!appliesTo(g, s)) continue;
      const kind = BUILT_IN_EACH.includes(g.each) ? undefined : g.each;
      const check = (rule?: SubjectRule): void => {
        const vars: Record<string, CelData> = { state };
        if (withInstance) vars['instance'] = s.instance;
        if (rule) vars[kind ? 'object' : 'rule'] = rule.vars;
        const outcome = evaluate(program, vars);
        if ('holds' in outcome && outcome.holds) return;
        violations.push({
          guardrail: g.name,
          severity: g.severity,
          message: g.message,
          state,
          target: s.target,
          ...(rule ? { rule: rule.name } : {}),
          ...(rule && kind ? { kind } : {}),
          at: rule?.at ?? s.at,
          guardrailAt: g.source,
          ...('error' in outcome ? { error: outcome.error } : {}),
        });
      };
      if (g.each === 'instance') check();
      else for (const r of g.each === 'risk_rule' ? s.riskRules : g.each === 'system_rule' ? s.systemRules : (s.objects?.[g.each] ?? [])) check(r);
    }
  }
  return sortViolations(violations);
}

/** The report of guardrails over the subjects of one or more states. */
export function guardrailReport(guardrails: readonly Guardrail[], states: readonly (readonly [GuardrailState, readonly GuardrailSubject[]])[]): GuardrailReport {
  const violations = states.flatMap(([state, subjects]) => evaluateGuardrails(guardrails, subjects, state));
  return { checked: guardrails.length, violations: sortViolations(violations) };
}
