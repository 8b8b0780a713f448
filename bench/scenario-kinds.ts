import { generateState } from '../src/emulator/index.js';
import { KINDS } from '../src/kinds/registry.js';
import { applyPlan } from '../src/apply/apply-plan.js';
import { preparePlan } from '../src/run/reconcile.js';
import type { EmulatorHandle } from './emulator-handle.js';
import { KIND_LIST_REQUESTS, KIND_SAMPLES } from './kind-samples.js';
import { readMinimum } from './minimum-requests.js';
import { benchInputs, benchPool, timed } from './pipeline.js';
import { policyOfState, withTempPolicyTree } from './policy-tree.js';
import type { PolicyProject } from './policy-tree.js';
import type { ScenarioResult } from './report.js';
import type { LoadSettings } from './scenario-plan.js';
import { loadSetup } from './scenario-plan.js';
import { EQUAL_BUDGET_NOTE } from './throttle-notes.js';

/**
 * 7. Every kind declared: the estate's risk rules as they are plus every other kind's sample on
 * every instance. One reconcile creates the kinds' objects; then a no-change plan must send
 * exactly the minimum: the instance lists, each instance's rule list and shows, and each kind's
 * list pages (KIND_LIST_REQUESTS), nothing more.
 */
export async function kindsPlan(emulator: EmulatorHandle, s: LoadSettings): Promise<ScenarioResult> {
  const missing = KINDS.map((k) => k.name).filter((n) => KIND_SAMPLES[n] === undefined || KIND_LIST_REQUESTS[n] === undefined);
  if (missing.length > 0) throw new Error(`bench: no sample or list minimum for kind ${missing.join(', ')} (bench/kind-samples.ts)`);
  await emulator.generate(s.estate);
  const state = generateState(s.estate);
  const projects: PolicyProject[] = policyOfState(state).map((p) => ({
    ...p,
    instances: p.instances.map((inst, i) => Object.assign({ ...inst }, ...KINDS.map((k) => KIND_SAMPLES[k.name]!(i)))),
  }));
  await emulator.configure({ latency: { fixedMs: s.latencyMs }, rateLimit: { limit: s.rate, per: 'second' }, faults: null });
  const settings = { endpoint: emulator.url, credential: s.credential, rateLimit: { requests: s.rate, perMs: 1000 }, concurrency: s.concurrency };
  return withTempPolicyTree(projects, 'kinds', async (dir) => {
    const setup = benchPool(settings);
    const first = await preparePlan(benchInputs(dir, setup.pool));
    const applied = await applyPlan(first.plan, { pool: setup.pool });
    await setup.pool.close();
    const failed = applied.results.filter((r) => r.outcome !== 'applied').length;
    // The objects each kind now holds on each instance (custom and built in), for the minimum.
    const { pool } = benchPool(settings);
    let kindLists = 0;
    const byKind: Record<string, number> = {};
    for (const p of projects) {
      for (const inst of state.projects[p.project_id]!.instances) {
        for (const k of KINDS) {
          const live = await k.read(pool.client(p.region, p.project_id).kinds, { projectId: p.project_id, instanceId: inst.id });
          const n = KIND_LIST_REQUESTS[k.name]!(live.objects.length);
          byKind[k.name] = (byKind[k.name] ?? 0) + n;
          kindLists += n;
        }
      }
    }
    await pool.close();
    await emulator.reset();
    const measured = benchPool(settings);
    const plan = await timed(() => preparePlan(benchInputs(dir, measured.pool)));
    const client = measured.pool.stats();
    await measured.pool.close();
    const server = await emulator.counters();
    const risk = readMinimum(state, projects);
    const minimum = risk.total + kindLists;
    return {
      title: '7. no-change plan with every kind declared',
      setup: { ...loadSetup(s, `R = ${s.rate}/s`), kinds: KINDS.map((k) => k.name).join(', ') },
      figures: [
        { name: 'first reconcile: changes', value: first.plan.changes.length, unit: '' },
        { name: 'first reconcile: changes not applied', value: failed, unit: '', target: { op: '=', value: 0 } },
        { name: 'wall time (no-change plan)', value: Math.round(plan.ms), unit: 'ms' },
        { name: 'requests (client)', value: client.requests, unit: 'req' },
        { name: 'requests (emulator)', value: server.requests, unit: 'req' },
        { name: '429 answers (each one retried)', value: server.throttled, unit: '' },
        { name: 'requests − 429s', value: server.requests - server.throttled, unit: 'req', target: { op: '=', value: minimum } },
        { name: 'minimum requests', value: minimum, unit: 'req' },
        { name: 'plan changes / errors', value: plan.value.plan.changes.length + plan.value.plan.errors.length, unit: '', target: { op: '=', value: 0, source: 'policy = estate' } },
      ],
      notes: [
        ...(server.throttled > 0 ? [EQUAL_BUDGET_NOTE] : []),
        `minimum: risk rules ${JSON.stringify(risk.byOperation)}, kind lists ${JSON.stringify(byKind)}; emulator: ${JSON.stringify(server.byOperation)}`,
      ],
    };
  });
}
