import type { SourceLocation } from '../domain.js';

/**
 * The data of time-boxed exceptions and drift waivers, shared by the policy stage (which
 * declares them), the planner (which decides them against "now") and the renderers.
 */

/** The kinds a waiver or an exception can name besides the registry's kinds (src/kinds/registry.ts). */
export const BUILT_IN_KINDS = ['risk-rule', 'system-rule', 'summary-task'] as const;

/** What a change, an exception or a waiver is about. */
export interface Subject {
  /** Key of the plan target: `region/project/instance` or `region/project` for summary tasks. */
  readonly target: string;
  /** Kind name: `risk-rule`, `system-rule`, `summary-task` or a registry kind's name. */
  readonly kind: string;
  /** The object: a rule name, a summary task's busi_type, a kind object's key or setting. */
  readonly object: string;
  /** The policy field (snake_case) when the subject is one field; absent = the whole object. */
  readonly field?: string;
}

/** How an exception is time-boxed, as declared (a plain `OFF` has neither until nor reason). */
export interface ExceptionTerm {
  /** `until` as written: a date or a date-time with a zone; absent = no end. */
  readonly until?: string;
  /** Why the exception exists. */
  readonly reason?: string;
  /** Where the exception is declared. */
  readonly source: SourceLocation;
}

/** A time-boxed exception of a planned target, for the plan's lists and labels. */
export interface ExceptionNotice extends Subject {
  /** What is excepted: the IP of an exception_ips entry, or `OFF`. */
  readonly value: string;
  /** `until` as written. */
  readonly until: string;
  /** Why, when declared. */
  readonly reason?: string;
  /** Where the exception is declared. */
  readonly source: SourceLocation;
}

/** A label on a change: why it is planned beyond the policy's plain text (display only). */
export interface ChangeLabel {
  /** `exception expired` or `waiver expired`. */
  readonly why: 'exception expired' | 'waiver expired';
  /** Where the exception or waiver is declared. */
  readonly source: SourceLocation;
  /** Its `until` as written. */
  readonly until: string;
  /** Its reason, when declared. */
  readonly reason?: string;
}

/** A `waivers:` entry of a policy document, in domain form. */
export interface DesiredWaiver {
  /** Region of the document. */
  readonly region: string;
  /** IAM project id of the document. */
  readonly projectId: string;
  /** Instance name or id it is about; absent with `match` or for a summary task. */
  readonly instance?: string;
  /** Glob on instance names; absent with `instance` or for a summary task. */
  readonly match?: string;
  /** Kind name (see Subject.kind). */
  readonly kind: string;
  /** Object name; a glob (`*` any run, `?` one character). */
  readonly object: string;
  /** The one policy field waived; absent = every field of the object. */
  readonly field?: string;
  /** `until` as written (mandatory). */
  readonly until: string;
  /** Why (mandatory). */
  readonly reason: string;
  /** Waived drift that is weaker than the policy does not fail `--fail-on-weakening`. */
  readonly allowWeakening: boolean;
  /** Where the waiver is declared. */
  readonly source: SourceLocation;
}

/** A waiver as the plan shows it. */
export interface WaiverRef {
  /** Where it is declared. */
  readonly source: SourceLocation;
  /** `until` as written. */
  readonly until: string;
  /** Why. */
  readonly reason: string;
  /** Whether it accepts drift weaker than the policy under `--fail-on-weakening`. */
  readonly allowWeakening: boolean;
  /** `instance`, `match:<glob>` or `project` (summary tasks), `kind`, `object[.field]` in one line. */
  readonly names: string;
}
