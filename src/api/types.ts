import type { KindApi } from '../kinds/kind.js';
import type { LearnedLimit } from './learned-limit.js';
import type { BusiType, ReadableRuleSpec, RiskLevel, RiskRuleSpec, Switch } from '../domain.js';

/**
 * The domain face of the DBSS API client. Everything above src/api works with these types;
 * wire names stay inside src/api. One client serves one endpoint (one region) and owns that
 * endpoint's rate budget; every call goes through its limiter, concurrency limit and retries.
 */

/**
 * The status of an instance listed without one. The list item's fields are optional in the
 * SDK: such an instance is not refused up front; its rule calls answer for it.
 */
export const STATUS_NOT_GIVEN = 'NOT_GIVEN';

/** Rules can be managed on an ACTIVE instance (and are tried on one listed without a status). */
export function rulesManageable(status: string): boolean {
  return status.toUpperCase() === 'ACTIVE' || status === STATUS_NOT_GIVEN;
}

/** An audit instance from the instance list. */
export interface AuditInstance {
  /** Instance id used in rule paths. */
  readonly id: string;
  /** Instance name (alias); not guaranteed unique. */
  readonly name: string;
  /** Lifecycle status: ACTIVE, SHUTOFF, BUILD, DELETING, DELETED, ERROR, HAWAIT, FROZEN, UPGRADING; STATUS_NOT_GIVEN when absent. */
  readonly status: string;
}

/** A rule as the rule list shows it (no policy fields). */
export interface RuleSummary {
  /** Rule id. */
  readonly id: string;
  /** Rule name. */
  readonly name: string;
  /**
   * SYSTEM (built in, switch only), CUSTOMIZE, UNKNOWN when the answer has no rule_type (or
   * null): the SDK marks it optional and old EU docs show null for custom rules; src/live
   * (ruleKinds) decides from the names and customize_total whether an UNKNOWN rule is custom.
   * OTHER: any other rule_type (e.g. BUILT_IN), never custom.
   */
  readonly ruleType: RuleType;
  /** ON or OFF. */
  readonly status: Switch;
  /**
   * Priority value as listed (smaller is higher); undefined when the answer has none (the SDK
   * marks rank optional): an unranked rule takes no part in ordering. The numbering (base,
   * shared with system rules or not, gaps) is unconfirmed and learned from the list.
   */
  readonly rank?: number;
  /** Risk level; undefined when the answer has none (optional in the SDK). */
  readonly riskLevel?: RiskLevel;
  /** The list's one-line summary of client, operations and objects (`CLIENT[…]OPERATE[…]OBJECT[…]`); absent when not sent. */
  readonly feature?: string;
}

/**
 * A full rule listing. `customizeTotal` is the answer's customize_total (custom rules of the
 * instance, optional in old docs): with rule_type absent it tells whether every rule that looks
 * custom by name really is.
 */
export type RuleList = RuleSummary[] & { readonly customizeTotal?: number };

/** How the rule list types a rule; UNKNOWN = rule_type absent or null; OTHER = any other value (e.g. BUILT_IN). */
export type RuleType = 'SYSTEM' | 'CUSTOMIZE' | 'UNKNOWN' | 'OTHER';

/**
 * A custom rule's readable content (show). exception_ips is never returned. Every field of the
 * show answer is optional in the SDK: absent lists read as empty, thresholds as the API
 * default, ignore_case as false; name, risk level and status stay undefined when absent (the
 * live reader fills them from the list item).
 */
export interface RuleDetail extends Omit<ReadableRuleSpec, 'name' | 'riskLevel' | 'status'> {
  /** Rule id (the requested id when the answer has none). */
  readonly id: string;
  /** rule_name; undefined when absent. */
  readonly name?: string;
  /** risk_level; undefined when absent. */
  readonly riskLevel?: RiskLevel;
  /** status; undefined when absent. */
  readonly status?: Switch;
  /** Priority value; undefined when absent. */
  readonly rank?: number;
}

/** The tenant audit summary task of one project and business type. */
export interface SummaryTask {
  /** risk or audit. */
  readonly busiType: BusiType;
  /**
   * task_switch read as on (true) or off (false); undefined when absent or not one of the
   * spellings a careful client accepts (on/off in any case, true/false, 1/0): the values of
   * task_switch are undocumented, so an unknown one is never guessed.
   */
  readonly enabled: boolean | undefined;
  /** task_switch exactly as answered (for messages); undefined when absent. */
  readonly switchText?: string;
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
  /** One client's budget right now, requests per second (a 429 may have lowered it); the pool's sum leaves it out. */
  readonly requestsPerSecond?: number;
  /** `--rate-limit auto`: the request rate learned per endpoint URL (set by the CLI session, not by one client). */
  readonly learnedLimits?: Readonly<Record<string, LearnedLimit>>;
}

/** Every call the reconciler needs. All ids are strings; all lists are fully paged. */
export interface DbssClient {
  /** All instances of a project (every page). */
  listInstances(projectId: string): Promise<AuditInstance[]>;
  /** All rules of an instance (every page), system and custom. `name` filters (fuzzy) server-side. */
  listRules(projectId: string, instanceId: string, filter?: { name?: string }): Promise<RuleList>;
  /**
   * All rules of an instance, listed again over the client's settle window (a listing may lag
   * a create) until `settled` holds for a listing; the last listing when it never does.
   */
  listRulesSettled(projectId: string, instanceId: string, settled: (rules: RuleList) => boolean, filter?: { name?: string }): Promise<RuleList>;
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
  /** The generic calls other kinds of objects make (src/kinds): same budget, retries and auth gate. */
  readonly kinds: KindApi;
  /** Counters so far. */
  stats(): ClientStats;
  /** Close pooled connections. */
  close(): Promise<void>;
}
