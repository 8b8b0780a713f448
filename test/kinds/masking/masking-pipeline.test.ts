import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { EmulatorOptions, EmulatorState, FaultKind } from '../../../src/emulator/index.js';
import { DEMO_INSTANCES, DEMO_PROJECTS, demoState, startEmulator } from '../../../src/emulator/index.js';
import { maskingEmulator } from '../../../src/kinds/masking/emulator.js';
import type { ProfileEstate } from '../../convergence/profile-estate.js';
import { runPipeline } from '../../convergence/profile-estate.js';
import { call } from '../../emulator/helpers/call.js';
import { withOptions } from './helpers.js';

/**
 * Masking through the whole pipeline (policy YAML → read → plan → apply with read-back → plan):
 * one reconcile converges and the next plan is empty under every reading; with lost answers and
 * random faults it converges within three runs with no rule created twice and nothing
 * undeclared touched.
 */

const AK = 'CONVERGEACCESSKEY000';
const SK = 'converge-secret-never-printed';
// A declared name cannot span lines (the schema's nonBlank); a live one can (HAND_MADE).
const HOSTILE = 'card "no" ✓ 卡号 \u202e<b> \'x\'';
const HAND_MADE = 'hand\nmade \u202e"';

const POLICY = `version: 1
region: cn-north-4
project_id: ${DEMO_PROJECTS.payments}
instances:
  - name: prod-audit
    masking: ON
    result_set_storage: OFF
    mask_rules:
      - name: ${JSON.stringify(HOSTILE)}
        regex: '\\d{16}'
        mask_value: '****'
      - name: secret-off
        regex: 'secret-\\d+'
        mask_value: 'secret-*'
        status: OFF
    system_mask_rules:
      Bank card number: OFF
`;

interface StoredRule {
  name: string;
  builtIn: boolean;
  status: string;
  regex: string;
}
const maskingOf = (s: EmulatorState) =>
  s.projects[DEMO_PROJECTS.payments]!.instances.find((i) => i.id === DEMO_INSTANCES.prodAudit)!.kinds?.['masking'] as { maskSwitch: string; resultSwitch: string; rules: StoredRule[] };

let open: ProfileEstate | undefined;
afterEach(async () => {
  await open?.close();
  open = undefined;
});

async function estate(options: EmulatorOptions): Promise<ProfileEstate> {
  const initial = demoState();
  const emulator = await startEmulator({ state: initial, auth: { credentials: [{ ak: AK, sk: SK }], tokens: [] }, ...options });
  const dir = await mkdtemp(join(tmpdir(), 'dbss-masking-'));
  const policies = join(dir, 'policies');
  await mkdir(policies);
  await writeFile(join(policies, 'payments.yaml'), POLICY);
  // a rule nobody declares, made by hand, with a name that spans lines: left alone, and said escaped
  const made = await call(emulator.url, 'POST', `/v1/${DEMO_PROJECTS.payments}/audit/${DEMO_INSTANCES.prodAudit}/sensitive/mask/rule`, {
    auth: { key: { ak: AK, sk: SK } },
    body: { rule_name: HAND_MADE, mask_regex: 'h', mask_value: 'm' },
  });
  expect(made.json).toEqual({ status: 'SUCCESS' });
  emulator.resetCounters();
  open = { emulator, policies, initial, close: async () => (await emulator.close(), await rm(dir, { recursive: true, force: true })) };
  return open;
}

function expectConverged(e: ProfileEstate, transcript: string): void {
  const m = maskingOf(e.emulator.state);
  expect([m.maskSwitch, m.resultSwitch], transcript).toEqual(['ON', 'OFF']);
  const customs = m.rules.filter((r) => !r.builtIn);
  expect(customs.map((r) => [r.name, r.regex, r.status]), transcript).toEqual([
    [HAND_MADE, 'h', expect.any(String)],
    [HOSTILE, '\\d{16}', 'ON'],
    ['secret-off', 'secret-\\d+', 'OFF'],
  ]);
  expect(m.rules.find((r) => r.name === 'Bank card number')?.status).toBe('OFF');
  expect(m.rules.filter((r) => r.builtIn && r.name !== 'Bank card number').every((r) => r.status === 'ON')).toBe(true);
  const staging = e.emulator.state.projects[DEMO_PROJECTS.payments]!.instances.find((i) => i.id === DEMO_INSTANCES.stagingAudit)!;
  expect(staging.kinds?.['masking'], 'an undeclared instance is not touched').toBeUndefined();
}

const READINGS: [string, EmulatorOptions['profile']][] = [
  ...Object.keys(maskingEmulator.profiles).map((n): [string, EmulatorOptions['profile']] => [`profile ${n}`, n]),
  ['maskCreatedStatus=OFF', withOptions({ maskCreatedStatus: 'OFF' })],
  ['maskListTotal=absent', withOptions({ maskListTotal: 'absent' })],
];

describe('masking through plan and apply', () => {
  for (const [label, profile] of READINGS) {
    it(`one reconcile converges and the next plan is empty: ${label}`, async () => {
      const e = await estate({ profile });
      const first = await runPipeline(e, 'reconcile');
      const again = await runPipeline(e, 'plan');
      const transcript = `${first.output}\n---\n${again.output}`;
      expect(first.code, transcript).toBe(0);
      expect(again.code, transcript).toBe(0);
      expectConverged(e, transcript);
      expect(first.output).toContain('卡号');
      // the name's newline and bidi control reach the output escaped, never raw
      expect(first.output).not.toContain('hand\nmade');
      expect(first.output).not.toContain('\u202e');
    });
  }

  for (const operation of ['CreateSensitiveMaskRule', 'SetSensitiveMaskRuleSwitch', 'SetSensitiveSwitch', 'SetSensitiveResultSwitch']) {
    it(`a lost answer of ${operation} (hostile profile) is decided by the read-back: converged, each rule created once`, async () => {
      const e = await estate({ profile: 'hostile' });
      e.emulator.failNext(operation, 'lost-response');
      const runs = [await runPipeline(e, 'reconcile')];
      if (runs[0]!.code !== 0) runs.push(await runPipeline(e, 'reconcile'));
      const again = await runPipeline(e, 'plan');
      const transcript = [...runs, again].map((r) => r.output).join('\n---\n');
      expect(again.code, transcript).toBe(0);
      expect(e.emulator.counters().byOperation['CreateSensitiveMaskRule'], transcript).toBe(2);
      expectConverged(e, transcript);
    });
  }

  it('with a quarter of masking requests failing (lost answers included) it converges within three runs, no rule twice', async () => {
    const CHAOS: FaultKind[] = ['429', '500', '502', '504', 'reset', 'lost-response'];
    const e = await estate({ profile: 'hostile', seed: 7 });
    e.emulator.configure({ faults: { rate: 0.25, kinds: CHAOS, operations: maskingEmulator.routes.map((r) => r.operation) } });
    const runs = [];
    for (let i = 0; i < 3; i++) {
      const r = await runPipeline(e, 'reconcile');
      runs.push(r);
      if (r.code === 0) break;
    }
    expect(e.emulator.counters().faults, 'faults were injected').toBeGreaterThan(0);
    e.emulator.configure({ faults: null });
    const again = await runPipeline(e, 'plan');
    const transcript = [...runs, again].map((r, i) => `--- run ${i + 1}: exit ${r.code}\n${r.output}`).join('\n');
    expect(again.code, transcript).toBe(0);
    const names = maskingOf(e.emulator.state).rules.map((r) => r.name);
    expect(new Set(names).size, transcript).toBe(names.length);
    expectConverged(e, transcript);
  });
});
