import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Change, Plan } from '../../src/plan/types.js';
import { startEmulatorEnv, writes } from '../cli/emulator-env.js';
import type { EmulatorEnv } from '../cli/emulator-env.js';
import { runInProcess } from '../helpers/run-in-process.js';

/**
 * A saved plan is a claim, not a command: each edit below would have reached the API when apply
 * executed the file's changes[]. Now apply plans again and refuses on the first difference,
 * and the emulator sees no write.
 */
const REPO = join(import.meta.dirname, '../..');
const PAYMENTS = 'cn-north-4/0f1e2d3c4b5a69788796a5b4c3d2e1f0';

let e: EmulatorEnv;
beforeEach(async () => {
  e = await startEmulatorEnv();
});
afterEach(() => e.close());

const cli = (args: string[]) => runInProcess([...args, '--policies', join(REPO, 'policies')], { cwd: REPO, env: e.env });

async function savedPlan(extra: string[] = []): Promise<{ file: string; plan: Plan }> {
  const file = join(e.dir, 'plan.json');
  const r = await cli(['plan', '--out', file, ...extra]);
  // A refused plan says why it exits 1; nothing else may reach stderr.
  expect(r.stderr.replace(/^Exit 1: .*\(use --force to apply anyway\)\n/gm, '')).toBe('');
  return { file, plan: JSON.parse(await readFile(file, 'utf8')) as Plan };
}

async function applyEdited(edit: (p: Plan & { changes: Change[] }) => void, extra: string[] = []) {
  const { file, plan } = await savedPlan(extra);
  edit(plan as Plan & { changes: Change[] });
  await writeFile(file, JSON.stringify(plan));
  e.emulator.resetCounters();
  const r = await cli(['apply', file, ...extra]);
  // Some reads are POSTs (the kinds' list requests): a write is any other non-GET request.
  const sent = e.emulator.log.filter((l) => l.method !== 'GET' && !/^(List|Show)/.test(l.operation));
  return { r, sent };
}

function find<K extends Change['kind']>(p: Plan, kind: K, target: string): Extract<Change, { kind: K }> {
  const c = p.changes.find((x) => x.kind === kind && x.target === target);
  if (!c) throw new Error(`no ${kind} on ${target}`);
  return c as Extract<Change, { kind: K }>;
}

describe('apply plan.json refuses an edited plan and writes nothing', () => {
  it('an added delete of a rule in a prune: false instance', async () => {
    const staging = e.emulator.state.projects['0f1e2d3c4b5a69788796a5b4c3d2e1f0']!.instances.find((i) => i.name === 'staging-audit')!;
    const victim = staging.rules.find((r) => r.name === 'temp-debug-select')!;
    const target = `${PAYMENTS}/staging-audit`;
    const { r, sent } = await applyEdited((p) => {
      p.changes.push({ id: `${target}#delete:temp-debug-select`, kind: 'delete', target, rule: 'temp-debug-select', ruleId: victim.id, review: { weakening: true, reasons: [] } });
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`plan.json is stale or was edited: change ${target}#delete:temp-debug-select is in the plan file but a fresh plan does not make it; nothing was changed`);
    expect(sent).toEqual([]);
    expect(writes(e.emulator)).toBe(0);
  });

  it('an update edited to NO_RISK and OFF', async () => {
    const { r, sent } = await applyEdited((p) => {
      const u = find(p, 'update', `${PAYMENTS}/prod-audit`) as { after: { riskLevel: string; status: string } };
      u.after.riskLevel = 'NO_RISK';
      u.after.status = 'OFF';
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/change \S+prod-audit#update:drop-table-in-prod differs at after\.riskLevel: the plan file has "NO_RISK", a fresh plan has "HIGH"/);
    expect(sent).toEqual([]);
  });

  it('a create opened to 0.0.0.0/0', async () => {
    const { r, sent } = await applyEdited((p) => {
      (find(p, 'create', `${PAYMENTS}/prod-audit`).after as unknown as { clientIps: string[] }).clientIps = ['0.0.0.0/0'];
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/create:truncate-in-prod differs at after\.clientIps\[0\]: the plan file has "0\.0\.0\.0\/0", a fresh plan has nothing/);
    expect(sent).toEqual([]);
  });

  it('switches flipped to OFF', async () => {
    const { r, sent } = await applyEdited((p) => {
      for (const c of p.changes) if (c.kind === 'switch') (c as { status: string }).status = 'OFF';
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/#switch:ON differs at status: the plan file has "OFF", a fresh plan has "ON"/);
    expect(sent).toEqual([]);
  });

  it('refusals emptied to get past the safety threshold without --force', async () => {
    const strict = ['--max-change-ratio', '0.2', '--min-rules', '1'];
    const { r, sent } = await applyEdited((p) => {
      expect(p.refusals.length).toBeGreaterThan(0);
      (p as unknown as { refusals: unknown[] }).refusals = [];
    }, strict);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/a fresh plan refuses \S+prod-audit \("prod-audit: 2 of 4 rules deleted or updated/);
    expect(sent).toEqual([]);
  });

  it('a target pointed at another instance id', async () => {
    const { r, sent } = await applyEdited((p) => {
      const t = p.targets.find((x) => x.key === `${PAYMENTS}/prod-audit`) as { instanceId: string };
      t.instanceId = 'f'.repeat(32);
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/target \S+prod-audit differs at instanceId: the plan file has "f{32}"/);
    expect(sent).toEqual([]);
  });

  it("one target's changes (and refusals) removed, the other targets' kept", async () => {
    let removed = '';
    const { r, sent } = await applyEdited((p) => {
      const changed = [...new Set(p.changes.map((c) => c.target))];
      expect(changed.length).toBeGreaterThan(1);
      removed = changed[0]!;
      p.changes = p.changes.filter((c) => c.target !== removed);
      (p as { refusals: Plan['refusals'] }).refusals = p.refusals.filter((x) => x.target !== removed);
    }, ['--force']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`plan.json is stale or was edited: a fresh plan makes change ${removed}#`);
    expect(r.stderr).toContain('which the plan file does not have; nothing was changed');
    expect(sent).toEqual([]);
  });

  it('an unedited plan applies, reading only the targets it lists', async () => {
    const { file, plan } = await savedPlan(['--instance', 'staging-audit']);
    // --instance selects instances only (the summary tasks need --summary-tasks).
    expect(new Set(plan.changes.map((c) => c.target))).toEqual(new Set([`${PAYMENTS}/staging-audit`]));
    e.emulator.resetCounters();
    const r = await cli(['apply', file]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Apply: \d+ applied, 0 failed, 0 skipped, 0 not-attempted/);
    // Only the staging instance's rules are listed: to plan, to check for other writers, to verify.
    const staging = e.emulator.state.projects['0f1e2d3c4b5a69788796a5b4c3d2e1f0']!.instances.find((i) => i.name === 'staging-audit')!;
    const ruleLists = e.emulator.log.filter((l) => l.operation === 'ListAuditRuleRisksNew').map((l) => l.path);
    expect(ruleLists.length).toBe(3);
    expect(ruleLists.every((path) => path.includes(staging.id))).toBe(true);
  });
});
