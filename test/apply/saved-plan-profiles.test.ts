import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_PROFILE } from '../../src/emulator/index.js';
import { startEmulatorEnv } from '../cli/emulator-env.js';
import type { EmulatorEnv } from '../cli/emulator-env.js';
import { runInProcess } from '../helpers/run-in-process.js';

/**
 * The saved-plan comparison (issue 13) against the readings of the API's open points (issue 11):
 * a plan saved from a region that numbers ranks with gaps (no exact rank calls in the plan),
 * answers tersely or in every unusual way at once is planned again identically on apply, so
 * an unedited plan applies and the estate converges.
 */
const REPO = join(import.meta.dirname, '../..');

let e: EmulatorEnv | undefined;
afterEach(async () => {
  await e?.close();
  e = undefined;
});

describe('an unedited saved plan applies under the API profiles', () => {
  for (const profile of ['gapped', 'hostile']) {
    it(profile, async () => {
      e = await startEmulatorEnv({ profile });
      const cli = (args: string[]) => runInProcess([...args, '--policies', join(REPO, 'policies')], { cwd: REPO, env: e!.env });
      const file = join(e.dir, 'plan.json');
      const planned = await cli(['plan', '--out', file]);
      expect(planned.code, planned.stderr).toBe(0);
      const applied = await cli(['apply', file]);
      expect(applied.code, `${applied.stdout}\n${applied.stderr}`).toBe(0);
      expect(applied.stdout).toMatch(/Apply: [1-9]\d* applied, 0 failed, 0 skipped, 0 not-attempted/);
      const again = await cli(['plan', '--detailed-exitcode']);
      expect(again.code, again.stdout).toBe(0);
    });
  }

  it('a task read without task_switch (before: "unknown") is planned again as the same change', async () => {
    e = await startEmulatorEnv({ profile: { ...DEFAULT_PROFILE, taskSwitch: 'absent' } });
    const cli = (args: string[]) => runInProcess([...args, '--policies', join(REPO, 'policies')], { cwd: REPO, env: e!.env });
    const file = join(e.dir, 'plan.json');
    expect((await cli(['plan', '--out', file])).code).toBe(0);
    const saved = JSON.parse(await readFile(file, 'utf8')) as { changes: { kind: string; before?: unknown }[] };
    expect(saved.changes.filter((c) => c.kind === 'set-task').map((c) => c.before)).toContain('unknown');
    const applied = await cli(['apply', file]);
    expect(applied.stderr).not.toMatch(/plan file|fresh plan/);
    expect(applied.stdout).toMatch(/Apply: [1-9]\d* applied, 0 failed, 0 skipped, 0 not-attempted/);
  });
});
