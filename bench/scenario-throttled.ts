import { generateState } from '../src/emulator/index.js';
import { preparePlan } from '../src/run/reconcile.js';
import type { EmulatorHandle } from './emulator-handle.js';
import { readMinimum } from './minimum-requests.js';
import { benchInputs, benchPool, timed } from './pipeline.js';
import { policyOfState, withTempPolicyTree } from './policy-tree.js';
import type { ScenarioResult } from './report.js';
import { throttleNote } from './throttle-notes.js';
import { loadSetup, timeRatio } from './scenario-plan.js';
import type { LoadSettings } from './scenario-plan.js';

/**
 * 3. Throttled: the emulator's limit (s.rate) is below the client's configured budget
 * (`clientRate`). The plan read must finish without an error, close to the real limit: the time
 * ratio is taken against the emulator's limit. Every 429 costs one extra request.
 */
export async function throttled(emulator: EmulatorHandle, s: LoadSettings, clientRate: number): Promise<ScenarioResult> {
  const state = generateState(s.estate);
  await emulator.generate(s.estate);
  const projects = policyOfState(state);
  await emulator.configure({ latency: { fixedMs: s.latencyMs }, rateLimit: { limit: s.rate, per: 'second' }, faults: null });
  await emulator.reset();
  const { pool, events } = benchPool({ endpoint: emulator.url, credential: s.credential, rateLimit: { requests: clientRate, perMs: 1000 }, concurrency: s.concurrency });
  const { value: prepared, ms } = await withTempPolicyTree(projects, 'throttled', (dir) => timed(() => preparePlan(benchInputs(dir, pool))));
  const client = pool.stats();
  await pool.close();
  const server = await emulator.counters();
  const minimum = readMinimum(state, projects);
  const errors = prepared.plan.errors.length + prepared.live.errors.length;
  const ratio = timeRatio(ms, minimum.total, s.rate);
  return {
    title: '3. throttled',
    setup: loadSetup(s, `emulator limit ${s.rate}/s, client budget ${clientRate}/s`),
    figures: [
      { name: 'wall time', value: Math.round(ms), unit: 'ms' },
      { name: '429 answers (emulator)', value: server.throttled, unit: '' },
      { name: 'throttled events (client)', value: events.throttled, unit: '' },
      { name: 'requests (client)', value: client.requests, unit: 'req' },
      { name: 'minimum requests', value: minimum.total, unit: 'req' },
      { name: 'requests − 429s − minimum', value: server.requests - server.throttled - minimum.total, unit: 'req', target: { op: '=', value: 0 } },
      { name: 'time ratio vs real limit', value: ratio, unit: '×', target: { op: '<=', value: 1.3 } },
      { name: 'achieved rate (minimum / wall time)', value: Math.round(minimum.total / (ms / 1000)), unit: 'req/s' },
      { name: 'lowest client rate after a 429', value: events.lowestRate ?? clientRate, unit: 'req/s' },
      { name: 'errors', value: errors, unit: '', target: { op: '=', value: 0 } },
    ],
    notes: [
      'the 429 body states the limit (APIG.0308 "limit:N,time:1 second"); the client paces at 90% of it once throttled (one slow-down per episode) and recovers by 1/20 of the ceiling per success',
      ...(events.throttled > 0 ? [throttleNote(events)] : []),
    ],
  };
}
