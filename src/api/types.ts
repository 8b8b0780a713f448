import type { LearnedLimit } from './learned-limit.js';
import type { BusiType, ReadableRuleSpec, RiskLevel, RiskRuleSpec, Switch } from '../domain.js';

/**
 * The domain face of the DBSS API client. Everything above src/api works with these types;
 * wire names stay inside src/api. One client serves one endpoint (one region) and owns that
 * endpoint's rate budget; every call goes through its limiter, concurrency limit and retries.
 */

/** An audit instance from the instance list. */
export interface AuditInstance {
  /** Instance id used in rule paths. */
  readonly id: string;
  /** Instance name (alias); not guaranteed unique. */
  readonly name: string;
  /** Lifecycle status: ACTIVE, SHUTOFF, BUILD, DELETING, DELETED, ERROR, HAWAIT, FROZEN, UPGRADING. */
  readonly status: string;
}

/** A rule as the rule list shows it (no policy fields). */
export interface RuleSummary {
  /** Rule id. */
  readonly id: string;
  /** Rule name. */
  readonly name: string;
  /** SYSTEM (built in, switch only) or CUSTOMIZE. A null/absent rule_type reads as CUSTOMIZE. */
  readonly ruleType: 'SYSTEM' | 'CUSTOMIZE';
  /** ON or OFF. */
  readonly status: Switch;
  /** Priority: smaller is higher. */
  readonly rank: number;
  /** Risk level. */
  readonly riskLevel: RiskLevel;
  /** The list's one-line summary of client, operations and objects (`CLIENT[…]OPERATE[…]OBJECT[…]`); absent when not sent. */
  readonly feature?: string;
}

/** A custom rule's full readable content (show). exception_ips is never returned. */
export interface RuleDetail extends ReadableRuleSpec {
  /** Rule id. */
  readonly id: string;
  /** Priority: smaller is higher. */
  readonly rank: number;
}

/** The tenant audit summary task of one project and business type. */
export interface SummaryTask {
  /** risk or audit. */
  readonly busiType: BusiType;
  /** task_switch is on. */
  readonly enabled: boolean;
  /** task_status: ready ("0"), running ("1"), succeeded ("2"), failed ("3"), or the raw value. */
  readonly status: 'ready' | 'running' | 'succeeded' | 'failed' | string;
}

/** Call counters for the run summary and benchmarks. */
export interface ClientStats {
  /** HTTP requests sent (attempts, including retries). */
  readonly requests: number;
  /** Attempts that were retries. */
  readonly retries: number;
  /** 429 answers received. */
  readonly throttled: number;
  /** Logical operations completed, by operation name (e.g. listRules: 12). */
  readonly byOperation: Readonly<Record<string, number>>;
  /** `--rate-limit auto`: the request rate learned per endpoint URL (set by the CLI session, not by one client). */
  readonly learnedLimits?: Readonly<Record<string, LearnedLimit>>;
}

/** Every call the reconciler needs. All ids are strings; all lists are fully paged. */
export interface DbssClient {
  /** All instances of a project (every page). */
  listInstances(projectId: string): Promise<AuditInstance[]>;
  /** All rules of an instance (every page), system and custom. `name` filters (fuzzy) server-side. */
  listRules(projectId: string, instanceId: string, filter?: { name?: string }): Promise<RuleSummary[]>;
  /** One custom rule's detail (v2 show). */
  showRule(projectId: string, instanceId: string, ruleId: string): Promise<RuleDetail>;
  /**
   * Create a custom rule (v1). The API returns no id. Never blindly retried: after an
   * ambiguous failure the client lists by name and retries only when the rule is absent.
   */
  createRule(projectId: string, instanceId: string, spec: RiskRuleSpec): Promise<void>;
  /** Replace a custom rule's content (v2 PUT, full replacement). */
  updateRule(projectId: string, instanceId: string, ruleId: string, spec: RiskRuleSpec): Promise<void>;
  /** Delete one custom rule. */
  deleteRule(projectId: string, instanceId: string, ruleId: string): Promise<void>;
  /** Switch many rules ON or OFF in one call (ids comma-joined on the wire). */
  switchRules(projectId: string, instanceId: string, ruleIds: readonly string[], status: Switch): Promise<void>;
  /** Move one rule to a new rank (v2, 1-based; the others shift). */
  setRank(projectId: string, instanceId: string, ruleId: string, newRank: number): Promise<void>;
  /** Read a summary task (v3). */
  showSummaryTask(projectId: string, busiType: BusiType): Promise<SummaryTask>;
  /** Switch a summary task on or off (v1, oper_type switch). */
  setSummaryTask(projectId: string, busiType: BusiType, enabled: boolean): Promise<void>;
  /** Trigger a summary refresh now (v1, oper_type execute). */
  executeSummaryTask(projectId: string, busiType: BusiType): Promise<void>;
  /** Counters so far. */
  stats(): ClientStats;
  /** Close pooled connections. */
  close(): Promise<void>;
}
