import { runMeasuredChild } from './measured-child.js';
import type { ScenarioResult } from './report.js';

const MB = 1024 * 1024;

/**
 * 6. Guardrails cost: the example library (examples/guardrails/estate.yaml, every guardrail on
 * every instance) evaluated by planGuardrails over `instances` × `rules` declared and live, in a
 * fresh child. Target (issue 21): under 2 s CPU, so that guardrails add at most about as much as
 * planning itself (computePlan is under 1 s at this size) to a plan of the whole estate.
 * Reproduce: `npm run bench -- --only guardrails`.
 */
export async function guardrailsCost(instances: number, rules: number, seed: number): Promise<ScenarioResult> {
  const m = await runMeasuredChild('./guardrails-cost-child.js', [String(instances), String(rules), String(seed)]);
  const perRule = (m.counts['guardrails'] ?? 0) > 0 ? 1 : 0;
  return {
    title: '6. guardrails cost',
    setup: { estate: `${instances} instances × ${rules} custom rules, declared and live`, guardrails: 'examples/guardrails/estate.yaml, match *', seed },
    figures: [
      { name: 'planGuardrails CPU time', value: Math.round(m.cpuMs), unit: 'ms', target: { op: '<', value: 2000, source: 'issue 21' } },
      { name: 'planGuardrails wall time', value: Math.round(m.wallMs), unit: 'ms' },
      { name: 'peak heap over its inputs', value: Math.round((m.heapPeak - m.heapBefore) / MB), unit: 'MB' },
      { name: 'guardrails evaluated', value: m.counts['guardrails'] ?? 0, unit: '', target: { op: '=', value: 4 } },
      { name: 'instances', value: m.counts['instances'] ?? 0, unit: '', target: { op: '=', value: instances } },
      { name: 'declared rules', value: m.counts['rules'] ?? 0, unit: '', target: { op: '=', value: instances * rules } },
      { name: 'violations', value: m.counts['violations'] ?? 0, unit: '' },
      { name: 'evaluation errors', value: m.counts['errors'] ?? 0, unit: '', target: { op: '=', value: 0 } },
    ],
    notes: [
      `per state: ${instances} × 3 instance guardrails (the DROP TABLE one walks up to ${rules} rules with exists) and ${instances * rules * perRule} evaluations of the per-rule one; both states double that`,
      'one cold call (JIT warm-up included); CPU time counts every thread of the process',
    ],
  };
}
