import type { BusiType, InstanceRef, RiskRuleSpec, SourceLocation, Switch } from '../domain.js';
import type { DesiredKind } from '../kinds/kind.js';
import type { Guardrail } from '../guardrails/types.js';

/**
 * The desired state: what the policies/ tree asks for, after schema validation,
 * cross-document checks and defaults. Produced by the policy stage, read by the planner.
 */
export interface DesiredState {
  /** Every declared instance, in file order. */
  readonly instances: readonly DesiredInstance[];
  /** Every declared summary task switch, in file order. */
  readonly summaryTasks: readonly DesiredSummaryTask[];
  /**
   * Every instance selector (`match:`), in file order; absent = none. The live read resolves
   * them against the instance lists (src/live/selectors.ts) into more `instances`, each marked
   * with its selector.
   */
  readonly selectors?: readonly DesiredSelector[];
  /** Every guardrail of the tree (`guardrails:`), in file order; absent = none. Checked, never planned. */
  readonly guardrails?: readonly Guardrail[];
}


/** One declared DBSS audit instance and the rules wanted on it. */
export interface DesiredInstance {
  /** Region, e.g. cn-north-4 (selects the endpoint). */
  readonly region: string;
  /** IAM project id (32-64 characters). */
  readonly projectId: string;
  /** Name or id of the instance. */
  readonly ref: InstanceRef;
  /** Delete live CUSTOMIZE rules that are not declared here. */
  readonly prune: boolean;
  /** Wanted ON/OFF of built-in system rules, by rule name, in file order. */
  readonly systemRules: readonly DesiredSystemRule[];
  /** Wanted custom rules; list order is relative priority (first = highest). */
  readonly riskRules: readonly DesiredRiskRule[];
  /** What the entry declares of each other kind (src/kinds/registry.ts), by kind name; absent or missing = not declared. */
  readonly kinds?: Readonly<Record<string, DesiredKind>>;
  /** Where the instance entry is declared (for an instance found by a selector: the selector entry). */
  readonly source: SourceLocation;
  /** The glob of the selector that found this instance in the live instance list; absent for an entry by name or id. */
  readonly selector?: string;
}

/**
 * An instance selector: an entry with `match: "<glob>"` instead of name or id, whose settings
 * apply to every ACTIVE live instance of the project whose name matches (and that no entry by
 * name or id declares).
 */
export interface DesiredSelector {
  /** Region, e.g. cn-north-4. */
  readonly region: string;
  /** IAM project id. */
  readonly projectId: string;
  /** The glob on the instance name: `*` any run, `?` one character, anchored, case-sensitive. */
  readonly pattern: string;
  /** Delete live CUSTOMIZE rules that are not declared, on every matched instance. */
  readonly prune: boolean;
  /** Wanted ON/OFF of built-in system rules, in file order. */
  readonly systemRules: readonly DesiredSystemRule[];
  /** Wanted custom rules, priority order. */
  readonly riskRules: readonly DesiredRiskRule[];
  /** What the entry declares of each other kind, by kind name (see DesiredInstance.kinds). */
  readonly kinds?: Readonly<Record<string, DesiredKind>>;
  /** Where the selector entry is declared. */
  readonly source: SourceLocation;
}

/** Where a rule that comes from a rule set was pulled in, and changed. */
export interface RuleSetOrigin {
  /** Name of the rule set that defines the rule. */
  readonly ruleSet: string;
  /** The `use` entry (of the instance or selector entry) that pulled the set in. */
  readonly appliedAt: SourceLocation;
  /** The `overrides` entry that changed the set rule's fields for this entry, if any. */
  readonly overriddenAt?: SourceLocation;
}

/** A wanted switch state of a built-in system rule. */
export interface DesiredSystemRule {
  /** System rule name, e.g. Database_drag_detection. */
  readonly name: string;
  /** Wanted state. */
  readonly status: Switch;
  /** Where it is declared: in the instance entry, or in its rule set. */
  readonly source: SourceLocation;
  /** The rule set it comes from; absent for the entry's own system_rules. */
  readonly origin?: RuleSetOrigin;
}

/** A wanted custom rule with defaults filled in (and rule set overrides applied). */
export interface DesiredRiskRule extends RiskRuleSpec {
  /** Where it is declared: in the instance entry's risk_rules, or in its rule set. */
  readonly source: SourceLocation;
  /** The rule set it comes from; absent for the entry's own risk_rules. */
  readonly origin?: RuleSetOrigin;
}

/** A wanted summary task switch of one project. */
export interface DesiredSummaryTask {
  /** Region of the project. */
  readonly region: string;
  /** IAM project id. */
  readonly projectId: string;
  /** risk or audit. */
  readonly busiType: BusiType;
  /** Wanted switch: true = on. */
  readonly enabled: boolean;
  /** Where it is declared. */
  readonly source: SourceLocation;
}
