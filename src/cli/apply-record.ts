import type { ApplyResult, ChangeOutcome } from '../apply/types.js';
import type { ClientStats } from '../api/types.js';
import type { ClientPool } from '../live/client-pool.js';
import type { Plan } from '../plan/types.js';
import type { AppliedPlan, PreparedPlan } from '../run/reconcile.js';
import { outcomeCounts } from '../render/render-result.js';
import { toolVersion } from '../version.js';

/**
 * The machine-readable record of one apply: what `--report FILE` writes and what
 * `reconcile --format json` prints as its `result`.
 */
export interface ApplyRecord {
  /** Version of this record's format. */
  readonly reportVersion: 1;
  /** dbss-policy version that applied. */
  readonly toolVersion: string;
  /** When the apply started (ISO 8601). */
  readonly startedAt: string;
  /** When it finished, verification included (ISO 8601). */
  readonly finishedAt: string;
  /** finishedAt - startedAt, ms. */
  readonly durationMs: number;
  /** Fingerprint of the live state the plan came from. */
  readonly liveFingerprint: string;
  /** Hash of the desired state the plan came from. */
  readonly desiredHash: string;
  /** True when SIGINT/SIGTERM or --max-duration stopped the apply. */
  readonly interrupted: boolean;
  /** Number of changes per outcome. */
  readonly outcomes: Record<ChangeOutcome, number>;
  /** One result per change, in plan order. */
  readonly results: ApplyResult['results'];
  /** Targets the plan could not read or plan. */
  readonly planErrors: Plan['errors'];
  /** True when the touched targets were read again after the apply. */
  readonly verified: boolean;
  /** What the re-read still found to change or could not read. */
  readonly notConverged: {
    /** Changes still pending. */
    readonly changes: readonly { id: string; kind: string; target: string }[];
    /** Targets the re-read could not read or plan. */
    readonly errors: Plan['errors'];
  };
  /** API calls of the whole run. */
  readonly calls: ClientStats;
}

/** The record of an apply that started at `started` and has just finished. */
export function applyRecord(r: { started: Date; prepared: Pick<PreparedPlan, 'plan'>; applied: AppliedPlan; pool: ClientPool }): ApplyRecord {
  const finished = new Date();
  return {
    reportVersion: 1,
    toolVersion: toolVersion(),
    startedAt: r.started.toISOString(),
    finishedAt: finished.toISOString(),
    durationMs: finished.getTime() - r.started.getTime(),
    liveFingerprint: r.prepared.plan.liveFingerprint,
    desiredHash: r.prepared.plan.desiredHash,
    interrupted: r.applied.apply.interrupted,
    outcomes: outcomeCounts(r.applied.apply),
    results: r.applied.apply.results,
    planErrors: r.prepared.plan.errors,
    verified: r.applied.leftover !== undefined,
    notConverged: {
      changes: (r.applied.leftover?.changes ?? []).map((c) => ({ id: c.id, kind: c.kind, target: c.target })),
      errors: r.applied.leftover?.errors ?? [],
    },
    calls: r.pool.stats(),
  };
}

/**
 * `reconcile --format json`: one document, the plan exactly as `plan --format json` prints it
 * and the apply's record, null when nothing was applied (--dry-run, an empty plan, a refused or
 * cancelled plan).
 */
export function reconcileJson(plan: Plan, result: ApplyRecord | undefined): string {
  return `${JSON.stringify({ plan, result: result ?? null }, null, 2)}\n`;
}
