import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_PROJECTS } from '../../src/emulator/index.js';
import { Prng } from '../../src/emulator/prng.js';
import { systemRules } from '../../src/emulator/seed-rules.js';
import { shardOf } from '../../src/plan/shard.js';
import type { Plan } from '../../src/plan/types.js';
import { runCli } from '../helpers/run-cli.js';
import { startEmulatorEnv, writes } from './emulator-env.js';
import type { EmulatorEnv } from './emulator-env.js';

/**
 * Rule sets and instance selectors end to end: the real CLI (dist/) against the emulator with
 * the demo state, on the shipped policies/ (baseline and pci-extra sets, a `bi-*` selector) and
 * on trees written by the test.
 */

const REPO = join(import.meta.dirname, '../..');
const POLICIES = join(REPO, 'policies');
const ANALYTICS = `cn-east-3/${DEMO_PROJECTS.analytics}`;

let e: EmulatorEnv;
beforeEach(async () => {
  e = await startEmulatorEnv();
});
afterEach(async () => {
  await e.close();
});

/** The CLI's default budget is 10 requests/s; the emulator takes more (a faster suite, same calls). */
const cli = (args: string[], policies = POLICIES) => runCli([...args, '--policies', policies, '--rate-limit', '1000/s'], { env: e.env, cwd: REPO });
const planOf = (stdout: string): Plan => JSON.parse(stdout) as Plan;

/** Creates an ACTIVE instance with the four system rules (all ON) in a demo project. */
function createInstance(project: string, name: string, id: string): void {
  e.emulator.state.projects[project]!.instances.push({
    id,
    name,
    status: 'ACTIVE',
    created: '2024-07-01T00:00:00Z',
    specification: 'audit.professional',
    rules: systemRules(new Prng(parseInt(id.slice(0, 6), 16))),
  });
}

/** A policies tree of one payments document with the given instance entries. */
async function tree(entries: string): Promise<string> {
  const dir = join(e.dir, 'policies');
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'p.yaml'), `version: 1\nregion: cn-north-4\nproject_id: ${DEMO_PROJECTS.payments}\ninstances:\n${entries}`);
  return dir;
}

describe('the shipped policies: a shared baseline, a PCI set and a bi-* selector', () => {
  it('plans the demo changes with provenance, and lists what the selector matched', async () => {
    const r = await cli(['plan']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      '  + create pci-card-table-read  from rule set pci-extra (policies/analytics/pci-extra.yaml:11), used at policies/analytics/pci-audit.yaml:15',
    );
    expect(r.stdout).toContain('      Slow_SQL_detection from rule set baseline (policies/baseline.yaml:12), used at policies/payments/cn-north-4.yaml:14');
    expect(r.stdout).toContain('  + create truncate-in-prod  (policies/payments/cn-north-4.yaml:40)');
    expect(r.stdout).toContain(`Selectors:\n  match "bi-*" in ${ANALYTICS}  (policies/analytics/bi-audit.yaml:13)\n      matched: bi-audit\n`);

    const json = planOf((await cli(['plan', '--format', 'json'])).stdout);
    expect(json.selectors.map((s) => [s.selector, s.matched])).toEqual([['bi-*', ['bi-audit']]]);
    const create = json.changes.find((c) => c.kind === 'create' && c.rule === 'pci-bulk-update');
    expect(create && 'source' in create && create.source).toEqual({
      file: 'policies/analytics/pci-extra.yaml',
      line: 17,
      col: 9,
      ruleSet: 'pci-extra',
      appliedAt: { file: 'policies/analytics/pci-audit.yaml', line: 15, col: 21 },
    });
    const md = (await cli(['plan', '--format', 'markdown'])).stdout;
    expect(md).toContain(`| \`bi-*\` | \`${ANALYTICS}\` | \`policies/analytics/bi-audit.yaml:13\` | \`bi-audit\` |  |`);
    expect(md).toContain('+ create pci-card-table-read  from rule set pci-extra (policies/analytics/pci-extra.yaml:11)');
  });

  it('plans the baseline for an instance created after the last plan; the plan saved before it applies only what it says', async () => {
    const planFile = join(e.dir, 'plan.json');
    expect((await cli(['plan', '--out', planFile])).code).toBe(0);

    // Someone creates a BI instance in the console: the selector picks it up on the next read.
    createInstance(DEMO_PROJECTS.analytics, 'bi-archive', 'b1a2c3d4e5f60718293a4b5c6d7e8f90');
    const next = await cli(['plan']);
    expect(next.stdout).toContain(`${ANALYTICS}/bi-archive  instance bi-archive (b1a2c3d4e5f60718293a4b5c6d7e8f90), matched by "bi-*"\n  + create bulk-export  (policies/analytics/bi-audit.yaml:17)`);
    expect(next.stdout).toContain('      matched: bi-archive, bi-audit\n');

    // The saved plan still makes exactly its reviewed changes: it applies them and nothing for
    // the new instance, which nobody reviewed (the next plan shows it).
    const saved = JSON.parse(await readFile(planFile, 'utf8')) as Plan;
    const reviewed = await cli(['apply', planFile]);
    expect(reviewed.stdout).toContain(`Apply: ${saved.changes.length} applied, 0 failed`);
    expect(reviewed.stdout).not.toContain('bi-archive');
    const archiveNow = e.emulator.state.projects[DEMO_PROJECTS.analytics]!.instances.find((i) => i.name === 'bi-archive')!;
    expect(archiveNow.rules.filter((x) => x.ruleType === 'CUSTOMIZE')).toEqual([]);

    const applied = await cli(['reconcile']);
    expect(applied.code).toBe(0);
    expect(applied.stdout).toContain('Converged');
    const archive = e.emulator.state.projects[DEMO_PROJECTS.analytics]!.instances.find((i) => i.name === 'bi-archive')!;
    expect(archive.rules.filter((x) => x.ruleType === 'CUSTOMIZE').map((x) => [x.name, x.riskLevel, x.affectRows])).toEqual([['bulk-export', 'MEDIUM', 100000]]);
    const again = await cli(['plan', '--detailed-exitcode']);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('No changes.');
  });

  it('shards and selects instances that a selector matched by their resolved key and live name', async () => {
    const names = ['bi-east', 'bi-west', 'bi-north', 'bi-south', 'bi-lake'];
    names.forEach((n, i) => createInstance(DEMO_PROJECTS.analytics, n, `${i + 1}`.repeat(32)));
    const whole = planOf((await cli(['plan', '--format', 'json'])).stdout);
    const ids = (p: Plan): string[] => p.changes.map((c) => c.id);
    expect(whole.changes.filter((c) => c.kind === 'create' && c.rule === 'bulk-export')).toHaveLength(names.length);

    const parts = await Promise.all([1, 2, 3].map(async (i) => planOf((await cli(['plan', '--format', 'json', '--shard', `${i}/3`])).stdout)));
    const union = parts.flatMap(ids);
    expect(union.sort()).toEqual(ids(whole).sort());
    expect(new Set(union).size).toBe(union.length);
    parts.forEach((p, i) => {
      for (const t of p.targets.filter((x) => x.selector !== undefined)) expect(shardOf(t.key, 3)).toBe(i + 1);
    });

    e.emulator.resetCounters();
    const one = await cli(['plan', '--instance', 'bi-west']);
    expect(one.code).toBe(0);
    expect(one.stdout).toContain(`${ANALYTICS}/bi-west  instance bi-west`);
    // The selector section still says what it matched; only bi-west is planned and read.
    expect(one.stdout).toContain('      matched: bi-audit, bi-east, bi-lake, bi-north, bi-south, bi-west\n');
    expect(one.stdout).not.toContain(`${ANALYTICS}/bi-east`);
    expect(one.stdout).not.toContain('prod-audit');
    expect(e.emulator.counters().byOperation['ListAuditRuleRisksNew']).toBe(1);
  });
});

describe('selectors that match nothing, or the same instance', () => {
  it('warns about a selector that matches no instance, in text and JSON', async () => {
    const dir = await tree('  - match: "canary-*"\n    system_rules: { Slow_SQL_detection: ON }\n');
    const r = await cli(['plan'], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/matched nothing: no ACTIVE instance named like "canary-\*" in the instance list of project \w+ \(cn-north-4\)\n\s+# warning: selector "canary-\*" \(.*p\.yaml:5:5\) matches no ACTIVE instance/);
    const json = planOf((await cli(['plan', '--format', 'json'], dir)).stdout);
    expect(json.notes.map((n) => n.message)).toEqual([expect.stringMatching(/^warning: selector "canary-\*" .* matches no ACTIVE instance/)]);
  });

  it('says a selector could not be resolved, and why, when its project\'s instance list fails', async () => {
    const dir = await tree('  - match: "canary-*"\n    system_rules: { Slow_SQL_detection: ON }\n');
    e.emulator.failNext('ListAuditInstancesNew', 'failed', 1);
    const r = await cli(['plan'], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/match "canary-\*" in .*\n\s+not resolved, nothing was searched: GET \/v1\/\w+\/audit\/instances: 400 DBSS\.\d+ /);
    expect(r.stdout).not.toContain('matched');
    e.emulator.failNext('ListAuditInstancesNew', 'failed', 1);
    const json = await cli(['plan', '--format', 'json'], dir);
    expect(planOf(json.stdout).selectors[0]).toMatchObject({ matched: [], unresolved: expect.stringMatching(/^GET \/v1\/\w+\/audit\/instances: 400 /) });
  });

  it('refuses an instance that two selectors match, naming both, and still plans the others', async () => {
    const dir = await tree('  - match: "*-audit"\n    system_rules: { Slow_SQL_detection: ON }\n  - match: "staging-*"\n');
    const r = await cli(['plan'], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/Not planned:\n\s+! cn-north-4\/\w+\/staging-audit: matched by two selectors, "\*-audit" \(.*p\.yaml:5:5\) and "staging-\*" \(.*p\.yaml:7:5\)/);
    expect(r.stdout).toContain('± switch ON [Slow_SQL_detection (system)]');
    expect(r.stdout).toContain('skipped legacy-audit: SHUTOFF, not ACTIVE');
  });

  it('rejects a policy that uses an unknown rule set before reading anything', async () => {
    const dir = await tree('  - name: prod-audit\n    use: [basline]\n');
    await writeFile(join(dir, 'sets.yaml'), 'version: 1\nrule_sets:\n  baseline:\n    system_rules: { Slow_SQL_detection: ON }\n');
    const r = await cli(['plan'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/p\.yaml:6:11 \$\.instances\[0\]\.use\[0\]: unknown rule set "basline" \(did you mean "baseline"\?\)/);
    expect(e.emulator.counters().requests).toBe(0);
  });
});
