import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator/index.js';
import { emulatorCommand } from '../../src/cli/emulator-command.js';
import { ConfigError, UsageError } from '../../src/errors.js';
import { checkProfile, DEFAULT_PROFILE, loadProfileFile, nameOfProfile, PROFILE_NAMES, PROFILES, profileByName } from '../../src/emulator/index.js';
import { call } from './helpers/call.js';
import { emulator, P1, PROD, paths, ruleBody } from './helpers/fixtures.js';
import { kindOptionChoices } from '../../src/emulator/kind-options.js';

type Item = Record<string, unknown> & { id: string; name: string; rank?: number };

async function listed(emu: Emulator): Promise<Item[]> {
  return (await call(emu.url, 'GET', `${paths.rulesNew(P1, PROD)}?limit=1000`)).json.rules;
}
async function idOf(emu: Emulator, name: string): Promise<string> {
  const rule = (await listed(emu)).find((r) => r.name === name);
  if (!rule) throw new Error(`no rule ${name}`);
  return rule.id;
}
const order = async (emu: Emulator) => (await listed(emu)).map((r) => `${r.name}:${r.rank ?? '-'}`);
const rank = async (emu: Emulator, name: string, newRank: number) =>
  call(emu.url, 'POST', paths.rank(P1, PROD), { body: { id: await idOf(emu, name), new_rank: newRank } });

const SYS = ['Database_drag_detection', 'Slow_SQL_detection', 'Batch_data_tampering_detection', 'Batch_data_deletion_detection'];
const CUSTOM = ['bulk-delete-prod', 'drop-table-in-prod', 'grant-outside-dba', 'legacy-export'];

describe('API profiles: instance list shape', () => {
  it('default answers as the SDK models; servers-list and instances-list answer the earlier shapes', async () => {
    const sdk = (await call((await emulator()).url, 'GET', `/v1/${P1}/audit/instances`)).json;
    expect(sdk.servers).toBeUndefined();
    expect(sdk.instances.map((s: Item) => s.instance_id)).toContain(PROD);
    expect(sdk.instances[0]).not.toHaveProperty('id');
    expect(sdk.instances[0]).toHaveProperty('connectIpv6');
    const servers = (await call((await emulator({ profile: 'servers-list' })).url, 'GET', `/v1/${P1}/audit/instances`)).json;
    expect(servers.servers.map((s: Item) => s.id)).toContain(PROD);
    expect(servers.instances).toBeUndefined();
    const older = await emulator({ profile: 'instances-list' });
    for (const path of [`/v1/${P1}/audit/instances`, `/v2/${P1}/audit/instances`]) {
      const b = (await call(older.url, 'GET', path)).json;
      expect(b.servers).toBeUndefined();
      expect(b.instances.map((s: Item) => s.instance_id)).toContain(PROD);
      expect(b.instances[0]).not.toHaveProperty('id');
      expect(b.instances[0]).toHaveProperty('connect_ipv6');
      expect(b.total).toBe(3);
    }
  });
});

describe('API profiles: rank numbering', () => {
  it('default: one dense list 1..n; new_rank 1 passes the system rules', async () => {
    const emu = await emulator();
    expect(await order(emu)).toEqual([...SYS, ...CUSTOM].map((n, i) => `${n}:${i + 1}`));
    await rank(emu, 'legacy-export', 1);
    expect((await order(emu))[0]).toBe('legacy-export:1');
  });

  it('custom-ranks: system rules listed first without a rank field, custom rules 1..n; new_rank is a custom position', async () => {
    const emu = await emulator({ profile: 'custom-ranks' });
    const items = await listed(emu);
    expect(items.slice(0, 4).every((r) => !('rank' in r))).toBe(true);
    expect(items.slice(4).map((r) => r.rank)).toEqual([1, 2, 3, 4]);
    await rank(emu, 'legacy-export', 2);
    expect(await order(emu)).toEqual([...SYS.map((n) => `${n}:-`), 'bulk-delete-prod:1', 'legacy-export:2', 'drop-table-in-prod:3', 'grant-outside-dba:4']);
  });

  it('custom-ranks-negative and custom-ranks-own: what system rules show', async () => {
    const neg = await emulator({ profile: 'custom-ranks-negative' });
    expect((await listed(neg)).map((r) => r.rank)).toEqual([-4, -3, -2, -1, 1, 2, 3, 4]);
    const own = await emulator({ profile: 'custom-ranks-own' });
    expect((await listed(own)).map((r) => r.rank)).toEqual([1, 2, 3, 4, 1, 2, 3, 4]);
    await rank(own, 'grant-outside-dba', 1);
    expect((await order(own)).slice(4, 6)).toEqual(['grant-outside-dba:1', 'bulk-delete-prod:2']);
  });

  it('system-pinned: shared dense numbering, but a rank above the system rules lands just below them; creates go first', async () => {
    const emu = await emulator({ profile: 'system-pinned' });
    await rank(emu, 'legacy-export', 1);
    expect(await order(emu)).toEqual([...SYS, 'legacy-export', ...CUSTOM.slice(0, 3)].map((n, i) => `${n}:${i + 1}`));
    await call(emu.url, 'POST', paths.create(P1, PROD), { body: ruleBody('new-one') });
    expect((await order(emu))[4]).toBe('new-one:5');
  });

  it('gapped: ranks 10, 20, ...; new_rank is a value (placed before the first rule ranked at least that)', async () => {
    const emu = await emulator({ profile: 'gapped' });
    expect((await listed(emu)).map((r) => r.rank)).toEqual([10, 20, 30, 40, 50, 60, 70, 80]);
    await rank(emu, 'legacy-export', 55); // before drop-table-in-prod (60)
    expect((await order(emu)).slice(4)).toEqual(['bulk-delete-prod:50', 'legacy-export:60', 'drop-table-in-prod:70', 'grant-outside-dba:80']);
    await rank(emu, 'bulk-delete-prod', 1000); // after everything
    expect((await order(emu)).at(-1)).toBe('bulk-delete-prod:80');
  });

  it('a shown rank agrees between list and show', async () => {
    const emu = await emulator({ profile: 'custom-ranks-negative' });
    const id = await idOf(emu, 'drop-table-in-prod');
    expect((await call(emu.url, 'GET', paths.showV2(P1, PROD, id))).json.rank).toBe(2);
  });
});

describe('API profiles: read-backs, optional fields, errors', () => {
  async function createdShow(emu: Emulator): Promise<Record<string, unknown>> {
    const res = await call(emu.url, 'POST', paths.create(P1, PROD), { body: ruleBody('any-op', { action: '', db_ids: '', client_ips: '' }) });
    expect(res.json).toEqual({ status: 'SUCCESS' });
    return (await call(emu.url, 'GET', paths.showV2(P1, PROD, await idOf(emu, 'any-op')))).json;
  }

  it('any-operation and empty lists read back as null, "", absent or OPERATE ALL', async () => {
    const byDefault = await createdShow(await emulator());
    expect(byDefault).toMatchObject({ action: null, db_ids: null, client_ips: null });
    const empty = await createdShow(await emulator({ profile: 'custom-ranks' }));
    expect(empty).toMatchObject({ action: '', db_ids: '', client_ips: '' });
    const terse = await createdShow(await emulator({ profile: 'terse' }));
    for (const key of ['action', 'db_ids', 'client_ips']) expect(terse).not.toHaveProperty(key);
    const hostile = await createdShow(await emulator({ profile: 'hostile' }));
    expect(hostile).toMatchObject({ action: 'OPERATE ALL', db_ids: '' });
  });

  it('terse: list items carry only the required fields; show leaves out rank, default thresholds and false ignore_case', async () => {
    const emu = await emulator({ profile: 'terse' });
    const item = (await listed(emu))[5]!;
    expect(Object.keys(item).sort()).toEqual(['id', 'name', 'rank', 'status', 'type']);
    const show = await createdShow(emu);
    for (const key of ['rank', 'affect_symbol', 'affect_rows', 'execution_symbol', 'execution_time', 'ignore_case', 'schemas']) expect(show).not.toHaveProperty(key);
    expect(show).toMatchObject({ rule_name: 'any-op', status: 'ON', risk_level: 'HIGH' });
  });

  it('task_switch reads back as on/off, ON/OFF, a boolean, or not at all', async () => {
    const read = async (emu: Emulator) => (await call(emu.url, 'GET', paths.taskRead(P1, 'risk'))).json;
    expect((await read(await emulator())).task_switch).toBe('off');
    expect((await read(await emulator({ profile: 'terse' }))).task_switch).toBe('OFF');
    expect((await read(await emulator({ profile: { ...DEFAULT_PROFILE, taskSwitch: 'boolean' } }))).task_switch).toBe(false);
    const absent = await read(await emulator({ profile: { ...DEFAULT_PROFILE, taskSwitch: 'absent' } }));
    expect(absent).not.toHaveProperty('task_switch');
    expect(absent.task_status).toBe('0');
  });

  it('an unknown rule id answers 400 DBSS.10020021 by default, 404 DBSS.10021004 where the profile says so', async () => {
    const gone = 'AAAAAAAAAAAAAAAAAAAA';
    const a = await call((await emulator()).url, 'GET', paths.showV2(P1, PROD, gone));
    expect([a.status, a.json.error_code]).toEqual([400, 'DBSS.10020021']);
    const emu = await emulator({ profile: 'gapped' });
    for (const [method, path] of [['GET', paths.showV2(P1, PROD, gone)], ['DELETE', paths.delete(P1, PROD, gone)]] as const) {
      const b = await call(emu.url, method, path);
      expect([b.status, b.json.error_code]).toEqual([404, 'DBSS.10021004']);
    }
  });

  it('a duplicate name is 200 FAILED by default and a second rule where duplicates are accepted', async () => {
    const strict = await emulator();
    expect((await call(strict.url, 'POST', paths.create(P1, PROD), { body: ruleBody('legacy-export') })).json).toEqual({ status: 'FAILED' });
    const lax = await emulator({ profile: 'custom-ranks' });
    expect((await call(lax.url, 'POST', paths.create(P1, PROD), { body: ruleBody('legacy-export') })).json).toEqual({ status: 'SUCCESS' });
    expect((await listed(lax)).filter((r) => r.name === 'legacy-export')).toHaveLength(2);
  });
});

describe('API profiles: system rule names', () => {
  it('renamed-system-rules lists and shows the built-in rules by other names, and refuses those names for new rules', async () => {
    const emu = await emulator({ profile: 'renamed-system-rules' });
    expect((await listed(emu)).slice(0, 4).map((r) => r.name)).toEqual(['Database_drag_detection', 'Slow_sql_detection', 'Batch_data_modification_detection', 'Batch_deletion_detection']);
    const id = await idOf(emu, 'Slow_sql_detection');
    expect((await call(emu.url, 'GET', paths.showV2(P1, PROD, id))).json.rule_name).toBe('Slow_sql_detection');
    expect((await call(emu.url, 'POST', paths.create(P1, PROD), { body: ruleBody('Slow_sql_detection') })).json).toEqual({ status: 'FAILED' });
    expect((await call(emu.url, 'GET', `${paths.rulesNew(P1, PROD)}?name=sql`)).json.rules.map((r: Item) => r.name)).toEqual(['Slow_sql_detection']);
  });
});

describe('API profiles: what "" means on the write side', () => {
  const update = async (emu: Emulator, id: string, fields: Record<string, unknown>) =>
    (await call(emu.url, 'PUT', paths.update(P1, PROD, id), { body: ruleBody('legacy-export', { risk_level: 'LOW', action: 'SELECT', ...fields }) })).json;
  const clientIps = async (emu: Emulator, id: string) => (await call(emu.url, 'GET', paths.showV2(P1, PROD, id))).json.client_ips;

  it('unset (default): "" clears the field on update', async () => {
    const emu = await emulator();
    const id = await idOf(emu, 'legacy-export');
    await update(emu, id, { client_ips: '10.0.0.1' });
    expect(await update(emu, id, { client_ips: '' })).toEqual({ status: 'SUCCESS' });
    expect(await clientIps(emu, id)).toBeNull();
  });

  it('kept: an update with "" or without the field keeps the value', async () => {
    const emu = await emulator({ profile: { ...DEFAULT_PROFILE, emptyWrite: 'kept' } });
    const id = await idOf(emu, 'legacy-export');
    await update(emu, id, { client_ips: '10.0.0.1' });
    await update(emu, id, { client_ips: '' });
    expect(await clientIps(emu, id)).toBe('10.0.0.1');
    await update(emu, id, {});
    expect(await clientIps(emu, id)).toBe('10.0.0.1');
  });

  it('rejected: "" is a 400 naming the field; leaving it out is fine', async () => {
    const emu = await emulator({ profile: { ...DEFAULT_PROFILE, emptyWrite: 'rejected' } });
    const res = await call(emu.url, 'POST', paths.create(P1, PROD), { body: ruleBody('empty-dbs', { db_ids: '' }) });
    expect([res.status, res.json.error_msg]).toEqual([400, 'invalid db_ids: must not be empty (leave the field out for none)']);
    expect((await call(emu.url, 'POST', paths.create(P1, PROD), { body: ruleBody('no-dbs') })).json).toEqual({ status: 'SUCCESS' });
  });
});

describe('API profiles: pages a gateway caps, totals left out (issue 18 item 2)', () => {
  const page = async (emu: Emulator, offset: number, limit: number) => (await call(emu.url, 'GET', `${paths.rulesNew(P1, PROD)}?offset=${offset}&limit=${limit}`)).json;

  it('pageCap holds every page at the cap whatever limit asks, with the total still counting every rule', async () => {
    const emu = await emulator({ profile: { ...DEFAULT_PROFILE, pageCap: 3 } });
    const first = await page(emu, 0, 1000);
    expect([first.rules.length, first.total]).toEqual([3, 8]);
    expect((await page(emu, 6, 1000)).rules.map((r: Item) => r.name)).toEqual(CUSTOM.slice(2));
    expect((await page(emu, 0, 2)).rules).toHaveLength(2);
  });

  it('listTotal absent leaves total and customize_total out of the rule list', async () => {
    const emu = await emulator({ profile: { ...DEFAULT_PROFILE, listTotal: 'absent', pageCap: 5 } });
    const first = await page(emu, 0, 100);
    expect(Object.keys(first)).toEqual(['rules']);
    expect(first.rules).toHaveLength(5);
  });

  it('createStatus ignored: a rule created OFF lists and shows ON (issue 18 item 6)', async () => {
    const emu = await emulator({ profile: { ...DEFAULT_PROFILE, createStatus: 'ignored' } });
    expect((await call(emu.url, 'POST', paths.create(P1, PROD), { body: ruleBody('made-off', { status: 'OFF' }) })).json).toEqual({ status: 'SUCCESS' });
    expect((await listed(emu)).find((r) => r.name === 'made-off')?.status).toBe('ON');
  });

  it('checkProfile refuses a pageCap outside 0..1000', () => {
    expect(checkProfile({ pageCap: -1 }).problems).toEqual(['pageCap must be an integer from 0 (no cap) to 1000, got -1']);
    expect(checkProfile({ listTotal: 'sometimes' }).problems).toEqual(['listTotal must be one of present, absent, got "sometimes"']);
  });
});

describe('API profiles: names and files', () => {
  it('every named profile passes its own check and is told apart from the others', () => {
    for (const name of PROFILE_NAMES) {
      // with the kind options each profile bundles (src/kinds/*/emulator.ts)
      const named = profileByName(name);
      expect(checkProfile(named, kindOptionChoices()).profile).toEqual(named);
      expect(nameOfProfile(named)).toBe(name);
    }
    expect(() => profileByName('nope')).toThrow(/unknown emulator profile "nope" \(known: default, instances-list/);
  });

  it('checkProfile names each bad option and rejects impossible combinations', () => {
    expect(checkProfile({ rankStep: 0, taskSwitch: 'yes', color: 1 }).problems).toEqual([
      'unknown option "color" (known: instanceList, rankNumbering, systemRanks, systemPinned, rankStep, newRank, createdRank, anyOperation, emptyFields, listFields, showFields, taskSwitch, unknownId, duplicateName, systemRuleNames, emptyWrite, pageCap, listTotal, createStatus)',
      'taskSwitch must be one of lower, upper, boolean, absent, got "yes"',
      'rankStep must be an integer from 1 to 1000, got 0',
    ]);
    expect(checkProfile({ systemRanks: 'absent' }).problems).toEqual(['systemRanks other than "shared" needs rankNumbering "custom"']);
    expect(checkProfile({ rankNumbering: 'custom', systemRanks: 'own' }).profile?.systemPinned).toBe(true);
  });

  it('loads a bare options file and the probe JSON shape; a bad file is an error naming it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dbss-profile-'));
    try {
      await writeFile(join(dir, 'bare.json'), JSON.stringify({ instanceList: 'instances' }));
      expect(await loadProfileFile(join(dir, 'bare.json'))).toEqual(PROFILES['instances-list']);
      await writeFile(join(dir, 'probe.json'), JSON.stringify({ formatVersion: 1, emulatorProfile: { name: 'gapped', options: PROFILES.gapped } }));
      expect(await loadProfileFile(join(dir, 'probe.json'))).toEqual(PROFILES.gapped);
      await writeFile(join(dir, 'bad.json'), JSON.stringify({ unknownId: 500 }));
      await expect(loadProfileFile(join(dir, 'bad.json'))).rejects.toThrow(/bad\.json: unknownId must be one of 400, 404, got 500/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('the emulator command refuses an unknown profile, both profile flags at once, and an unreadable file, before listening', async () => {
    const io = { stdout: { write: () => true }, stderr: { write: () => true }, env: {}, cwd: tmpdir() };
    const unknown = await emulatorCommand.run(['--profile', 'nope', '--ephemeral'], io).catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(UsageError);
    expect((unknown as Error).message).toMatch(/--profile: unknown emulator profile "nope" \(known: default, instances-list, servers-list, custom-ranks/);
    const both = await emulatorCommand.run(['--profile', 'gapped', '--profile-file', 'x.json', '--ephemeral'], io).catch((e: unknown) => e);
    expect((both as Error).message).toBe('--profile and --profile-file exclude each other');
    const missing = await emulatorCommand.run(['--profile-file', 'no-such-profile.json', '--ephemeral'], io).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(ConfigError);
    expect((missing as Error).message).toMatch(/cannot read emulator profile .*no-such-profile\.json/);
    expect(emulatorCommand.usage).toContain('--profile-file');
  });

  it('the running emulator says which profile it follows', async () => {
    expect((await emulator({ profile: 'terse' })).profile).toEqual(profileByName('terse'));
    expect((await emulator()).profile).toEqual(DEFAULT_PROFILE);
  });
});
