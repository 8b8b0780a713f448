import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator/index.js';
import { DEFAULT_PROFILE, PROFILE_KEYS, PROFILE_NAMES, PROFILES } from '../../src/emulator/index.js';
import { profileByName, sameProfile } from '../../src/emulator/profiles.js';
import { probe, probeEmulator, probeRulesLeft } from './probe-helpers.js';

/** The projects without the other kinds' state, which a read creates on first use (the built-in objects every instance has). */
const withoutKinds = (projects: Emulator['state']['projects']) =>
  Object.fromEntries(Object.entries(projects).map(([id, p]) => [id, { ...p, instances: p.instances.map(({ kinds: _kinds, ...i }) => i) }]));

const running: Emulator[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((e) => e.close()));
});
async function emulatorWith(profile: string | typeof DEFAULT_PROFILE): Promise<Emulator> {
  const emu = await probeEmulator({ profile });
  running.push(emu);
  return emu;
}

const WRITES = ['CreateAuditRiskRule', 'SetRiskOperationPolicy', 'DeleteAuditRuleRisk', 'SwitchRiskRuleNew', 'SetRiskRuleRank', 'UpdateAuditTaskStatus'];

describe('probe --write identifies every emulator profile', () => {
  for (const name of PROFILE_NAMES) {
    it(`${name}: every option observed, the profile named, nothing left behind`, async () => {
      const emu = await emulatorWith(name);
      const before = structuredClone(emu.state.projects);
      const r = await probe(emu, ['--instance', 'prod-audit', '--write', '--format', 'json']);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const report = JSON.parse(r.stdout);
      expect(report.errors).toEqual([]);
      // Every risk-rule option is observed; other kinds' options that only a write could show are
      // reported as assumed (probe --write writes no audit scope, whitelist entry or alarm).
      expect(report.emulatorProfile.assumed.filter((k: string) => (PROFILE_KEYS as string[]).includes(k))).toEqual([]);
      expect(sameProfile(report.emulatorProfile.options, profileByName(name))).toBe(true);
      expect(report.emulatorProfile.name).toBe(name);
      expect(report.cleanup.leftovers).toEqual([]);
      expect(report.cleanup.created).toHaveLength(2);
      expect(probeRulesLeft(emu)).toEqual([]);
      // The real rules are back exactly as they were (order included).
      expect(withoutKinds(emu.state.projects)).toEqual(withoutKinds(before));
    });
  }
});

describe('probe --write under pages capped below the limit (issue 18 item 2)', () => {
  for (const listTotal of ['absent', 'present'] as const) {
    it(`total ${listTotal}: lists every page, reports the cap and the total, and leaves nothing behind`, async () => {
      const profile = { ...DEFAULT_PROFILE, pageCap: 3, listTotal };
      const emu = await emulatorWith(profile);
      const r = await probe(emu, ['--instance', 'prod-audit', '--write', '--format', 'json']);
      expect(r.code, r.stdout).toBe(0);
      const report = JSON.parse(r.stdout);
      expect(report.errors).toEqual([]);
      expect(report.observations).toContainEqual({ point: 'page size', observed: 'pages capped at 3 items (asked for 1000), 3 pages', option: 'pageCap', value: 3 });
      expect(report.observations.find((o: { point: string }) => o.point === 'list total').value).toBe(listTotal);
      expect(sameProfile(report.emulatorProfile.options, profile)).toBe(true);
      expect(report.cleanup.leftovers).toEqual([]);
      expect(probeRulesLeft(emu)).toEqual([]);
    });
  }
});

describe('probe --write against an API that ignores status on create (issue 18 item 6)', () => {
  /** An emulator that records, at every rank call, the status of each probe rule on the instance. */
  async function recordingRanks(profile: typeof DEFAULT_PROFILE) {
    const atRank: string[][] = [];
    let emu: Emulator | undefined;
    emu = await probeEmulator({
      profile,
      onRequest: (entry) => {
        if (entry.operation !== 'SetRiskRuleRank' || !emu) return;
        atRank.push(Object.values(emu.state.projects).flatMap((p) => p.instances.flatMap((i) => i.rules.filter((r) => r.name.startsWith('dbss-policy-probe-')).map((r) => r.status))));
      },
    });
    running.push(emu);
    return { emu, atRank };
  }

  for (const [label, profile] of [
    ['created last', { ...DEFAULT_PROFILE, createStatus: 'ignored' }],
    ['created first (above every custom rule)', { ...PROFILES['system-pinned'], createStatus: 'ignored' }],
  ] as const) {
    it(`${label}: each probe rule is switched OFF and read back OFF before any rank call; the reading is reported`, async () => {
      const { emu, atRank } = await recordingRanks(profile);
      const r = await probe(emu, ['--instance', 'prod-audit', '--write', '--format', 'json']);
      expect(r.code, r.stdout).toBe(0);
      const report = JSON.parse(r.stdout);
      expect(report.errors).toEqual([]);
      expect(report.observations).toContainEqual(expect.objectContaining({ point: 'created status', option: 'createStatus', value: 'ignored' }));
      expect(sameProfile(report.emulatorProfile.options, profile)).toBe(true);
      expect(atRank.length).toBeGreaterThan(0);
      expect(atRank.flat().filter((s) => s !== 'OFF'), 'a probe rule was live at a rank call').toEqual([]);
      expect(probeRulesLeft(emu)).toEqual([]);
    });
  }

  it('a probe rule that cannot be switched OFF stops the probe before any rank call, and it is deleted', async () => {
    const { emu, atRank } = await recordingRanks({ ...DEFAULT_PROFILE, createStatus: 'ignored' });
    emu.failNext('SwitchRiskRuleNew', 'failed', 50);
    const r = await probe(emu, ['--instance', 'prod-audit', '--write']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/error: write checks stopped: .*SwitchRiskRuleNew|error: write checks stopped: .*switch/i);
    expect(atRank).toEqual([]);
    expect(emu.counters().byOperation.SetRiskRuleRank ?? 0).toBe(0);
    expect(r.stdout).toContain('Nothing left behind.');
    expect(probeRulesLeft(emu)).toEqual([]);
  });
});

describe('probe, read-only', () => {
  it('writes nothing, and reports what reading alone can tell', async () => {
    const emu = await emulatorWith('custom-ranks');
    const r = await probe(emu, ['--instance', 'prod-audit']);
    expect(r.code).toBe(0);
    expect(WRITES.map((op) => emu.counters().byOperation[op] ?? 0)).toEqual(WRITES.map(() => 0));
    expect(r.stdout).toContain('Probe of instance prod-audit (5f2b7c0e9a1d4e3f8b6c2d1a0e9f8b7c, ACTIVE) in cn-north-4/0f1e2d3c4b5a69788796a5b4c3d2e1f0 [read-only]');
    expect(r.stdout).toMatch(/instance list +instances\/instance_id\/connectIpv6/);
    expect(r.stdout).toMatch(/system rules +rank absent \(4 rules\)/);
    expect(r.stdout).toMatch(/custom ranks +1\.\.4 dense/);
    expect(r.stdout).toMatch(/task_switch \(risk\) +"off"/);
    expect(r.stdout).toMatch(/unknown id \(show of an id that never existed\) +400 DBSS\.10020021/);
    expect(r.stdout).toMatch(/Emulator profile: "custom-ranks" \(\d+ of \d+ options observed; consistent with: custom-ranks\)/);
    expect(r.stdout).toContain('not observed (assumed): ');
    expect(r.stdout).not.toContain('Temporary rules');
  });

  it('reads the SDK 3.1.204 instance list and ON/OFF task switches', async () => {
    const emu = await emulatorWith('hostile');
    const r = await probe(emu, ['--instance', 'prod-audit']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/instance list +instances\/instance_id\/connect_ipv6/);
    expect(r.stdout).toMatch(/system rules +ranks 10\.\.40 step 10 of their own/);
    expect(r.stdout).toMatch(/custom ranks +10\.\.40 step 10/);
    expect(r.stdout).toMatch(/task_switch \(audit\) +"OFF"/);
    expect(r.stdout).toMatch(/list fields +risk_level absent on 8 of 8; rule_type absent on 8 of 8; feature absent on 8 of 8/);
  });

  it('escapes names and text the API supplies: no control character reaches the output', async () => {
    const emu = await emulatorWith('default');
    const inst = emu.state.projects[Object.keys(emu.state.projects)[0]!]!.instances[0]!;
    inst.name = 'evil\u001b[31m\u202e';
    const r = await probe(emu, ['--instance', 'nope\u0007']);
    expect(r.code).toBe(1);
    // the escaping of all text output (src/render/escape.ts): controls shown, ANSI sequences removed
    expect(r.stdout).toContain('error: no instance "nope\\x07" in project');
    expect(r.stdout).toContain('evil\\u202e');
    expect(r.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u202e]/);
    const j = await probe(emu, ['--instance', inst.id, '--format', 'json']);
    expect(j.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/);
    expect(JSON.parse(j.stdout).instance.name).toBe('evil\u001b[31m\u202e');
  });

  it('a summary-task read that fails is reported and the probe goes on', async () => {
    const emu = await emulatorWith('default');
    emu.failNext('ShowAuditTaskStatus', 'failed');
    const r = await probe(emu, ['--instance', 'prod-audit']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/task_switch \(risk\) +not read: .*400 DBSS\.10020102/);
    expect(r.stdout).toMatch(/task_switch \(audit\) +"off"/);
    expect(r.stdout).toMatch(/custom ranks +5\.\.8/);
  });

  it('an instance that is not ACTIVE is named with its status; its rules are not read', async () => {
    const emu = await emulatorWith('default');
    const r = await probe(emu, ['--instance', 'legacy-audit']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('Probe of instance legacy-audit (7b4d9e2a1c3f6a5b0d8e4f3c2a1b0d9e, SHUTOFF)');
    expect(r.stdout).toContain('error: instance is SHUTOFF: rules can only be read on an ACTIVE instance');
    expect(emu.counters().byOperation['ListAuditRuleRisksNew']).toBeUndefined();
  });

  it('a region whose instance list has neither shape is an error, never "no instances"', async () => {
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ total: 0, items: [] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const r = await probe({ url } as Emulator, ['--instance', 'prod-audit']);
      expect(r.code).toBe(1);
      expect(r.stdout).toContain('error: the instance list has neither "servers" nor "instances" (keys: total, items)');
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('probe --write: failures and cleanup', () => {
  it('a failing rank call still deletes both temporary rules', async () => {
    const emu = await emulatorWith('default');
    emu.failNext('SetRiskRuleRank', 'failed');
    const r = await probe(emu, ['--instance', 'prod-audit', '--write']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/error: write checks stopped: .*SetRiskRuleRank|error: write checks stopped: .*rank/);
    expect(r.stdout).toContain('Nothing left behind.');
    expect(probeRulesLeft(emu)).toEqual([]);
  });

  it('a rule that cannot be deleted is reported by name and fails the run', async () => {
    const emu = await emulatorWith('default');
    emu.failNext('DeleteAuditRuleRisk', 'failed', 50);
    const r = await probe(emu, ['--instance', 'prod-audit', '--write']);
    expect(r.code).toBe(1);
    const left = probeRulesLeft(emu);
    expect(left).toHaveLength(2);
    expect(r.stdout).toContain(`LEFT BEHIND, delete by hand: ${left.join(', ')}`);
  });

  it('--write needs --instance; unknown formats and profiles are usage errors', async () => {
    const emu = await emulatorWith('default');
    expect((await probe(emu, ['--write'])).code).toBe(1);
    expect((await probe(emu, ['--instance', 'x', '--format', 'yaml'])).stderr).toContain('--format must be text or json');
    expect((await probe(emu, ['--instance', 'x', '--emulator-profile', 'gapped'])).stderr).toContain('--emulator-profile needs --emulator');
  });
});
