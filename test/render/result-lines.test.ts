import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEmulatorEnv } from '../cli/emulator-env.js';
import type { EmulatorEnv } from '../cli/emulator-env.js';
import { runInProcess } from '../helpers/run-in-process.js';

/**
 * The result lines of an apply, as a user reads them after a failure: the label keeps the whole
 * rule name (a `#` in it included) and the request id of the failed call is printed once.
 */
let e: EmulatorEnv;
beforeEach(async () => {
  e = await startEmulatorEnv();
});
afterEach(() => e.close());

const POLICY = `version: 1
region: cn-north-4
project_id: 0f1e2d3c4b5a69788796a5b4c3d2e1f0
instances:
  - name: staging-audit
    risk_rules:
      - name: "drop#2 in staging"
        risk_level: LOW
        actions: [DROP_TABLE]
`;

describe('apply result lines', () => {
  it('keep a # in a rule name and print the request id of a failure once', async () => {
    const policies = join(e.dir, 'policies');
    await mkdir(policies);
    await writeFile(join(policies, 'staging.yaml'), POLICY);
    e.emulator.failNext('CreateAuditRiskRule', 'failed', 1);
    const r = await runInProcess(['apply', '--yes', '--policies', policies], { cwd: e.dir, env: e.env });
    expect(r.code).toBe(1);
    const failed = r.stdout.split('\n').filter((l) => l.startsWith('FAILED'));
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatch(/^FAILED +cn-north-4\/0f1e2d3c4b5a69788796a5b4c3d2e1f0\/staging-audit create:drop#2 in staging: POST /);
    expect(failed[0]!.match(/request id /g)).toHaveLength(1);
    expect(failed[0]).toMatch(/\(request id [^)]+\)$/);
  });
});
