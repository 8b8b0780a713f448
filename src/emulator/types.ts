import type { BusiType, Comparison, RiskLevel, Switch } from '../domain.js';

/**
 * The emulator's in-memory model of DBSS: plain JSON-serialisable data, saved as is to the
 * state file. Rule content is kept the way the API stores it (comma-joined strings as sent),
 * so what a client writes is what it reads back.
 */
export interface EmulatorState {
  /** Format version of the state file. */
  version: 1;
  /** State of the PRNG that makes rule ids; persisted so ids never repeat after a restart. */
  idRngState: number;
  /** Projects by IAM project id. */
  projects: Record<string, ProjectState>;
}

/** One IAM project (one region's view of a tenant). */
export interface ProjectState {
  /** Region the project belongs to (shown on its instances; the emulator serves any Host). */
  region: string;
  /** Audit instances, in list order. */
  instances: InstanceState[];
  /** Tenant audit-information summary tasks, one per business type. */
  summaryTasks: Record<BusiType, SummaryTaskState>;
}

/** Instance lifecycle statuses of the instance list. */
export const INSTANCE_STATUSES = [
  'ACTIVE',
  'SHUTOFF',
  'BUILD',
  'DELETING',
  'DELETED',
  'ERROR',
  'HAWAIT',
  'FROZEN',
  'UPGRADING',
] as const;
/** One instance lifecycle status. */
export type InstanceStatus = (typeof INSTANCE_STATUSES)[number];

/** One audit instance. */
export interface InstanceState {
  /** Instance id (32-64 characters), used in rule paths. */
  id: string;
  /** Instance name (alias). */
  name: string;
  /** Lifecycle status; rule calls need ACTIVE. */
  status: InstanceStatus;
  /** Creation time (ISO 8601), shown as `created`. */
  created: string;
  /** Edition, shown as `specification` (e.g. `audit.basic`). */
  specification: string;
  /**
   * Every rule of the instance, system and custom, highest priority first. The ranks shown
   * are a reading of this order under the API profile (rule-numbering.ts); by default a rule's
   * rank is its index plus one, 1..n without gaps.
   */
  rules: RuleState[];
  /** The state of each other kind (src/kinds) by kind name, created on first use; absent = none touched yet. */
  kinds?: Record<string, unknown>;
}

/** One risk rule as stored. */
export interface RuleState {
  /** Opaque 20-character id. */
  id: string;
  /** SYSTEM (built in: switch only) or CUSTOMIZE. */
  ruleType: 'SYSTEM' | 'CUSTOMIZE';
  /** rule_name, unique per instance. */
  name: string;
  /** risk_level. */
  riskLevel: RiskLevel;
  /** ON or OFF. */
  status: Switch;
  /** action: comma-joined operation tokens as sent, or null for any operation. */
  action: string | null;
  /** client_ips as sent, or null. */
  clientIps: string | null;
  /** exception_ips as sent, or null; write-only (never shown). */
  exceptionIps: string | null;
  /** db_ids as sent, or null. */
  dbIds: string | null;
  /** ignore_case. */
  ignoreCase: boolean;
  /** schemas (target objects). */
  schemas: SchemaState[];
  /** affect_symbol. */
  affectSymbol: Comparison;
  /** affect_rows. */
  affectRows: number;
  /** execution_symbol. */
  executionSymbol: Comparison;
  /** execution_time. */
  executionTime: number;
}

/** One target object of a rule. */
export interface SchemaState {
  /** Database (schema) name. */
  schema?: string;
  /** Table name. */
  table?: string;
  /** Column name. */
  column?: string;
}

/** A summary task's status codes: ready, running, succeeded, failed. */
export type TaskStatusCode = '0' | '1' | '2' | '3';

/** One tenant summary task. */
export interface SummaryTaskState {
  /** Task id (shown as `id`, a long). */
  id: number;
  /** task_switch: on or off. */
  taskSwitch: 'on' | 'off';
  /** task_status as of the last change; "1" turns into "2" once `runningUntil` has passed. */
  taskStatus: TaskStatusCode;
  /** begin_time of the last run (epoch ms), 0 if never run. */
  beginTime: number;
  /** end_time of the last run (epoch ms), 0 if never finished. */
  endTime: number;
  /** query_begin_time of the last execute (epoch ms), 0 if none. */
  queryBeginTime: number;
  /** query_end_time of the last execute (epoch ms), 0 if none. */
  queryEndTime: number;
  /** When a running ("1") task finishes (epoch ms); 0 when not running. */
  runningUntil: number;
}
