import type { SourceLocation } from '../domain.js';

/**
 * Guardrails: assertions over the estate, each a CEL expression, declared under `guardrails:`
 * in the policy tree. Plain data; src/guardrails/evaluate.ts compiles and runs them.
 */

/**
 * What a guardrail's expression is evaluated for: each instance, each of its risk or system
 * rules, or each object of a registered kind (the kind's name, e.g. `sql-injection`).
 */
export type GuardrailEach = 'instance' | 'risk_rule' | 'system_rule' | (string & {});

/** The `each` values that are not kind names. */
export const BUILT_IN_EACH: readonly string[] = ['instance', 'risk_rule', 'system_rule'];

/** How much a violation matters. */
export type GuardrailSeverity = 'error' | 'warning';

/** One declared guardrail, after schema defaults. */
export interface Guardrail {
  /** Name, unique across the tree. */
  readonly name: string;
  /** Glob on the instance name (`*` = every instance). */
  readonly match: string;
  /** Only instances of this region; absent = every region. */
  readonly region?: string;
  /** Only instances of this IAM project; absent = every project. */
  readonly projectId?: string;
  /** Evaluated once per instance, or once per risk rule, system rule or object of a kind of each instance. */
  readonly each: GuardrailEach;
  /** The CEL expression; true = the guardrail holds. */
  readonly expression: string;
  /** What a violation says. */
  readonly message: string;
  /** error or warning. */
  readonly severity: GuardrailSeverity;
  /** Where the guardrail entry is declared. */
  readonly source: SourceLocation;
  /** Where its expression is written (syntax and evaluation errors point here). */
  readonly expressionAt: SourceLocation;
}

/** Which state a guardrail was evaluated over. */
export type GuardrailState = 'desired' | 'live';

/** One guardrail that does not hold for one instance (or one rule of it). */
export interface GuardrailViolation {
  /** The guardrail's name. */
  readonly guardrail: string;
  /** Its severity. */
  readonly severity: GuardrailSeverity;
  /** Its message. */
  readonly message: string;
  /** Declared state (as the policy tree resolves it) or live state (as read). */
  readonly state: GuardrailState;
  /** The instance key (`region/project/name`, or `region/project/match:<glob>` for a selector in validate). */
  readonly target: string;
  /** The rule it is about (each: risk_rule / system_rule), or the object's key (each: a kind); absent for an instance. */
  readonly rule?: string;
  /** The kind of that object (each: a kind); absent for an instance or a rule. */
  readonly kind?: string;
  /** Where what breaks it is declared: the rule's declaration, else the instance entry. */
  readonly at: SourceLocation;
  /** Where the guardrail is declared. */
  readonly guardrailAt: SourceLocation;
  /** Why the expression could not be evaluated (counts as a violation); absent when it gave false. */
  readonly error?: string;
}

/** The guardrails of a run and what they found. */
export interface GuardrailReport {
  /** How many guardrails were evaluated. */
  readonly checked: number;
  /** Every violation, sorted by state, target, rule and guardrail. */
  readonly violations: readonly GuardrailViolation[];
}
