import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_INSTANCES, DEMO_PROJECTS } from '../../src/emulator/index.js';
import { runCli } from '../helpers/run-cli.js';
import { startEmulatorEnv, writes } from '../cli/emulator-env.js';
import type { EmulatorEnv } from '../cli/emulator-env.js';

const REPO = join(import.meta.dirname, '../..');

let e: EmulatorEnv;
beforeEach(async () => {
  e = await startEmulatorEnv();
});
afterEach(async () => {
  await e.close();
});

/** A policy tree that declares only prod-audit (two of its four custom rules) in the payments project. */
async function onePolicy(): Promise<string> {
  const dir = join(e.dir, 'policies');
  await mkdir(dir, { recursive: true });
  const doc = [
    'version: 1',
    'region: cn-north-4',
    `project_id: ${DEMO_PROJECTS.payments}`,
    'instances:',
    '  - name: prod-audit',
    '    risk_rules:',
    '      - { name: drop-table-in-prod, risk_level: HIGH }',
    '      - { name: bulk-delete-prod, risk_level: HIGH }',
    '',
  ].join('\n');
  await writeFile(join(dir, 'payments.yaml'), doc);
  return dir;
}

const cli = async (args: string[]) => runCli(['coverage', '--policies', await onePolicy(), '--rate-limit', '1000/s', ...args], { env: e.env, cwd: REPO });

describe('dbss-policy coverage', () => {
  it('lists the ACTIVE instances no entry declares and the custom rules no policy owns, reading lists only', async () => {
    const r = await cli([]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`cn-north-4/${DEMO_PROJECTS.payments}: 1/2 (50%) ACTIVE instances managed`);
    expect(r.stdout).toContain('  risk rules: declared on 1/2 (50%)');
    expect(r.stdout).toContain(`cn-north-4/${DEMO_PROJECTS.payments}/staging-audit (${DEMO_INSTANCES.stagingAudit})`);
    expect(r.stdout).not.toContain('legacy-audit'); // SHUTOFF: not ACTIVE, not counted
    expect(r.stdout).toMatch(/prod-audit: risk rules: grant-outside-dba, legacy-export/);
    expect(writes(e.emulator)).toBe(0);
    const ops = e.emulator.counters();
    // Lists only: no risk-rule show (a kind's switch reads, such as masking's, are its list).
    expect(Object.keys(ops.byOperation).filter((op) => /ShowAuditRuleRisk/.test(op))).toEqual([]);
  });

  it('covers another project with --project, and writes JSON and markdown with a chart', async () => {
    const json = JSON.parse((await cli(['--project', `cn-east-3/${DEMO_PROJECTS.analytics}`, '--format', 'json'])).stdout) as {
      projects: { projectId: string; active: number; managed: number }[];
      unmanaged: { name: string }[];
      requests: number;
    };
    expect(json.projects.map((p) => [p.projectId, p.active, p.managed])).toEqual([
      [DEMO_PROJECTS.analytics, 2, 0],
      [DEMO_PROJECTS.payments, 2, 1],
    ]);
    expect(json.unmanaged.map((i) => i.name)).toEqual(['bi-audit', 'pci-audit', 'staging-audit']);
    expect(json.requests).toBeGreaterThan(0);
    const md = await cli(['--format', 'markdown']);
    expect(md.stdout).toContain('```mermaid');
    expect(md.stdout).toContain('| project | managed | risk rules');
  });

  it('fails with --fail-on-unmanaged when something is unmanaged, and refuses a bad --project', async () => {
    expect((await cli(['--fail-on-unmanaged'])).code).toBe(1);
    const bad = await cli(['--project', 'nowhere']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('--project must be REGION/PROJECT_ID');
  });
});
