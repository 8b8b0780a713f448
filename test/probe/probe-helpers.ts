import type { CliIO } from '../../src/cli/io.js';
import { run } from '../../src/cli/run.js';
import type { Emulator, EmulatorOptions } from '../../src/emulator/index.js';
import { DEMO_PROJECTS, demoState, startEmulator } from '../../src/emulator/index.js';

/** Test credentials shared by the emulator and the CLI run in process. */
export const AK = 'PROBETESTACCESSKEY00';
export const SK = 'probe-test-secret-key-never-printed';

/** The demo project and region of `prod-audit`. */
export const PROJECT = DEMO_PROJECTS.payments;
export const REGION = 'cn-north-4';

/** An emulator with the demo state and signature auth. */
export function probeEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  return startEmulator({ state: demoState(), auth: { credentials: [{ ak: AK, sk: SK }], tokens: [] }, ...options });
}

/** What an in-process CLI run printed and returned. */
export interface InProcessRun {
  /** Exit code. */
  readonly code: number;
  /** stdout. */
  readonly stdout: string;
  /** stderr. */
  readonly stderr: string;
}

/** Runs `dbss-policy probe ...` in this process against the emulator. */
export async function probe(emulator: Emulator, args: readonly string[]): Promise<InProcessRun> {
  let stdout = '';
  let stderr = '';
  const io: CliIO = {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    env: { DBSS_ENDPOINT: emulator.url, HUAWEICLOUD_SDK_AK: AK, HUAWEICLOUD_SDK_SK: SK },
    cwd: process.cwd(),
  };
  const code = await run(['probe', '--project', PROJECT, '--region', REGION, '--rate-limit', '500/s', ...args], io);
  return { code, stdout, stderr };
}

/** Names of the rules of an instance in the emulator's model whose name starts with the probe prefix. */
export function probeRulesLeft(emulator: Emulator): string[] {
  return Object.values(emulator.state.projects)
    .flatMap((p) => p.instances)
    .flatMap((i) => i.rules)
    .map((r) => r.name)
    .filter((n) => n.startsWith('dbss-policy-probe-'));
}
