import { describe, expect, it } from 'vitest';
import { masking } from '../../../src/kinds/masking/index.js';
import { call } from '../../emulator/helpers/call.js';
import { cycle, declare, rig, served, TARGET, withOptions } from './helpers.js';

/**
 * Reading only what is declared: each switch is one GET, the rule list is read only for
 * declared, switched or pruned rules; and a created rule is switched only when it starts with
 * another status than the declared one.
 */

const LIST = 'ListAuditSensitiveMasksNew';

describe('a masking read reads only the declared parts', () => {
  it('masking alone: one GET of the masking switch, no list, no result-set switch', async () => {
    const { emulator, client } = await rig();
    const live = await masking.read(client.kinds, TARGET, declare({ masking: 'ON' }));
    expect(served(emulator)).toEqual({ ShowSensitiveMaskSwitch: 1 });
    expect(live).toEqual({ objects: [], settings: { masking: 'OFF' }, observations: [] });
  });

  it('both switches: one GET each', async () => {
    const { emulator, client } = await rig();
    await masking.read(client.kinds, TARGET, declare({ masking: 'ON', result_set_storage: 'OFF' }));
    expect(served(emulator)).toEqual({ ShowSensitiveMaskSwitch: 1, ShowSensitiveResultSwitch: 1 });
  });

  it('mask rules alone: the list pages only (5 built-in rules in pages of 2 = 3 pages), no switch', async () => {
    const { emulator, client } = await rig({}, 2);
    const live = await masking.read(client.kinds, TARGET, declare({ mask_rules: [{ name: 'a', regex: 'a', mask_value: '*' }] }));
    expect(served(emulator)).toEqual({ [LIST]: 3 });
    expect(live.objects).toHaveLength(5);
    expect(live.settings).toEqual({});
  });

  it('built-in switches alone, or an empty mask_rules with prune, read the list and no switch', async () => {
    const { emulator, client } = await rig();
    await masking.read(client.kinds, TARGET, declare({ system_mask_rules: { 'Email address': 'ON' } }));
    await masking.read(client.kinds, TARGET, declare({ mask_rules: [] }, true));
    expect(served(emulator)).toEqual({ [LIST]: 2 });
  });

  it('without a total, the list goes on past a full page and stops at the empty one', async () => {
    const { emulator, client } = await rig({ profile: withOptions({ maskListTotal: 'absent' }) }, 5);
    const live = await masking.read(client.kinds, TARGET, declare({ system_mask_rules: { 'Email address': 'ON' } }));
    expect(live.objects).toHaveLength(5);
    expect(emulator.log.map((e) => e.operation)).toEqual([LIST, LIST]);
  });

  it('entry prune without mask_rules prunes nothing and reads no list', async () => {
    const declared = declare({ masking: 'ON' }, true);
    expect(declared.prune).toBe(false);
    const { emulator, client } = await rig();
    const c = await cycle(client, declared);
    expect(c.plan.changes.map((x) => x.op)).toEqual(['set']);
    expect(served(emulator)[LIST]).toBe(1); // only the test's full read-back after the write
  });

  it('a read without a declaration (export, read-back) reads every part', async () => {
    const { emulator, client } = await rig();
    const live = await masking.read(client.kinds, TARGET);
    expect(served(emulator)).toEqual({ ShowSensitiveMaskSwitch: 1, ShowSensitiveResultSwitch: 1, [LIST]: 1 });
    expect(live.settings).toEqual({ masking: 'OFF', result_set_storage: 'ON' });
  });
});

describe("a created rule's status (no status on create; its initial status is unsettled)", () => {
  for (const [starts, declared, switches] of [
    ['ON', 'ON', 0],
    ['ON', 'OFF', 1],
    ['OFF', 'ON', 1],
    ['OFF', 'OFF', 0],
  ] as const) {
    it(`starting ${starts}, declared ${declared}: ${switches} switch call, confirmed by the read-back`, async () => {
      const { emulator, client } = await rig({ profile: withOptions({ maskCreatedStatus: starts }) });
      const c = await cycle(client, declare({ mask_rules: [{ name: 'n', regex: 'r', mask_value: 'v', status: declared }] }));
      expect(c.plan.changes.map((x) => x.op)).toEqual(['create']);
      expect(c.shown.map((s) => s.shown)).toEqual([true]);
      expect(served(emulator)['SetSensitiveMaskRuleSwitch'] ?? 0).toBe(switches);
      expect(c.live.objects.find((o) => o.key === 'n')?.spec['status']).toBe(declared);
      expect(c.again.changes).toEqual([]);
    });
  }

  it('the create body has only rule_name, mask_regex and mask_value (the emulator refuses anything else)', async () => {
    const { emulator } = await rig();
    const path = `/v1/${TARGET.projectId}/audit/${TARGET.instanceId}/sensitive/mask/rule`;
    const r = await call(emulator.url, 'POST', path, { body: { rule_name: 'n', mask_regex: 'r', mask_value: 'v', status: 'ON' } });
    expect(r.status).toBe(400);
    expect(r.json.error_msg).toContain('unknown field status');
  });
});
