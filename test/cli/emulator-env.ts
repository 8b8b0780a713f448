import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoState, startEmulator } from '../../src/emulator/index.js';
import type { Emulator, EmulatorOptions } from '../../src/emulator/index.js';
import { KIND_ROUTES } from '../../src/emulator/kind-routes.js';

/** Test credentials: the CLI reads them from the environment, the emulator verifies signatures with them. */
export const TEST_AK = 'E2EACCESSKEY0000TEST';
export const TEST_SK = 'e2e-secret-key-value-that-must-never-be-printed';

/** A running emulator (demo state, signature auth) and the environment that points the CLI at it. */
export interface EmulatorEnv {
  /** The emulator. */
  readonly emulator: Emulator;
  /** Environment for runCli: endpoint and credentials. */
  readonly env: Record<string, string>;
  /** A fresh temporary directory for plan files and reports. */
  readonly dir: string;
  /** Stops the emulator and removes the directory. */
  close(): Promise<void>;
}

/** Starts an in-process emulator with the demo state; the CLI under test runs as a subprocess. */
export async function startEmulatorEnv(options: EmulatorOptions = {}): Promise<EmulatorEnv> {
  const emulator = await startEmulator({
    state: demoState(),
    auth: { credentials: [{ ak: TEST_AK, sk: TEST_SK }], tokens: [] },
    ...options,
  });
  const dir = await mkdtemp(join(tmpdir(), 'dbss-e2e-'));
  return {
    emulator,
    dir,
    env: {
      DBSS_ENDPOINT: emulator.url,
      HUAWEICLOUD_SDK_AK: TEST_AK,
      HUAWEICLOUD_SDK_SK: TEST_SK,
      NO_COLOR: '1',
      // Run locks of this environment only: a lock left by a killed run elsewhere (a mutant, another
      // suite) that named an endpoint on the same port would otherwise refuse this run.
      DBSS_POLICY_LOCK_DIR: join(dir, 'locks'),
    },
    async close() {
      await emulator.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Number of requests of a write operation in the emulator's counters. */
export function writes(emulator: Emulator): number {
  const ops = emulator.counters().byOperation;
  // Risk rules and tasks, and every other kind's writing routes (src/kinds).
  const kindWrites = KIND_ROUTES.filter((r) => r.write).map((r) => r.operation);
  return ['CreateAuditRiskRule', 'SetRiskOperationPolicy', 'DeleteAuditRuleRisk', 'SwitchRiskRule', 'SwitchRiskRuleNew', 'SetRiskRuleRank', 'UpdateAuditTaskStatus', ...kindWrites]
    .map((op) => ops[op] ?? 0)
    .reduce((a, b) => a + b, 0);
}
