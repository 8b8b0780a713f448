import { runMeasuredChild } from './measured-child.js';
import type { ScenarioResult } from './report.js';

const MB = 1024 * 1024;

/** What CPU profiles of this call showed (node --cpu-prof, 1000 × 100, 20% changed), before and after optimising it. */
const SLOW_PLAN_NOTE =
  'a profile at commit 91021cb (4.2 s CPU, 224 MB) showed 55% in the two stale-plan fingerprints, 30% in the rule diff and 10% in per-instance scans; after line-streamed fingerprints, a raw-field fast path in the rule diff and indexed checks, about 40% is still the fingerprints (JSON lines of 100,000 rules through sha256; JSON.stringify measured faster than hand-built strings) and the rest is planning and garbage collection over a 200 MB input heap. The figure is one cold call with JIT warm-up (warm calls take about 0.9 s wall); under 1 s CPU would need the fingerprints computed only when a plan is saved or applied from a file';

/**
 * 4. Pure planning cost: computePlan over `instances` × `rules` in memory (20% of the rules
 * changed), in a fresh child process; CPU time of the call and the child's peak RSS.
 */
export async function planningCost(instances: number, rules: number, seed: number): Promise<ScenarioResult> {
  const m = await runMeasuredChild('./planning-cost-child.js', [String(instances), String(rules), String(seed)]);
  return {
    title: '4. pure planning cost',
    setup: { estate: `${instances} instances × ${rules} custom rules (+4 system)`, changed: '20% of rules', seed },
    figures: [
      { name: 'computePlan CPU time', value: Math.round(m.cpuMs), unit: 'ms', target: { op: '<', value: 1000 } },
      { name: 'computePlan wall time', value: Math.round(m.wallMs), unit: 'ms' },
      { name: 'computePlan peak memory (heap over its inputs)', value: Math.round((m.heapPeak - m.heapBefore) / MB), unit: 'MB', target: { op: '<', value: 300 } },
      { name: 'heap of the inputs (desired + live)', value: Math.round(m.heapBefore / MB), unit: 'MB' },
      { name: 'peak RSS of the process', value: Math.round(m.peakRss / MB), unit: 'MB' },
      { name: 'changes planned', value: m.counts['changes'] ?? 0, unit: '' },
    ],
    notes: [
      "computePlan's peak memory is the most heap in use during the call (V8 GC profiler) minus the heap before it (its inputs, after a full GC)",
      'peak RSS is the whole child process: node itself, building the estate and the inputs, and the plan',
      'one cold call (JIT warm-up included), no refusals expected at 20% changed',
      `of which the stale-plan fingerprints (timed apart, warm): liveFingerprint ${m.counts['liveFingerprintMs']} ms, desiredHash ${m.counts['desiredHashMs']} ms`,
      ...(m.cpuMs >= 1000 ? [SLOW_PLAN_NOTE] : []),
    ],
  };
}
