import type { ClientStats } from '../src/api/index.js';
import type { EmulatorCounters } from '../src/emulator/index.js';
import { applyAndVerify, preparePlan } from '../src/run/reconcile.js';
import type { AppliedPlan, PreparedPlan } from '../src/run/reconcile.js';
import type { EmulatorHandle } from './emulator-handle.js';
import { benchInputs, benchPool, requestsBetween, timed } from './pipeline.js';
import type { EventTally } from './pipeline.js';
import type { LoadSettings } from './scenario-plan.js';

/** Requests counted by the client between two points. */
type Requests = ReturnType<typeof requestsBetween>;

/** The three phases of one reconcile (plan, apply, verification re-read), timed and counted apart. */
export interface MeasuredReconcile {
  /** The plan: what preparePlan returned, its wall time, the client's and the emulator's counters. */
  readonly plan: { readonly prepared: PreparedPlan; readonly ms: number; readonly client: ClientStats; readonly server: EmulatorCounters };
  /** What applyAndVerify returned. */
  readonly applied: AppliedPlan;
  /** Wall time of the apply, ms. */
  readonly applyMs: number;
  /** Wall time of the verification re-read and re-plan, ms. */
  readonly verifyMs: number;
  /** Client requests of the apply. */
  readonly apply: Requests;
  /** Client requests of the verification. */
  readonly verify: Requests;
  /** Client events of the whole reconcile (429s, retries). */
  readonly events: EventTally;
  /** The emulator's answered `operation status` entries, split between apply and verification. */
  readonly split: { readonly apply: string[]; readonly verify: string[] };
}

/**
 * Splits the emulator's answered operations at the verification: the apply never lists
 * instances and the verification starts with the instance list (no summary task is declared),
 * so everything answered before the first instance list belongs to the apply.
 */
function splitAtVerification(operations: readonly string[]): { apply: string[]; verify: string[] } {
  const at = operations.findIndex((o) => o.startsWith('ListAuditInstances'));
  return at < 0 ? { apply: [...operations], verify: [] } : { apply: operations.slice(0, at), verify: operations.slice(at) };
}

/** Count of each operation name in `operation status` entries (or plain names). */
export const byOperation = (ops: readonly string[]): Record<string, number> => {
  const out: Record<string, number> = {};
  for (const o of ops) {
    const name = o.split(' ')[0]!;
    out[name] = (out[name] ?? 0) + 1;
  }
  return out;
};

/**
 * preparePlan, then applyAndVerify on the policy tree at `dir`. The client's counters are read
 * when the last change finishes (the verification starts right after), the emulator's are split
 * by splitAtVerification.
 */
export async function measureReconcile(emulator: EmulatorHandle, s: LoadSettings, dir: string): Promise<MeasuredReconcile> {
  const { pool, events } = benchPool({ endpoint: emulator.url, credential: s.credential, rateLimit: { requests: s.rate, perMs: 1000 }, concurrency: s.concurrency });
  const inputs = benchInputs(dir, pool);
  try {
    const { value: prepared, ms } = await timed(() => preparePlan(inputs));
    const planServer = await emulator.counters();
    await emulator.reset();
    const afterPlan = pool.stats();
    let afterApply = afterPlan;
    let applyEnd = 0;
    const started = performance.now();
    const applied = await applyAndVerify(prepared, inputs, {
      onProgress: (p) => {
        if (p.done !== p.total) return;
        afterApply = pool.stats();
        applyEnd = performance.now();
      },
    });
    const verifyMs = performance.now() - applyEnd;
    return {
      plan: { prepared, ms, client: afterPlan, server: planServer },
      applied,
      applyMs: applyEnd - started,
      verifyMs,
      apply: requestsBetween(afterPlan, afterApply),
      verify: requestsBetween(afterApply, pool.stats()),
      events,
      split: splitAtVerification(await emulator.operations()),
    };
  } finally {
    await pool.close();
  }
}
