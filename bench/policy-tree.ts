import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { EmulatorState, RuleState } from '../src/emulator/index.js';

/**
 * Policy trees written from an emulator estate, in the policy file format (YAML keys), so that
 * benchmarks and the reliability suite can declare exactly what an estate holds, change part of
 * it, and compare the emulator's final state with what was declared.
 */

/** A threshold as a policy declares it. */
export interface PolicyThreshold {
  /** Comparison operator. */
  readonly symbol: string;
  /** Compared value. */
  readonly value: number;
}

/** A custom rule as a policy file declares it, every field explicit. */
export interface PolicyRule {
  /** rule name. */
  readonly name: string;
  /** risk level. */
  readonly risk_level: string;
  /** ON or OFF. */
  readonly status: 'ON' | 'OFF';
  /** Operation tokens. */
  readonly actions: readonly string[];
  /** Affected-rows threshold. */
  readonly affect_rows: PolicyThreshold;
  /** Execution-time threshold. */
  readonly execution_time: PolicyThreshold;
  /** Database ids. */
  readonly db_ids: readonly string[];
  /** Client IP entries. */
  readonly client_ips: readonly string[];
  /** Exception IP entries (write-only in the API). */
  readonly exception_ips: readonly string[];
  /** Target objects. */
  readonly schemas: readonly { readonly schema?: string; readonly table?: string; readonly column?: string }[];
  /** Case-insensitive matching. */
  readonly ignore_case: boolean;
}

/** One declared instance. */
export interface PolicyInstance {
  /** Instance name. */
  readonly name: string;
  /** Delete undeclared custom rules. */
  readonly prune: boolean;
  /** Wanted switch of each system rule. */
  readonly system_rules: Readonly<Record<string, 'ON' | 'OFF'>>;
  /** Custom rules, highest priority first. */
  readonly risk_rules: readonly PolicyRule[];
}

/** The declared instances of one project. */
export interface PolicyProject {
  /** Region. */
  readonly region: string;
  /** IAM project id. */
  readonly project_id: string;
  /** Declared instances. */
  readonly instances: readonly PolicyInstance[];
}

const list = (text: string | null): string[] => (text ? text.split(',').filter((s) => s !== '') : []);

/** A stored custom rule as a policy would declare it. */
export function policyRuleOf(rule: RuleState): PolicyRule {
  return {
    name: rule.name,
    risk_level: rule.riskLevel,
    status: rule.status,
    actions: list(rule.action),
    affect_rows: { symbol: rule.affectSymbol, value: rule.affectRows },
    execution_time: { symbol: rule.executionSymbol, value: rule.executionTime },
    db_ids: list(rule.dbIds),
    client_ips: list(rule.clientIps),
    exception_ips: list(rule.exceptionIps),
    schemas: rule.schemas.map((s) => ({ ...s })),
    ignore_case: rule.ignoreCase,
  };
}

/** The policy that declares an estate exactly as it is (every instance, prune on), project by project. */
export function policyOfState(state: EmulatorState, prune = true): PolicyProject[] {
  return Object.entries(state.projects).map(([projectId, project]) => ({
    region: project.region,
    project_id: projectId,
    instances: project.instances.map((inst) => ({
      name: inst.name,
      prune,
      system_rules: Object.fromEntries(inst.rules.filter((r) => r.ruleType === 'SYSTEM').map((r) => [r.name, r.status])),
      risk_rules: inst.rules.filter((r) => r.ruleType === 'CUSTOMIZE').map(policyRuleOf),
    })),
  }));
}

/** A rule with its list fields in a fixed order, for comparing by content. */
export function canonicalRule(rule: PolicyRule): PolicyRule {
  const sorted = (xs: readonly string[]): string[] => [...xs].sort();
  return {
    ...rule,
    actions: sorted(rule.actions),
    db_ids: sorted(rule.db_ids),
    client_ips: sorted(rule.client_ips),
    exception_ips: sorted(rule.exception_ips),
    schemas: [...rule.schemas].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
  };
}

/**
 * Writes one YAML file per declared instance (`<project>/<instance>.yaml`) under `dir`; returns
 * the number of files written.
 */
export async function writePolicyTree(dir: string, projects: readonly PolicyProject[]): Promise<number> {
  let files = 0;
  for (const p of projects) {
    const folder = join(dir, p.project_id);
    await mkdir(folder, { recursive: true });
    for (const inst of p.instances) {
      const doc = { version: 1, region: p.region, project_id: p.project_id, instances: [inst] };
      await writeFile(join(folder, `${inst.name}.yaml`), stringify(doc, { lineWidth: 0, aliasDuplicateObjects: false }));
      files++;
    }
  }
  return files;
}

/** Writes the policy tree into a fresh temporary directory, runs `fn` on it, and removes it. */
export async function withTempPolicyTree<T>(projects: readonly PolicyProject[], label: string, fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), `dbss-bench-${label}-`));
  try {
    await writePolicyTree(dir, projects);
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
