import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_INSTANCES, DEMO_PROJECTS, demoState, startEmulator, type Emulator } from '../../../src/emulator/index.js';
import { runInProcess } from '../../helpers/run-in-process.js';
import { TEST_AK, TEST_SK } from '../../cli/emulator-env.js';
import { HOSTILE_TOPIC } from './harness.js';

const TOPIC = `urn:smn:cn-north-4:${DEMO_PROJECTS.payments}:dbss-alarms`;

let emulator: Emulator | undefined;
let dir: string | undefined;
afterEach(async () => {
  await emulator?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
  emulator = dir = undefined;
});

/** A policy tree of one file declaring `alarms` (YAML text) on prod-audit. */
async function tree(alarms: string): Promise<string> {
  dir = await mkdtemp(join(tmpdir(), 'dbss-alarm-'));
  await mkdir(join(dir, 'policies'));
  const text = `version: 1\nregion: cn-north-4\nproject_id: ${DEMO_PROJECTS.payments}\ninstances:\n  - name: prod-audit\n    alarms:\n${alarms}`;
  await writeFile(join(dir, 'policies', 'payments.yaml'), text);
  return dir;
}

async function start(topic: string): Promise<Record<string, string>> {
  const state = demoState();
  const inst = state.projects[DEMO_PROJECTS.payments]!.instances.find((i) => i.id === DEMO_INSTANCES.prodAudit)!;
  inst.kinds = { alarm: { alarm_switch: 'ON', topic, risk: ['high', 'medium'], cpu: 80, disk: 90, memory: 70, num: 100 } };
  emulator = await startEmulator({ state, auth: { credentials: [{ ak: TEST_AK, sk: TEST_SK }], tokens: [] } });
  return { DBSS_ENDPOINT: emulator.url, HUAWEICLOUD_SDK_AK: TEST_AK, HUAWEICLOUD_SDK_SK: TEST_SK, DBSS_POLICY_LOCK_DIR: join(dir!, 'locks') };
}

describe('alarms in the CLI', () => {
  it('validate names file:line:col of a topic that is not an SMN URN', async () => {
    const cwd = await tree(`      enabled: ON\n      topic_urn: "arn:aws:sns:x"\n`);
    const r = await runInProcess(['validate', '--policies', 'policies'], { cwd, env: {} });
    expect(r.code).not.toBe(0);
    expect(r.stdout + r.stderr).toMatch(/policies\/payments\.yaml:8:\d+ .*topic_urn.*is not an SMN topic URN/);
  });

  it('plan shows the set with its field, the kept live values (a hostile topic escaped) and the weakening; reconcile writes it once and a second plan is empty', async () => {
    const cwd = await tree(`      cpu: 95\n`);
    const env = await start(HOSTILE_TOPIC);
    const plan = await runInProcess(['plan', '--policies', 'policies'], { cwd, env });
    expect(plan.stderr).not.toContain('internal');
    expect(plan.stdout).toContain('~ set alarms');
    expect(plan.stdout).toContain('cpu: 80 → 95');
    expect(plan.stdout).toContain('weakening: cpu alarm threshold raised 80% → 95%');
    const kept = plan.stdout.split('\n').find((l) => l.includes('kept live'));
    expect(kept).toContain('kept live enabled ON, topic urn');
    expect(kept).toContain('disk 90, memory 70, daily limit 100');
    // the topic's newline and markup never reach the output raw
    expect(plan.stdout).not.toContain('"evil"\n');
    expect(plan.stdout.split('\n').filter((l) => l.startsWith('主题'))).toEqual([]);

    const applied = await runInProcess(['reconcile', '--policies', 'policies'], { cwd, env });
    expect(applied.code).toBe(0);
    expect(emulator!.log.filter((e) => e.operation === 'SetAlarmTopicConfigInfoNew').length).toBe(1);
    const again = await runInProcess(['plan', '--policies', 'policies', '--detailed-exitcode'], { cwd, env });
    expect(again.code).toBe(0);
    expect(again.stdout).not.toContain('~ set alarms');
  });

  it('export writes alarms, and planning the exported tree changes nothing', async () => {
    const cwd = await tree(`      cpu: 80\n`);
    const env = await start(TOPIC);
    const out = join(cwd, 'exported');
    const r = await runInProcess(['export', '--project', DEMO_PROJECTS.payments, '--region', 'cn-north-4', '--out', out], { cwd, env });
    expect(r.code).toBe(0);
    const text = await readFile(join(out, 'cn-north-4', `${DEMO_PROJECTS.payments}.yaml`), 'utf8');
    expect(text).toContain(`topic_urn: ${TOPIC}`);
    expect(text).toMatch(/alarms:\n\s+enabled: ON\n/);
    const plan = await runInProcess(['plan', '--policies', out, '--detailed-exitcode'], { cwd, env });
    expect(plan.stderr).not.toContain('error');
    expect(plan.code).toBe(0);
  });
});
