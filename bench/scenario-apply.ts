import { generateState } from '../src/emulator/index.js';
import type { EmulatorHandle } from './emulator-handle.js';
import { changePolicy } from './estate-changes.js';
import { byOperation, measureReconcile } from './measure-reconcile.js';
import { applyMinimum, readMinimum, touchedInstances } from './minimum-requests.js';
import { policyOfState, withTempPolicyTree } from './policy-tree.js';
import type { ScenarioResult } from './report.js';
import { loadSetup, timeRatio } from './scenario-plan.js';
import { EQUAL_BUDGET_NOTE, throttleNote } from './throttle-notes.js';
import type { LoadSettings } from './scenario-plan.js';

const SHARE = 0.2;

/**
 * 2. Apply at scale: the same estate, with about 20% of the custom rules changed (creates,
 * updates, deletes, switches, reorders). preparePlan, then applyAndVerify; the apply's own calls
 * and the verification re-read are counted and timed apart.
 */
export async function applyAtScale(emulator: EmulatorHandle, s: LoadSettings, changeSeed: number): Promise<ScenarioResult> {
  const state = generateState(s.estate);
  await emulator.generate(s.estate);
  const changed = changePolicy(policyOfState(state), changeSeed, SHARE);
  await emulator.configure({ latency: { fixedMs: s.latencyMs }, rateLimit: { limit: s.rate, per: 'second' }, faults: null });
  await emulator.reset();
  const m = await withTempPolicyTree(changed.projects, 'apply', (dir) => measureReconcile(emulator, s, dir));
  const { plan, applied, split } = m;

  const readMin = readMinimum(state, changed.projects);
  const applyMin = applyMinimum(state, changed.projects);
  const verifyMin = readMinimum(await emulator.state(), changed.projects, touchedInstances(state, changed.projects));
  const outcomes = applied.apply.results.filter((r) => r.outcome !== 'applied').length;
  const switchCalls = applied.apply.results.filter((r) => r.kind === 'switch');
  const maxSwitchPerInstance = Math.max(0, ...Object.values(switchCalls.reduce<Record<string, number>>((n, r) => ({ ...n, [r.target]: (n[r.target] ?? 0) + r.calls }), {})));
  const applyOps = byOperation(split.apply);
  const throttledIn = (ops: readonly string[]): number => ops.filter((o) => o.endsWith(' 429')).length;
  const extraLists = (applyOps['ListAuditRuleRisksNew'] ?? 0) - (applyMin.byOperation['listRules'] ?? 0);
  return {
    title: '2. apply at scale',
    setup: { ...loadSetup(s, `R = ${s.rate}/s (emulator limit and client budget)`), changed: `${SHARE * 100}% of rules, seed ${changeSeed}: ${JSON.stringify(changed.drawn)}` },
    figures: [
      { name: 'plan: requests (client)', value: plan.client.requests, unit: 'req', target: { op: '=', value: readMin.total } },
      { name: 'plan: requests (emulator)', value: plan.server.requests, unit: 'req', target: { op: '=', value: readMin.total } },
      { name: 'plan: 429 answers', value: plan.server.throttled, unit: '' },
      { name: 'plan: wall time', value: Math.round(plan.ms), unit: 'ms' },
      { name: 'plan: time ratio', value: timeRatio(plan.ms, readMin.total, s.rate), unit: '×', target: { op: '<=', value: 1.15 } },
      { name: 'apply: requests (client)', value: m.apply.requests, unit: 'req', target: { op: '=', value: applyMin.total } },
      { name: 'apply: requests (emulator)', value: split.apply.length, unit: 'req', target: { op: '=', value: applyMin.total } },
      { name: 'apply: 429 answers', value: throttledIn(split.apply), unit: '' },
      { name: 'apply: wall time', value: Math.round(m.applyMs), unit: 'ms' },
      { name: 'apply: time ratio', value: timeRatio(m.applyMs, applyMin.total, s.rate), unit: '×', target: { op: '<=', value: 1.15 } },
      { name: 'apply: switch calls per instance (max)', value: maxSwitchPerInstance, unit: '', target: { op: '<=', value: 2 } },
      { name: 'apply: setRank calls', value: applyOps['SetRiskRuleRank'] ?? 0, unit: 'req', target: { op: '=', value: applyMin.byOperation['setRank'] ?? 0 } },
      { name: 'apply: changes not applied', value: outcomes, unit: '', target: { op: '=', value: 0 } },
      { name: 'verify: requests (client)', value: m.verify.requests, unit: 'req', target: { op: '=', value: verifyMin.total } },
      { name: 'verify: requests (emulator)', value: split.verify.length, unit: 'req', target: { op: '=', value: verifyMin.total } },
      { name: 'verify: 429 answers', value: throttledIn(split.verify), unit: '' },
      { name: 'verify: wall time', value: Math.round(m.verifyMs), unit: 'ms' },
      { name: 'verify: time ratio', value: timeRatio(m.verifyMs, verifyMin.total, s.rate), unit: '×', target: { op: '<=', value: 1.15 } },
      { name: 'not converged after apply', value: applied.leftover ? applied.leftover.changes.length + applied.leftover.errors.length : -1, unit: '', target: { op: '=', value: 0 } },
    ],
    notes: [
      `plan: ${plan.prepared.plan.changes.length} changes (${countKinds(plan.prepared.plan.changes)}); apply retries ${m.apply.retries}, verify retries ${m.verify.retries}`,
      `apply minimum by operation: ${JSON.stringify(applyMin.byOperation)}`,
      `apply emulator by operation: ${JSON.stringify(applyOps)}`,
      `verify minimum: ${JSON.stringify(verifyMin.byOperation)}; emulator: ${JSON.stringify(byOperation(split.verify))}`,
      ...(extraLists > 0
        ? [
            `apply lists ${extraLists} instance(s) more than needed: a reorder always re-lists its instance, even when the plan created nothing there and the ids and ranks read for the plan are still exact`,
          ]
        : []),
      ...(plan.server.throttled + throttledIn(split.apply) + throttledIn(split.verify) > 0 ? [EQUAL_BUDGET_NOTE, throttleNote(m.events)] : []),
    ],
  };
}

function countKinds(changes: readonly { kind: string }[]): string {
  return Object.entries(byOperation(changes.map((c) => c.kind))).map(([k, n]) => `${n} ${k}`).join(', ');
}
