import type { BusiType, ReadableRuleSpec, RiskRuleSpec, RuleProvenance, SourceLocation, Switch } from '../domain.js';
import type { Json, KindFieldChange, KindOp } from '../kinds/kind.js';
import type { GuardrailReport } from '../guardrails/types.js';

/**
 * A plan: plain, serialisable data computed by computePlan (pure) and executed by applyPlan.
 * Changes are sorted one deterministic way (by target key, then by kind in apply order, then by
 * rule name), so the same inputs always give the same plan and the same JSON.
 * Fields under `review` only explain (for people); apply never reads them.
 */
export interface Plan {
  /** Plan JSON format version (schemas/plan.schema.json). */
  readonly formatVersion: 1;
  /** dbss-policy version that computed the plan. */
  readonly toolVersion: string;
  /** sha256 of the canonical live state the plan was computed from (stale-plan check). */
  readonly liveFingerprint: string;
  /** sha256 of the canonical desired state. */
  readonly desiredHash: string;
  /** Every declared instance and summary-task project that was planned, in key order. */
  readonly targets: readonly PlanTarget[];
  /** The changes, in deterministic order. */
  readonly changes: readonly Change[];
  /** Things worth knowing that are not changes (e.g. write-only fields not verifiable). */
  readonly notes: readonly PlanNote[];
  /** Targets that could not be read or planned (unknown instance, not ACTIVE, ...). */
  readonly errors: readonly PlanProblem[];
  /** Safety refusals (too many deletes/updates); apply refuses the plan unless forced. */
  readonly refusals: readonly PlanProblem[];
  /** Every instance selector (`match:`) and the live instances it matched, in key order (display only). */
  readonly selectors: readonly PlanSelector[];
  /**
   * The `--target INSTANCE/RULE` globs the plan is restricted to (changes of matching rules only:
   * no reorders, no summary tasks); absent = every declared rule. Applying a saved plan plans
   * again with the same ones.
   */
  readonly ruleTargets?: readonly string[];
  /** What the plan deliberately did not read, or read from the cache; absent for a full fresh read (display only). */
  readonly coverage?: PlanCoverage;
  /**
   * The guardrails evaluated over the declared state as planned and the live state as read
   * (display only; `--fail-on-guardrail` refuses a plan with an error violation); absent when
   * the policy tree declares none.
   */
  readonly guardrails?: GuardrailReport;
}

/**
 * What a plan left unread or took from the live-state cache, so that every format can say it
 * plainly. Display only: apply never reads it.
 */
export interface PlanCoverage {
  /** `--changed-since REF`: only the targets whose desired state changed since REF were read and planned. */
  readonly changedSince?: {
    /** The git ref as given. */
    readonly ref: string;
    /** The commit it resolved to. */
    readonly commit: string;
    /** Targets planned because their desired state differs from REF's. */
    readonly changedTargets: number;
    /** Targets (instances, selectors whose project was not read, summary-task projects) left unread because nothing changed for them. */
    readonly unchangedTargets: number;
    /** Declared custom rules of the planned instances that were not shown because their declared spec and place did not change. */
    readonly unreadRules: number;
    /** Why everything was planned anyway (e.g. the tree at REF does not validate); absent when scoped. */
    readonly fallback?: string;
  };
  /** `--cache FILE`: how many rule details came from the cache instead of a show. */
  readonly cache?: {
    /** Rule details taken from the cache. */
    readonly rulesFromCache: number;
    /** Rule details shown fresh in this run. */
    readonly rulesShown: number;
    /** Age of the oldest cached detail used, in seconds; absent when none was used. */
    readonly oldestAgeSeconds?: number;
    /** --max-age in seconds. */
    readonly maxAgeSeconds: number;
  };
}

/** An instance selector and what it matched in the live instance list when the plan was computed. */
export interface PlanSelector {
  /** Selector key, `region/project/match:<glob>`. */
  readonly key: string;
  /** The glob on the instance name. */
  readonly selector: string;
  /** Region of the project. */
  readonly region: string;
  /** IAM project id. */
  readonly projectId: string;
  /** Where the selector entry is declared. */
  readonly source: SourceLocation;
  /** Names of the instances it applies to (ACTIVE, declared by no name or id entry), in name order. */
  readonly matched: readonly string[];
  /** Instances whose name matches but that it does not apply to, and why. */
  readonly skipped: readonly { /** Instance name. */ readonly name: string; /** Why it is left out. */ readonly reason: string }[];
  /** Why the project's instance list could not be read, so nothing was searched; absent when it was searched. */
  readonly unresolved?: string;
}

export type { RuleProvenance } from '../domain.js';

/** An instance (or a project, for summary tasks) the plan is about. */
export interface PlanTarget {
  /** Display key: `region/project/name` (instances) or `region/project` (summary tasks). */
  readonly key: string;
  /** Region (endpoint). */
  readonly region: string;
  /** IAM project id. */
  readonly projectId: string;
  /** Instance id; absent for a project target. */
  readonly instanceId?: string;
  /** Instance name; absent for a project target. */
  readonly instanceName?: string;
  /** The glob of the selector that matched the instance; absent when declared by name or id. */
  readonly selector?: string;
}

/** Display-only review information of a change. */
export interface Review {
  /** The change weakens auditing (rule OFF or deleted, lower risk, wider IPs, looser threshold, fewer actions). */
  readonly weakening: boolean;
  /** Human reasons, e.g. "risk_level HIGH → LOW". */
  readonly reasons: readonly string[];
}

/** Fields common to every change. */
interface ChangeBase {
  /** Stable id of the change within the plan, e.g. `cn-north-4/…/prod-audit#update:drop-table`. */
  readonly id: string;
  /** Key of the PlanTarget it applies to. */
  readonly target: string;
  /** Review information (display only). */
  readonly review: Review;
}

/** Create a custom rule. The API returns no id; apply finds it by listing. */
export interface CreateRuleChange extends ChangeBase {
  /** Kind discriminator. */
  readonly kind: 'create';
  /** Rule name. */
  readonly rule: string;
  /** Full content to send. */
  readonly after: RiskRuleSpec;
  /** Where the desired rule is declared, and through which rule set (display only). */
  readonly source?: RuleProvenance;
}

/** One field that differs between live and desired. */
export interface FieldChange {
  /** Domain field name (key of RiskRuleSpec). */
  readonly field: keyof RiskRuleSpec;
  /** Live value (undefined for write-only fields, which cannot be read). */
  readonly before?: unknown;
  /** Desired value. */
  readonly after: unknown;
  /** The field cannot be read back (exception_ips): shown as "write-only (not verifiable)". */
  readonly writeOnly?: boolean;
}

/** Replace a custom rule's content (full replacement on the wire). */
export interface UpdateRuleChange extends ChangeBase {
  /** Kind discriminator. */
  readonly kind: 'update';
  /** Rule name. */
  readonly rule: string;
  /** Live rule id. */
  readonly ruleId: string;
  /** Live readable content. */
  readonly before: ReadableRuleSpec;
  /** Full content to send. */
  readonly after: RiskRuleSpec;
  /** Only the fields that differ (plus write-only fields being re-sent). */
  readonly fields: readonly FieldChange[];
  /** Where the desired rule is declared, and through which rule set (display only). */
  readonly source?: RuleProvenance;
}

/** Delete a custom rule (only with prune: true). */
export interface DeleteRuleChange extends ChangeBase {
  /** Kind discriminator. */
  readonly kind: 'delete';
  /** Rule name. */
  readonly rule: string;
  /** Live rule id. */
  readonly ruleId: string;
}

/** One rule of a switch batch. */
export interface SwitchedRule {
  /** Live rule id. */
  readonly id: string;
  /** Rule name. */
  readonly name: string;
  /** A built-in system rule (else a custom one). */
  readonly system: boolean;
  /** Where the desired switch is declared, and through which rule set (display only). */
  readonly source?: RuleProvenance;
}

/** Switch several rules (system or custom) ON or OFF in one batched call. */
export interface SwitchRulesChange extends ChangeBase {
  /** Kind discriminator. */
  readonly kind: 'switch';
  /** New status for every listed rule. */
  readonly status: Switch;
  /** The rules switched, in name order. */
  readonly rules: readonly SwitchedRule[];
}

/** Bring the declared custom rules into their declared relative order with the fewest rank calls. */
export interface ReorderRulesChange extends ChangeBase {
  /** Kind discriminator. */
  readonly kind: 'reorder';
  /** Declared custom rule names, highest priority first. */
  readonly order: readonly string[];
  /**
   * Names of the rules predicted to move (the rest keep their place), assuming creates append
   * in declaration order. Empty when the reorder only re-checks the place of created rules:
   * apply always recomputes the moves from a fresh listing (rankMoves).
   */
  readonly moves: readonly string[];
  /**
   * The exact setRank calls, in order, when the instance has no creates: the ranks read at plan
   * time still hold when apply reaches the reorder (updates and switches do not move rules, and
   * a saved plan is refused when the live state changed). Computed under the dense-insert
   * reading from the shown ranks (rank-moves.ts), and only when the shown numbering is
   * gap-free; apply checks the first call by listing. Absent: apply lists the instance (after
   * its creates) and computes the calls from what the API reports.
   */
  readonly rankCalls?: readonly { readonly id: string; readonly newRank: number }[];
}

/** Switch a project's summary task on or off. */
export interface SetTaskChange extends ChangeBase {
  /** Kind discriminator. */
  readonly kind: 'set-task';
  /** risk or audit. */
  readonly busiType: BusiType;
  /** Live switch (true = on); `unknown` when the read gave no task_switch or one it could not read. */
  readonly before: boolean | 'unknown';
  /** Wanted switch. */
  readonly after: boolean;
  /** Where the desired task is declared. */
  readonly source?: SourceLocation;
}

/**
 * A change of another kind of object (src/kinds: audit scopes, SQL-injection rules, ...): what
 * the kind planned, with the kind's name. Apply hands it back to the kind's write and confirms
 * it with the kind's read.
 */
export interface ObjectChange extends ChangeBase {
  /** Kind discriminator. */
  readonly kind: 'object';
  /** The kind's name (src/kinds/registry.ts), e.g. `audit-scope`. */
  readonly objectKind: string;
  /** What the change does: set, update, switch, create, order or delete (apply runs them in that order). */
  readonly op: KindOp;
  /** What it is about: an object key, a setting name, ON/OFF for a switch batch, or `order`. */
  readonly subject: string;
  /** Live ids the write addresses. */
  readonly ids?: readonly string[];
  /** The kind's payload for its write. */
  readonly payload: Json;
  /** The fields that differ, or the objects switched. */
  readonly fields?: readonly KindFieldChange[];
  /** Where what the change serves is declared. */
  readonly source?: RuleProvenance;
}

/** One planned change. */
export type Change =
  | CreateRuleChange
  | UpdateRuleChange
  | DeleteRuleChange
  | SwitchRulesChange
  | ReorderRulesChange
  | SetTaskChange
  | ObjectChange;

/** The kinds, in the order apply runs them within one instance (other kinds' changes after the risk rules'). */
export const CHANGE_KIND_ORDER: readonly Change['kind'][] = ['update', 'switch', 'create', 'reorder', 'delete', 'object', 'set-task'];

/** A non-change remark attached to a target (and optionally a rule). */
export interface PlanNote {
  /** Target key. */
  readonly target: string;
  /** Rule name, when about one rule. */
  readonly rule?: string;
  /** The remark. */
  readonly message: string;
}

/** A problem that stops (part of) the plan. */
export interface PlanProblem {
  /** Target key. */
  readonly target: string;
  /** What is wrong, with the numbers. */
  readonly message: string;
}
