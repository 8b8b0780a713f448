import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import { demoState, emptyState, startEmulator } from '../../src/emulator/index.js';
import { call } from './helpers/call.js';
import { emulator, P1, P2, PCI, PROD, paths, ruleBody } from './helpers/fixtures.js';

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

async function tempFile(): Promise<{ dir: string; file: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'dbss-emulator-'));
  dirs.push(dir);
  return { dir, file: join(dir, 'state.json') };
}

describe('persistence', () => {
  it('saves on close and a new emulator started from the file serves the same state', async () => {
    const { dir, file } = await tempFile();
    const first = await startEmulator({ state: demoState(), stateFile: file });
    await call(first.url, 'POST', paths.create(P2, PCI), { body: ruleBody('kept-rule', { exception_ips: '10.8.0.0/16' }) });
    const slow = (await call(first.url, 'GET', `${paths.rulesNew(P1, PROD)}?name=Slow`)).json.rules[0].id as string;
    await call(first.url, 'POST', paths.switchV2(P1, PROD), { body: { ids: slow, status: 'ON' } });
    await call(first.url, 'POST', paths.taskWrite(P1, 'risk'), { body: { oper_type: 'switch', code: 'on' } });
    const before = structuredClone(first.state);
    await first.close();
    expect((await readdir(dir)).sort()).toEqual(['state.json']); // no temporary file left behind

    const second = await emulator({ state: emptyState(), stateFile: file });
    expect(second.state).toEqual(before);
    const rules = (await call(second.url, 'GET', paths.rulesNew(P2, PCI))).json.rules;
    expect(rules.at(-1)).toMatchObject({ name: 'kept-rule', rank: 5 });
    expect((await call(second.url, 'GET', paths.taskRead(P1, 'risk'))).json.task_switch).toBe('on');
    expect(second.state.projects[P2]!.instances[0]!.rules.at(-1)!.exceptionIps).toBe('10.8.0.0/16');

    // The id stream continues where it stopped: a new rule never reuses an id.
    await call(second.url, 'POST', paths.create(P2, PCI), { body: ruleBody('after-restart') });
    const ids = second.state.projects[P2]!.instances[0]!.rules.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('saves after writes without waiting for close', async () => {
    const { file } = await tempFile();
    const emu = await emulator({ stateFile: file, saveDebounceMs: 0 });
    await call(emu.url, 'POST', paths.create(P2, PCI), { body: ruleBody('saved-soon') });
    await vi.waitFor(async () => expect(await readFile(file, 'utf8')).toContain('saved-soon'), { timeout: 60_000, interval: 20 }); // a hang guard, not a deadline
  });

  it('loadStateFile: false starts over from the given state and overwrites the file', async () => {
    const { file } = await tempFile();
    const first = await startEmulator({ stateFile: file });
    await first.close();
    const second = await emulator({ stateFile: file, loadStateFile: false });
    expect(Object.keys(second.state.projects)).toContain(P1);
    expect(JSON.parse(await readFile(file, 'utf8')).projects).toHaveProperty(P1);
  });

  it('refuses a malformed state file with an error naming the file and the problem', async () => {
    const { file } = await tempFile();
    await writeFile(file, '{"version":1,"idRngState":1,"projects":{"p":{"region":"x","summaryTasks":{"risk":{},"audit":{}},"instances":[{"id":"i","name":"n","status":"RUNNING","rules":[]}]}}}');
    const err = await startEmulator({ stateFile: file }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toBe(`emulator state ${file}: projects.p.instances[0].status "RUNNING" is not an instance status`);
    await writeFile(file, 'not json');
    await expect(startEmulator({ stateFile: file })).rejects.toThrow(/is not valid JSON/);
  });
});
