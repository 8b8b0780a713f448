import type { SourceLocation } from '../domain.js';
import type { CelData } from './cel-values.js';

/**
 * What guardrails are evaluated over: one subject per instance (declared, or live), with the
 * CEL variables of the instance and of each of its rules, and where each is declared so that a
 * violation can say where to look.
 */

/** One rule of a subject. */
export interface SubjectRule {
  /** Rule name. */
  readonly name: string;
  /** The variable `rule`. */
  readonly vars: CelData;
  /** Where the rule is declared (the instance entry for a live rule no entry declares). */
  readonly at: SourceLocation;
}

/** One instance as the guardrails see it. */
export interface GuardrailSubject {
  /** Instance key (or selector key). */
  readonly target: string;
  /** Name matched by a guardrail's `match` glob (a selector's glob for a selector in validate). */
  readonly name: string;
  /** Region. */
  readonly region: string;
  /** IAM project id. */
  readonly projectId: string;
  /** Where the instance (or selector) entry is declared. */
  readonly at: SourceLocation;
  /** The variable `instance`. */
  readonly instance: CelData;
  /** Its risk rules (each: risk_rule). */
  readonly riskRules: readonly SubjectRule[];
  /** Its system rules (each: system_rule). */
  readonly systemRules: readonly SubjectRule[];
  /** The objects of each registered kind it declares (or was read for), by kind name (each: the kind); absent = none. */
  readonly objects?: Readonly<Record<string, readonly SubjectRule[]>>;
}

/** The items of `instance.kinds[kind].objects` (the variable `object` of `each: <kind>`). */
export const objectsOf = (kindVars: CelData): readonly CelData[] => (kindVars as { readonly objects: readonly CelData[] }).objects;

/** A place without the provenance extras (rule set, use, override). */
export const placeOf = (l: SourceLocation): SourceLocation => ({ file: l.file, line: l.line, col: l.col });

/** `summary_tasks` of a project: busi type → on, for the tasks declared (or read with a known switch). */
export function taskMap(tasks: readonly { readonly busiType: string; readonly enabled: boolean | undefined }[]): Record<string, CelData> {
  const out: Record<string, CelData> = {};
  for (const t of tasks) if (t.enabled !== undefined) out[t.busiType] = t.enabled;
  return out;
}
