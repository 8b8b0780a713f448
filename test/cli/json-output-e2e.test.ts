import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { startEmulatorEnv, writes } from './emulator-env.js';
import type { EmulatorEnv } from './emulator-env.js';

const REPO = join(import.meta.dirname, '../..');
const POLICIES = join(REPO, 'policies');

let e: EmulatorEnv;
beforeEach(async () => {
  e = await startEmulatorEnv();
});
afterEach(async () => {
  await e.close();
});

const cli = (args: string[]) => runCli([...args, '--policies', POLICIES, '--rate-limit', '1000/s'], { env: e.env, cwd: REPO });

/** stdout as `| node -e 'JSON.parse(...)'` reads it: one JSON document or a failure naming what followed. */
function oneDocument(stdout: string): Record<string, unknown> {
  return JSON.parse(stdout) as Record<string, unknown>;
}

describe('--format json prints one JSON document on stdout, everything else on stderr', () => {
  it('reconcile --yes: the plan as plan --format json prints it, and the apply record', async () => {
    // The same plan needs the same "now" (the plan records it; exceptions and waivers are decided at it).
    const now = '2026-12-20T00:00:00Z';
    const plan = oneDocument((await cli(['plan', '--format', 'json', '--now', now])).stdout);
    const r = await cli(['reconcile', '--format', 'json', '--yes', '--now', now]);
    expect(r.code, r.stderr).toBe(0);
    const doc = oneDocument(r.stdout);
    expect(Object.keys(doc)).toEqual(['plan', 'result']);
    expect(doc['plan']).toEqual(plan);
    const result = doc['result'] as { outcomes: Record<string, number>; verified: boolean; notConverged: { changes: unknown[] } };
    expect(result.outcomes).toEqual({ applied: 22, failed: 0, skipped: 0, 'not-attempted': 0 });
    expect(result.verified).toBe(true);
    expect(result.notConverged.changes).toEqual([]);
    // The text result is still there for the person reading the log.
    expect(r.stderr).toContain('Apply: 22 applied, 0 failed, 0 skipped, 0 not-attempted.');
    expect(r.stderr).toContain('Converged');
    expect(writes(e.emulator)).toBeGreaterThan(0);
  });

  it('reconcile --dry-run and an empty plan: result is null', async () => {
    const dry = await cli(['reconcile', '--format', 'json', '--dry-run']);
    expect(dry.code, dry.stderr).toBe(0);
    const doc = oneDocument(dry.stdout);
    expect((doc['plan'] as { changes: unknown[] }).changes).toHaveLength(22);
    expect(doc['result']).toBeNull();
    expect(writes(e.emulator)).toBe(0);
    expect((await cli(['reconcile', '--yes'])).code).toBe(0);
    const empty = await cli(['reconcile', '--format', 'json', '--yes']);
    expect(empty.code, empty.stderr).toBe(0);
    expect(oneDocument(empty.stdout)['result']).toBeNull();
    expect(empty.stderr).toContain('Nothing to apply.');
  });

  it('apply --yes and apply PLANFILE: the same document, the text plan and result on stderr', async () => {
    const planFile = join(e.dir, 'plan.json');
    const saved = await cli(['plan', '--format', 'json', '--out', planFile]);
    const plan = oneDocument(saved.stdout);
    const fromFile = await cli(['apply', planFile, '--format', 'json', '--yes']);
    expect(fromFile.code, fromFile.stderr).toBe(0);
    const doc = oneDocument(fromFile.stdout);
    expect(Object.keys(doc)).toEqual(['plan', 'result']);
    expect((doc['plan'] as { changes: unknown[] }).changes).toEqual((plan as { changes: unknown[] }).changes);
    expect((doc['result'] as { outcomes: Record<string, number> }).outcomes).toEqual({ applied: 22, failed: 0, skipped: 0, 'not-attempted': 0 });
    expect(fromFile.stderr).toContain('Apply: 22 applied, 0 failed, 0 skipped, 0 not-attempted.');
    const again = await cli(['apply', '--format', 'json', '--yes']);
    expect(again.code, again.stderr).toBe(0);
    expect(oneDocument(again.stdout)['result']).toBeNull();
    expect((await cli(['apply', '--format', 'markdown', '--yes'])).stderr).toContain('--format must be text or json for apply');
  });

  it('a refused reconcile still prints the document, with the reason on stderr', async () => {
    const r = await cli(['reconcile', '--format', 'json', '--yes', '--fail-on-weakening']);
    expect(r.code).toBe(1);
    const doc = oneDocument(r.stdout);
    expect(doc['result']).toBeNull();
    expect(r.stderr).toContain('plan refused, nothing was changed');
    expect(writes(e.emulator)).toBe(0);
  });

  it('plan, validate and probe', async () => {
    const plan = await cli(['plan', '--format', 'json']);
    expect(plan.code, plan.stderr).toBe(0);
    expect(() => oneDocument(plan.stdout)).not.toThrow();
    const validate = await runCli(['validate', '--format', 'json', '--policies', POLICIES], { cwd: REPO });
    expect(validate.code, validate.stderr).toBe(0);
    expect(oneDocument(validate.stdout)['valid']).toBe(true);
    const probe = await runCli(['probe', '--emulator', '--project', '0f1e2d3c4b5a69788796a5b4c3d2e1f0', '--region', 'cn-north-4', '--instance', 'prod-audit', '--format', 'json'], { cwd: REPO });
    expect(probe.code, probe.stderr).toBe(0);
    expect(() => oneDocument(probe.stdout)).not.toThrow();
  });
});
