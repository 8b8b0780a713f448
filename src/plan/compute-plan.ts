import type { Guardrail } from '../guardrails/types.js';
import { planGuardrails } from '../guardrails/plan-guardrails.js';
import type { LiveInstance, LiveState } from '../live/types.js';
import type { DesiredInstance, DesiredState } from '../policy/types.js';
import { instanceKey } from '../domain.js';
import { desiredHash, liveFingerprint } from './fingerprint.js';
import { instanceProblems } from './instance-problems.js';
import { sortChanges, sortNotes, sortProblems, cmp } from './order.js';
import { planInstance } from './plan-instance.js';
import { planKinds } from './plan-kinds.js';
import { planSelectors } from './plan-selectors.js';
import { planTasks } from './plan-tasks.js';
import type { RuleTarget } from './rule-target.js';
import { restrictToRules, targetsOf, unmatchedTargetMessage } from './rule-target.js';
import type { SafetyThresholds } from './safety.js';
import { DEFAULT_SAFETY, safetyRefusals } from './safety.js';
import type { Change, Plan, PlanNote, PlanProblem, PlanTarget } from './types.js';

/** How to plan. */
export interface PlanOptions {
  /** dbss-policy version recorded in the plan. */
  readonly toolVersion: string;
  /** Re-send exception_ips (write-only) of every declared rule that has them (--reassert-write-only). */
  readonly reassertWriteOnly?: boolean;
  /** Refusal thresholds; missing members default to DEFAULT_SAFETY (30% of at least 10 rules). */
  readonly safety?: Partial<SafetyThresholds>;
  /** Only these instances (declared name or id, live name or id, or key); empty = all. */
  readonly instances?: readonly string[];
  /** With `instances`: also plan the summary tasks of their projects (`--summary-tasks`). */
  readonly summaryTasks?: boolean;
  /** `--target INSTANCE/RULE`: only the changes of these rules (no reorders, no summary tasks); empty = all. */
  readonly ruleTargets?: readonly RuleTarget[];
  /** The policy tree's guardrails, evaluated over the planned declared and live state (plan.guardrails); absent or empty = none. */
  readonly guardrails?: readonly Guardrail[];
}

/** The message of an `--instance` name that matched nothing (renderers count these apart). */
export const unmatchedInstanceMessage = (wanted: string): string => `--instance ${wanted} matches no declared instance`;

/**
 * The plan: what to change so that the live state matches the desired state. Pure and
 * synchronous (no clock, no I/O, no randomness); the same inputs give the same plan, in the
 * same order, with the same fingerprints. An instance that could not be read, or whose live
 * state is ambiguous, gets an error and no changes; the others are still planned.
 */
export function computePlan(desiredAll: DesiredState, live: LiveState, options: PlanOptions): Plan {
  const ruleTargets = options.ruleTargets ?? [];
  const selected = selectDesired(desiredAll, live, options.instances ?? [], options.summaryTasks ?? false);
  // Summary tasks belong to no rule: a rule-targeted plan leaves them out.
  const desired = ruleTargets.length > 0 ? { ...selected.desired, summaryTasks: [] } : selected.desired;
  const targets: PlanTarget[] = [];
  const changes: Change[] = [];
  const notes: PlanNote[] = [];
  const errors: PlanProblem[] = selected.unmatched.map((w) => ({ target: w, message: unmatchedInstanceMessage(w) }));
  for (const t of ruleTargets) {
    if (!desired.instances.some((d) => targetsOf([t], instanceNames(d, live)).length > 0)) errors.push({ target: t.text, message: unmatchedTargetMessage(t.text) });
  }
  const planned: LiveInstance[] = [];
  const liveByKey = new Map(live.instances.map((i) => [i.key, i] as const));
  const failuresByKey = new Map<string, string[]>();
  for (const e of live.errors) failuresByKey.set(e.key, [...(failuresByKey.get(e.key) ?? []), e.message]);

  for (const d of desired.instances) {
    const key = instanceKey(d);
    const aimed = ruleTargets.length > 0 ? targetsOf(ruleTargets, instanceNames(d, live)) : undefined;
    if (aimed?.length === 0) continue;
    const found = plannable(d, liveByKey.get(key), failuresByKey.get(key));
    if (Array.isArray(found)) {
      errors.push(...found.map((message) => ({ target: key, message })));
      continue;
    }
    const selector = d.selector !== undefined ? { selector: d.selector } : {};
    targets.push({ key, region: d.region, projectId: d.projectId, instanceId: found.id, instanceName: found.name, ...selector });
    planned.push(found);
    const rules = planInstance(d, found, { reassertWriteOnly: options.reassertWriteOnly ?? false });
    const kinds = planKinds(key, d, found);
    const all = { changes: [...rules.changes, ...kinds.changes], notes: [...rules.notes, ...kinds.notes] };
    const p = aimed ? restrictToRules(all, aimed) : all;
    changes.push(...p.changes);
    notes.push(...p.notes);
    errors.push(...kinds.errors);
  }

  const tasks = planTasks(desired.summaryTasks, live);
  targets.push(...tasks.targets);
  changes.push(...tasks.changes);
  errors.push(...tasks.errors);
  const selectors = planSelectors(desired, live);
  notes.push(...selectors.notes);
  errors.push(...selectors.errors);

  const thresholds = { ...DEFAULT_SAFETY, ...options.safety };
  const fingerprints = lazyFingerprints(live, desired);
  return {
    formatVersion: 1,
    toolVersion: options.toolVersion,
    get liveFingerprint() {
      return fingerprints.live();
    },
    get desiredHash() {
      return fingerprints.desired();
    },
    targets: targets.sort((a, b) => cmp(a.key, b.key)),
    changes: sortChanges(changes),
    notes: sortNotes(notes),
    errors: sortProblems(errors),
    refusals: sortProblems(safetyRefusals(changes, planned, thresholds)),
    selectors: selectors.selectors,
    ...(ruleTargets.length > 0 ? { ruleTargets: ruleTargets.map((t) => t.text) } : {}),
    ...(options.guardrails && options.guardrails.length > 0
      ? { guardrails: planGuardrails(options.guardrails, desired, { ...live, instances: planned }) }
      : {}),
  };
}

/** The live instance to plan, or why it cannot be planned: its read failures, or its problems. */
function plannable(d: DesiredInstance, found: LiveInstance | undefined, failures: string[] | undefined): LiveInstance | string[] {
  if (failures) return failures;
  if (!found) return ['the instance was not read'];
  const problems = instanceProblems(d, found);
  return problems.length > 0 ? problems : found;
}

/**
 * The two stale-plan fingerprints, each computed on first use and kept. They hash every read
 * rule (about half of computePlan's time at 100,000 rules) and only matter when a plan is saved
 * (`--out`, `--format json`), shown in markdown, or applied; a `plan` printed as text never
 * computes them. The plan stays plain data to every reader: the getters are enumerable, so JSON
 * and deep equality see two strings.
 */
function lazyFingerprints(live: LiveState, desired: DesiredState): { live(): string; desired(): string } {
  let l: string | undefined;
  let d: string | undefined;
  return {
    live: () => (l ??= liveFingerprint(live, desired)),
    desired: () => (d ??= desiredHash(desired)),
  };
}

/** What an instance answers to: its key, declared name or id, and the name and id of the live instance it resolved to. */
function instanceNames(d: DesiredInstance, live: LiveState): string[] {
  const key = instanceKey(d);
  const found = live.instances.find((i) => i.key === key);
  return [key, d.ref.kind === 'name' ? d.ref.name : d.ref.id, ...(found ? [found.name, found.id] : [])];
}

/**
 * The declared instances named by `wanted` (declared name or id, key, or the name or id of the
 * live instance a declaration resolved to); with `withTasks`, the summary tasks of their
 * projects too. `--instance` is about instances: a project's tasks change only when asked.
 */
export function selectDesired(
  desired: DesiredState,
  live: LiveState,
  wanted: readonly string[],
  withTasks: boolean,
): { desired: DesiredState; unmatched: string[] } {
  if (wanted.length === 0) return { desired, unmatched: [] };
  const names = (d: DesiredInstance): string[] => instanceNames(d, live);
  const instances = desired.instances.filter((d) => names(d).some((n) => wanted.includes(n)));
  const unmatched = wanted.filter((w) => !desired.instances.some((d) => names(d).includes(w)));
  const projects = new Set(instances.map((d) => `${d.region}/${d.projectId}`));
  const summaryTasks = withTasks ? desired.summaryTasks.filter((t) => projects.has(`${t.region}/${t.projectId}`)) : [];
  return { desired: { ...desired, instances, summaryTasks }, unmatched };
}
