/**
 * Domain vocabulary shared by every stage (policy, live, plan, apply).
 * Wire field names (snake_case, comma-joined strings) never appear here: the API client
 * (src/api) and the emulator translate at their edge.
 */

/** A rule or task switch as DBSS spells it for rules. */
export type Switch = 'ON' | 'OFF';

/** Risk severity of a rule. */
export type RiskLevel = 'LOW' | 'MEDIUM' | 'HIGH' | 'NO_RISK';
export const RISK_LEVELS: readonly RiskLevel[] = ['NO_RISK', 'LOW', 'MEDIUM', 'HIGH'];

/** Comparison operator of a threshold (NO_MATCH means "not equal"). */
export type Comparison = 'GREATER' | 'EQUAL' | 'LESS' | 'GREATER_EQUAL' | 'LESS_EQUAL' | 'NO_MATCH';
export const COMPARISONS: readonly Comparison[] = [
  'GREATER',
  'EQUAL',
  'LESS',
  'GREATER_EQUAL',
  'LESS_EQUAL',
  'NO_MATCH',
];

/**
 * The documented operation tokens of a rule's `action` (API reference §9), offered as editor
 * suggestions. Other tokens (REVOKE and ROLLBACK appear only in old `feature` strings; anything
 * a region reads back) are accepted with a validation warning and sent as written.
 */
export const ACTIONS = [
  'LOGIN',
  'CREATE_TABLE',
  'CREATE_TABLESPACE',
  'DROP_TABLE',
  'DROP_TABLESPACE',
  'DELETE',
  'INSERT',
  'INSERT_SELECT',
  'SELECT',
  'SELECT_FOR_UPDATE',
  'UPDATE',
  'CREATE_USER',
  'DROP_USER',
  'GRANT',
  'OPERATE ALL',
] as const;
export type Action = (typeof ACTIONS)[number];

/**
 * Spellings that mean "any operation". `OPERATE ALL` is the only documented one; how a region
 * reads it back is unconfirmed (`OPERATE_ALL`, `ALL`, `""` or no `action` at all), so every one
 * of them, an empty list and an absent action are the same thing: any operation.
 */
export const ANY_OPERATION_TOKENS: readonly string[] = ['OPERATE ALL', 'OPERATE_ALL', 'ALL'];

/** True when the token is one of the "any operation" spellings (case and spacing ignored). */
export function isAnyOperationToken(token: string): boolean {
  const t = token.trim().toUpperCase().replace(/\s+/g, ' ');
  return ANY_OPERATION_TOKENS.includes(t);
}

/**
 * The one domain form of a list of operation tokens: empty (= any operation) when the list is
 * empty or holds an "any operation" spelling (it subsumes every other token), else the tokens.
 */
export function operationsOrAny(tokens: readonly string[]): readonly string[] {
  return tokens.some(isAnyOperationToken) ? [] : tokens;
}

/** Summary task business type (path segment, case-sensitive). */
export type BusiType = 'risk' | 'audit';
export const BUSI_TYPES: readonly BusiType[] = ['risk', 'audit'];

/**
 * Names of the four built-in system rules the user guide describes. Only
 * `Database_drag_detection` was seen in a document; the other three are guesses. The live
 * instance's list is the authority (plan time checks declared names against it); these names
 * are editor suggestions, and tell a system rule whose list item has no rule_type.
 */
export const SYSTEM_RULE_NAMES = [
  'Database_drag_detection',
  'Slow_SQL_detection',
  'Batch_data_tampering_detection',
  'Batch_data_deletion_detection',
] as const;

/** A threshold on affected rows or execution time. */
export interface Threshold {
  /** The comparison operator. */
  readonly symbol: Comparison;
  /** The value compared against (a non-negative integer). */
  readonly value: number;
}

/** One target object of a rule: database schema, table and column, each optional. */
export interface SchemaTarget {
  /** Database (schema) name. */
  readonly schema?: string;
  /** Table name. */
  readonly table?: string;
  /** Column name. */
  readonly column?: string;
}

/**
 * The full content of a custom (CUSTOMIZE) risk rule, as written by create and update.
 * Lists are in domain form (arrays); the client joins them with commas on the wire.
 */
export interface RiskRuleSpec {
  /** Rule name (rule_name), unique per instance. */
  readonly name: string;
  /** Risk level. */
  readonly riskLevel: RiskLevel;
  /** ON or OFF. */
  readonly status: Switch;
  /** Operations matched (action); empty = any operation. */
  readonly actions: readonly string[];
  /** Affected-rows threshold (affect_symbol / affect_rows). */
  readonly affectRows: Threshold;
  /** Execution-time threshold (execution_symbol / execution_time). */
  readonly executionTime: Threshold;
  /** Database ids (db_ids); empty = all databases. */
  readonly dbIds: readonly string[];
  /** Client IPs, CIDRs or `a-b` ranges (client_ips); empty = any client. */
  readonly clientIps: readonly string[];
  /** IPs skipped by matching (exception_ips). Write-only: the API never returns it. */
  readonly exceptionIps: readonly string[];
  /** Target objects (schemas). */
  readonly schemas: readonly SchemaTarget[];
  /** Case-insensitive matching. */
  readonly ignoreCase: boolean;
}

/** What can be read back of a rule: everything but the write-only exception IPs. */
export type ReadableRuleSpec = Omit<RiskRuleSpec, 'exceptionIps'>;

/** A position in a policy file (1-based line and column). */
export interface SourceLocation {
  /** File path as given to the loader (relative to the working directory when possible). */
  readonly file: string;
  /** 1-based line. */
  readonly line: number;
  /** 1-based column. */
  readonly col: number;
}

/**
 * Where a desired rule comes from: the place that defines it (the rule entry in the instance, or
 * in a rule set), and for a rule set's rule the set and where the instance entry pulled it in.
 */
export interface RuleProvenance extends SourceLocation {
  /** The rule set that defines the rule; absent for an instance entry's own rule. */
  readonly ruleSet?: string;
  /** The `use` entry (of the instance or selector entry) that pulled the rule set in. */
  readonly appliedAt?: SourceLocation;
  /** The `overrides` entry that changed the set rule's fields for this instance. */
  readonly overriddenAt?: SourceLocation;
}

/** How a declared instance is found in the live instance list. */
export type InstanceRef =
  | { /** Resolve by the instance `name`. */ readonly kind: 'name'; readonly name: string }
  | { /** Use this instance `id` directly. */ readonly kind: 'id'; readonly id: string };

/**
 * Display key of an instance: `region/project/name` or `region/project/id:<id>`. An instance
 * found by a selector is keyed by its live name, like one declared by that name.
 */
export function instanceKey(i: { readonly region: string; readonly projectId: string; readonly ref: InstanceRef }): string {
  const r = i.ref.kind === 'name' ? i.ref.name : `id:${i.ref.id}`;
  return `${i.region}/${i.projectId}/${r}`;
}

/** Display key of a selector: `region/project/match:<glob>`. */
export function selectorKey(s: { readonly region: string; readonly projectId: string; readonly pattern: string }): string {
  return `${s.region}/${s.projectId}/match:${s.pattern}`;
}
