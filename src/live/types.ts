import type { BusiType, ReadableRuleSpec, RiskLevel } from '../domain.js';
import type { RuleSummary } from '../api/types.js';
import type { LiveKind } from '../kinds/kind.js';

/**
 * The live state read through the API for the declared instances and summary tasks.
 * Produced by src/live, read (never mutated) by the planner.
 */
export interface LiveState {
  /** Instances that were found and read, keyed by the desired instance key (see instanceKey). */
  readonly instances: readonly LiveInstance[];
  /** Summary tasks that were read. */
  readonly summaryTasks: readonly LiveSummaryTask[];
  /** Per-instance or per-project read failures; the other instances are still planned. */
  readonly errors: readonly LiveReadError[];
  /** What each declared instance selector matched in its project's instance list; absent = no selectors. */
  readonly selectors?: readonly LiveSelectorMatch[];
}

/** A live instance named by id and name. */
export interface LiveInstanceRef {
  /** Instance name. */
  readonly name: string;
  /** Instance id. */
  readonly id: string;
}

/** What one instance selector (`match:`) matched in its project's instance list. */
export interface LiveSelectorMatch {
  /** Selector key, `region/project/match:<glob>` (selectorKey). */
  readonly key: string;
  /** Region of the project. */
  readonly region: string;
  /** IAM project id. */
  readonly projectId: string;
  /** The instances it applies to: name matches, ACTIVE, declared by no name or id entry; in name order, names unique. */
  readonly matched: readonly LiveInstanceRef[];
  /** Instances whose name matches but that it leaves to others or alone, with the reason. */
  readonly skipped: readonly (LiveInstanceRef & { /** Why, e.g. `declared at a.yaml:3:5` or `SHUTOFF, not ACTIVE`. */ readonly reason: string })[];
  /** Why the project's instance list could not be read (nothing is matched then). */
  readonly error?: string;
}

/** One live instance with its rules. */
export interface LiveInstance {
  /** The desired instance key this live instance answers (instanceKey of the declaration). */
  readonly key: string;
  /** Region of the endpoint it was read from. */
  readonly region: string;
  /** IAM project id. */
  readonly projectId: string;
  /** Instance id. */
  readonly id: string;
  /** Instance name. */
  readonly name: string;
  /** Instance status (ACTIVE when rules were read). */
  readonly status: string;
  /**
   * Every rule of the instance from the list (system and custom), rule types resolved
   * (src/live/rule-kinds.ts), in rank order, unranked rules last.
   */
  readonly rules: readonly RuleSummary[];
  /** Details of the custom rules the plan needs (declared names), by rule id. */
  readonly details: Readonly<Record<string, LiveRuleDetail>>;
  /** The entry declares only other kinds: its risk rules were not listed (`rules` is empty), and nothing is planned or checked for them. */
  readonly rulesUnread?: true;
  /** The live state of each other kind the instance declares (src/kinds/registry.ts), by kind name; a kind not declared is not read. */
  readonly kinds?: Readonly<Record<string, LiveKind>>;
  /**
   * Ids of declared custom rules whose details were deliberately not read (a scoped read,
   * `--changed-since`): the planner plans no update or switch for them. Absent = none.
   */
  readonly unreadDetails?: readonly string[];
}

/** A custom rule's readable content: its show answer completed from its list item (liveDetail). */
export interface LiveRuleDetail extends Omit<ReadableRuleSpec, 'riskLevel'> {
  /** Rule id. */
  readonly id: string;
  /** Risk level; undefined when neither the show nor the list gave one (not verifiable). */
  readonly riskLevel?: RiskLevel;
  /** Priority value; undefined when unranked. */
  readonly rank?: number;
}

/** One live summary task. */
export interface LiveSummaryTask {
  /** Region. */
  readonly region: string;
  /** IAM project id. */
  readonly projectId: string;
  /** risk or audit. */
  readonly busiType: BusiType;
  /** task_switch is on (true) or off (false); undefined when the read did not say (absent or an unknown value). */
  readonly enabled: boolean | undefined;
  /** task_switch exactly as answered, for the plan's display; absent when not answered. */
  readonly switchText?: string;
}

/** A read that failed for one instance or project; planning goes on for the rest. */
export interface LiveReadError {
  /** Desired instance key, or `region/project` for a project-level failure. */
  readonly key: string;
  /** What went wrong, secrets-free. */
  readonly message: string;
}
