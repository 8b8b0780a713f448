import type { BusiType, RiskRuleSpec, SourceLocation, Switch } from '../domain.js';

/**
 * The desired state: what the policies/ tree asks for, after schema validation,
 * cross-document checks and defaults. Produced by the policy stage, read by the planner.
 */
export interface DesiredState {
  /** Every declared instance, in file order. */
  readonly instances: readonly DesiredInstance[];
  /** Every declared summary task switch, in file order. */
  readonly summaryTasks: readonly DesiredSummaryTask[];
}

/** How a declared instance is found in the live instance list. */
export type InstanceRef =
  | { /** Resolve by the instance `name`. */ readonly kind: 'name'; readonly name: string }
  | { /** Use this instance `id` directly. */ readonly kind: 'id'; readonly id: string };

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
  /** Where the instance entry is declared. */
  readonly source: SourceLocation;
}

/** A wanted switch state of a built-in system rule. */
export interface DesiredSystemRule {
  /** System rule name, e.g. Database_drag_detection. */
  readonly name: string;
  /** Wanted state. */
  readonly status: Switch;
  /** Where it is declared. */
  readonly source: SourceLocation;
}

/** A wanted custom rule with defaults filled in. */
export interface DesiredRiskRule extends RiskRuleSpec {
  /** Where it is declared. */
  readonly source: SourceLocation;
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

/** Display key of an instance: `region/project/name` or `region/project/id:<id>`. */
export function instanceKey(i: Pick<DesiredInstance, 'region' | 'projectId' | 'ref'>): string {
  const r = i.ref.kind === 'name' ? i.ref.name : `id:${i.ref.id}`;
  return `${i.region}/${i.projectId}/${r}`;
}
