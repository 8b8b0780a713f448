import { runMeasuredChild } from './measured-child.js';
import type { ScenarioResult } from './report.js';

const MB = 1024 * 1024;

/** What a CPU profile of this call showed at commit 91021cb (4.2 s; node --cpu-prof, 1000 × 100, 20% changed). */
const SLOW_PLAN_NOTE =
  'a profile at commit 91021cb (4.2 s CPU) showed about 55% in the two fingerprints (canonicalJson re-sorts the keys of every object through a JSON.stringify replacer; liveFingerprint normalises every rule detail a second time), 30% in planInstance (differingFields normalises both sides of every rule, IP canonicalisation included, and JSON-stringifies each field to compare), 10% in safetyRefusals and instanceProblems (each scans all changes or all rules once per instance). A throw-away prototype hashing plain JSON.stringify of objects built in a fixed key order, normalising each rule once and indexing by target and name took it from about 4.2 s to 2.9 s; under 1 s also needs a fast path in the rule diff (compare the raw fields first, normalise only on a mismatch)';

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
