import { describe, expect, it } from 'vitest';
import type { Json } from '../../../src/kinds/kind.js';
import { maskingEmulator } from '../../../src/kinds/masking/emulator.js';
import { call } from '../../emulator/helpers/call.js';
import { cycle, declare, rig, served, TARGET, withOptions } from './helpers.js';

/**
 * The masking kind's read → plan → write → read → shows cycle against the emulator over a real
 * socket (the client's generic kind calls), under every reading of the open points: each option
 * value alone and each named profile. One cycle converges (the second plan is empty) with a
 * hostile rule name intact.
 */

const HOSTILE = 'card "no"\n✓ 卡号 \'x\' <b>&amp;';
const RULES = `/v1/${TARGET.projectId}/audit/${TARGET.instanceId}/sensitive/mask/rule`;

/** Custom rules made by hand before the run (through the emulator's HTTP API), all ON. */
async function seed(url: string): Promise<void> {
  for (const [name, regex] of [
    ['email', '[\\w.]+@[\\w.]+'],
    ['stale', 'old'],
    ['to-off', 'x'],
  ]) {
    const r = await call(url, 'POST', RULES, { body: { rule_name: name, mask_regex: regex, mask_value: name === 'to-off' ? 'y' : '***' } });
    expect(r.json).toEqual({ status: 'SUCCESS' });
  }
  const listed = await call(url, 'GET', `${RULES}?limit=1000`);
  const ids = (listed.json.rules as { id: string; type: string }[]).filter((r) => r.type !== 'BUILD_IN' && r.id.length > 0).map((r) => r.id);
  // ON whatever status a created rule starts with under the reading
  const on = await call(url, 'POST', `/v2/${TARGET.projectId}/audit/${TARGET.instanceId}/sensitive/mask/rule/switch`, { body: { ids: ids.slice(-3), status: 'ON' } });
  expect(on.json).toEqual({ status: 'SUCCESS' });
}

const POLICY: Record<string, Json> = {
  masking: 'ON',
  result_set_storage: 'OFF',
  mask_rules: [
    { name: HOSTILE, regex: '\\d{16}', mask_value: '****' },
    { name: 'new-off', regex: 'secret-\\d+', mask_value: 'secret-*', status: 'OFF' },
    { name: 'email', regex: '\\S+@\\S+', mask_value: '***' },
    { name: 'to-off', regex: 'x', mask_value: 'y', status: 'OFF' },
  ],
  system_mask_rules: { 'Bank card number': 'OFF' },
};

const defaultsOf = (): Record<string, string> => Object.fromEntries(Object.entries(maskingEmulator.options).map(([k, v]) => [k, v[0]]));

const READINGS: [string, Parameters<typeof rig>[0]][] = [
  ...Object.entries(maskingEmulator.options).flatMap(([option, values]) => values.map((v): [string, Parameters<typeof rig>[0]] => [`${option}=${v}`, { profile: withOptions({ [option]: v }) }])),
  ...Object.keys(maskingEmulator.profiles).map((name): [string, Parameters<typeof rig>[0]] => [`profile ${name}`, { profile: name }]),
];

describe('masking converges in one cycle under every reading', () => {
  it('covers every option value and the hostile and default profiles', () => {
    expect(READINGS.map(([label]) => label)).toEqual(expect.arrayContaining(['maskCreatedStatus=ON', 'maskCreatedStatus=OFF', 'profile hostile', 'profile default']));
  });

  for (const [label, options] of READINGS) {
    it(label, async () => {
      const { emulator, client } = await rig(options);
      await seed(emulator.url);
      emulator.resetCounters();
      const c = await cycle(client, declare(POLICY, true));
      expect(c.plan.problems).toEqual([]);
      expect(c.plan.changes.map((x) => `${x.op} ${x.subject}`).sort()).toEqual(
        ['set masking', 'set result_set_storage', 'update email', 'switch OFF', `create ${HOSTILE}`, 'create new-off', 'delete stale'].sort(),
      );
      expect(c.shown.filter((s) => !s.shown).map((s) => `${s.change.op} ${s.change.subject}`)).toEqual([]);
      expect(c.again.changes).toEqual([]);
      expect(c.again.problems).toEqual([]);
      const byName = Object.fromEntries(c.live.objects.map((o) => [o.key, o]));
      expect(byName[HOSTILE]?.spec).toEqual({ regex: '\\d{16}', mask_value: '****', status: 'ON' });
      expect(byName['new-off']?.spec['status']).toBe('OFF');
      expect(byName['Bank card number']).toMatchObject({ builtIn: true, spec: { status: 'OFF' } });
      expect(byName['stale']).toBeUndefined();
      expect(c.live.settings).toEqual({ masking: 'ON', result_set_storage: 'OFF' });
      // what a read can settle of the reading (for probe); the created status only a create shows
      const { maskCreatedStatus: _, ...readable } = { ...defaultsOf(), ...(typeof options?.profile === 'string' ? maskingEmulator.profiles[options.profile] : options?.profile?.kinds) };
      expect(c.live.learned).toEqual(readable);
      // one create of each rule, never twice; one planned switch batch plus one status switch of the rule created the other way
      const n = served(emulator);
      expect(n['CreateSensitiveMaskRule']).toBe(2);
      expect(n['SetSensitiveMaskRuleSwitch']).toBe(2);
    });
  }
});
