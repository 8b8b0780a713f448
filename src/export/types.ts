import type { Json } from '../kinds/kind.js';
import type { BusiType, ReadableRuleSpec, Switch } from '../domain.js';

/**
 * What `dbss-policy export` read of one project: everything a policy document of that project
 * can declare, in the order the document lists it. Produced by readProjectExport, turned into
 * YAML by renderPolicyYaml.
 */
export interface ProjectExport {
  /** Region of the project (selects the endpoint). */
  readonly region: string;
  /** IAM project id. */
  readonly projectId: string;
  /** The exported instances, sorted by name then id. */
  readonly instances: readonly InstanceExport[];
  /** Rule sets holding rules several instances share (`--factor`), in name order; empty otherwise. */
  readonly ruleSets: readonly RuleSetExport[];
  /** The summary tasks that could be read, risk before audit. */
  readonly summaryTasks: readonly ExportedSummaryTask[];
  /** Project-level things left out of the document and why (skipped instances, unreadable tasks). */
  readonly notes: readonly string[];
}

/** One ACTIVE instance with its rules as read. */
export interface InstanceExport {
  /** Instance id. */
  readonly id: string;
  /** Instance name (may be ambiguous or empty; see `ref`). */
  readonly name: string;
  /** How the policy refers to it: by name when that name is unique and valid in the project, else by id. */
  readonly ref: 'name' | 'id';
  /** Names of the rule sets it uses, in order: their rules come first (`--factor`; empty otherwise). */
  readonly use: readonly string[];
  /** Live switch of each built-in system rule the policy format knows, in the schema's order (minus those of its sets). */
  readonly systemRules: readonly ExportedSystemRule[];
  /** Custom rules in live rank order (highest priority first), with their readable content, after those of its sets. */
  readonly riskRules: readonly ReadableRuleSpec[];
  /** Rules left out of the document and why (duplicate names, unknown system rules). */
  readonly notes: readonly string[];
  /** The other kinds' policy YAML (src/kinds), by policy key, in registry order; absent = none worth writing. */
  readonly kinds?: Readonly<Record<string, Json>>;
}

/** A rule set made by `--factor`: rules that several instances have identically, at the same place. */
export interface RuleSetExport {
  /** Set name, unique across exports of different projects (see factor-rule-sets.ts). */
  readonly name: string;
  /** How the instances that use it are called in the document (name, or id when referred to by id). */
  readonly usedBy: readonly string[];
  /** System rule switches every user has (schema order); empty for a set used after another. */
  readonly systemRules: readonly ExportedSystemRule[];
  /** The shared custom rules, in live rank order. */
  readonly riskRules: readonly ReadableRuleSpec[];
}

/** The live switch of one built-in system rule. */
export interface ExportedSystemRule {
  /** System rule name, e.g. Database_drag_detection. */
  readonly name: string;
  /** Its live status. */
  readonly status: Switch;
}

/** The live switch of one summary task. */
export interface ExportedSummaryTask {
  /** risk or audit. */
  readonly busiType: BusiType;
  /** task_switch is on. */
  readonly enabled: boolean;
}
