import { runMeasuredChild } from './measured-child.js';
import type { Figure, ScenarioResult } from './report.js';

const MB = 1024 * 1024;

/**
 * What CPU profiles of this call showed (node --cpu-prof, 1000 × 100, 20% changed), and what was
 * done about it; kept for whoever optimises next.
 */
const PROFILE_NOTE =
  'profiles (node --cpu-prof, the sampling heap profiler with collected objects kept, --trace-opt/--trace-deopt; 1000 × 100, 20% changed): before issue 14, 1.74 s CPU, mostly the two stale-plan fingerprints and garbage collection over the 200 MB input heap (410 MB allocated per call); issue 14 computed the fingerprints only when a plan is saved or applied. Later, 1.39–1.49 s again: a merge had brought back a list copy per rank move, and V8 recompiled the large planInstance many times (a deopt loop on spread arrays in the reorder preview). Now rank moves run in place, the preview names moved rules without computing calls, an update is reviewed over its changed fields only, planInstance is split in three, and 130 MB is allocated. The call itself takes about 0.36 s warm; about half of the cold CPU figure is TurboFan compiling on a background thread (about 0.67 s of compile jobs per cold call in --trace-opt).';

/** One computePlan measurement in a fresh child: `share` of the rules changed. */
async function measure(instances: number, rules: number, seed: number, share: number, label: string): Promise<{ figures: Figure[]; note: string }> {
  const m = await runMeasuredChild('./planning-cost-child.js', [String(instances), String(rules), String(seed), String(share)]);
  return {
    figures: [
      { name: `computePlan CPU time, ${label}`, value: Math.round(m.cpuMs), unit: 'ms', target: { op: '<', value: 1000 } },
      { name: `computePlan wall time, ${label}`, value: Math.round(m.wallMs), unit: 'ms' },
      { name: `peak heap over its inputs, ${label}`, value: Math.round((m.heapPeak - m.heapBefore) / MB), unit: 'MB', target: { op: '<', value: 300 } },
      { name: `changes planned, ${label}`, value: m.counts['changes'] ?? 0, unit: '' },
    ],
    note: `${label}: heap of the inputs ${Math.round(m.heapBefore / MB)} MB, process peak RSS ${Math.round(m.peakRss / MB)} MB; the stale-plan fingerprints that saving or applying the plan adds (timed apart, warm): liveFingerprint ${m.counts['liveFingerprintMs']} ms, desiredHash ${m.counts['desiredHashMs']} ms`,
  };
}

/**
 * 4. Pure planning cost: computePlan over `instances` × `rules` in memory, with no change and
 * with 20% of the rules changed, each in a fresh child process; CPU time of the call (GC threads
 * included) and its heap. Reproduce: `npm run bench -- --only planning`.
 */
export async function planningCost(instances: number, rules: number, seed: number): Promise<ScenarioResult> {
  const same = await measure(instances, rules, seed, 0, 'no change');
  const changed = await measure(instances, rules, seed, 0.2, '20% changed');
  return {
    title: '4. pure planning cost',
    setup: { estate: `${instances} instances × ${rules} custom rules (+4 system)`, seed },
    figures: [...same.figures, ...changed.figures],
    notes: [
      "peak heap is the most heap in use during the call (V8 GC profiler) minus the heap before it (its inputs, after a full GC)",
      'one cold call each (JIT warm-up included); CPU time counts every thread of the process, so parallel GC and the JIT compiler thread count too',
      same.note,
      changed.note,
      PROFILE_NOTE,
    ],
  };
}
