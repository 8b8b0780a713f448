import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AkSkCredentials, createDbssClient } from '../../src/api/index.js';
import { runApplyFlow } from '../../src/cli/apply-flow.js';
import { planExitCode } from '../../src/cli/exit-codes.js';
import type { CliIO } from '../../src/cli/io.js';
import type { Emulator, EmulatorOptions, EmulatorState } from '../../src/emulator/index.js';
import { DEMO_INSTANCES, DEMO_PROJECTS, demoState, startEmulator } from '../../src/emulator/index.js';
import { Prng } from '../../src/emulator/prng.js';
import { customRule, SYSTEM_RULE_VARIANT_NAMES } from '../../src/emulator/seed-rules.js';
import { createClientPool } from '../../src/live/client-pool.js';
import { preparePlan } from '../../src/run/reconcile.js';
import { renderText } from '../../src/render/text.js';
import { FakeClock } from '../helpers/fake-clock.js';
import type { RunInputs } from '../../src/run/reconcile.js';

export const AK = 'CONVERGEACCESSKEY000';
export const SK = 'converge-secret-never-printed';

/**
 * The demo estate plus one hand-made rule on staging-audit that no policy declares, and a
 * policy tree that needs every kind of change: on prod-audit creates (one above every existing
 * rule), an update, a delete (prune), a custom and a system switch and a reorder after the
 * creates; on staging-audit (prune: false) a reorder without creates and a switch; both summary
 * tasks of the payments project switched on. The analytics project is not declared at all.
 */
export function estate(): EmulatorState {
  const state = demoState();
  const staging = state.projects[DEMO_PROJECTS.payments]!.instances.find((i) => i.id === DEMO_INSTANCES.stagingAudit)!;
  staging.rules.push(customRule(new Prng(99), { name: 'hand-made-debug', riskLevel: 'LOW', action: 'SELECT', status: 'OFF' }));
  return state;
}

/** YAML lines of other kinds (src/kinds) added to each entry, indented as entry keys (4 spaces). */
export interface KindsYaml {
  /** Added to prod-audit (prune: true). */
  readonly prod?: string;
  /** Added to staging-audit (prune: false). */
  readonly staging?: string;
}

/** The policy, naming the slow-SQL system rule as the region does (as export or probe shows it). */
const policy = (slowSql: string, kinds: KindsYaml = {}) => `version: 1
region: cn-north-4
project_id: ${DEMO_PROJECTS.payments}
instances:
  - name: prod-audit
    prune: true
    system_rules:
      ${slowSql}: ON
    risk_rules:
      - name: first-new-rule
        risk_level: HIGH
        actions: [DROP_USER]
      - name: drop-table-in-prod
        risk_level: HIGH
        actions: [DROP_TABLE, DROP_TABLESPACE]
        db_ids: [lQZpwJgB0g4pz3UTv74a]
        client_ips: [10.0.0.0/8, 192.168.1.10-192.168.1.20]
        schemas:
          - { schema: finance, table: ledger }
      - name: any-operation-from-bastion
        risk_level: LOW
        client_ips: [10.1.2.3]
      - name: bulk-delete-prod
        risk_level: HIGH
        actions: [DELETE]
        affect_rows: { symbol: GREATER, value: 1000 }
      - name: grant-outside-dba
        risk_level: HIGH
        status: OFF
        actions: [GRANT, REVOKE]
        client_ips: [10.20.0.0/16]
${kinds.prod ?? ''}
  - name: staging-audit
    prune: false
${kinds.staging ?? ''}
    risk_rules:
      - name: temp-debug-select
        risk_level: NO_RISK
        actions: [SELECT]
      - name: drop-table-staging
        risk_level: MEDIUM
        status: ON
        actions: [DROP_TABLE]
---
version: 1
region: cn-north-4
project_id: ${DEMO_PROJECTS.payments}
summary_tasks:
  risk: on
  audit: on
`;

/** The declared custom rules of prod-audit and staging-audit, in priority order. */
export const DECLARED = {
  prod: ['first-new-rule', 'drop-table-in-prod', 'any-operation-from-bastion', 'bulk-delete-prod', 'grant-outside-dba'],
  staging: ['temp-debug-select', 'drop-table-staging'],
} as const;

/** A running emulator on the estate, and the policy tree for it. */
export interface ProfileEstate {
  /** The emulator. */
  readonly emulator: Emulator;
  /** The policies directory. */
  readonly policies: string;
  /** The state before any run. */
  readonly initial: EmulatorState;
  /** The fake clock the emulator and the runs' clients share (list lag), when there is one. */
  readonly clock?: FakeClock;
  /** Stops the emulator and removes the tree. */
  close(): Promise<void>;
}

/**
 * Starts an emulator (signature auth) on the estate and writes the policy tree (`slowSql`: the
 * name the policy uses). With list lag, the emulator and the runs' clients share a fake clock:
 * the settle window's waits advance it instead of taking real time.
 */
export async function startProfileEstate(options: EmulatorOptions, slowSql?: string, kinds?: KindsYaml): Promise<ProfileEstate> {
  const initial = estate();
  let clock: FakeClock | undefined;
  if (options.listLagMs) {
    clock = new FakeClock();
    clock.t = Date.now(); // signatures carry the client's time, checked against the emulator's
  }
  const timing = clock ? { now: () => clock.now() } : {};
  const emulator = await startEmulator({ state: initial, auth: { credentials: [{ ak: AK, sk: SK }], tokens: [] }, ...timing, ...options });
  const dir = await mkdtemp(join(tmpdir(), 'dbss-converge-'));
  const policies = join(dir, 'policies');
  await mkdir(policies);
  const renamed = emulator.profile.systemRuleNames === 'variant';
  await writeFile(join(policies, 'payments.yaml'), policy(slowSql ?? (renamed ? SYSTEM_RULE_VARIANT_NAMES.Slow_SQL_detection : 'Slow_SQL_detection'), kinds));
  return {
    emulator,
    policies,
    initial,
    ...(clock ? { clock } : {}),
    async close() {
      await emulator.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** What one in-process run printed and returned. */
export interface RunOutcome {
  /** Exit code, as the CLI would return it. */
  readonly code: number;
  /** Everything printed (stdout then stderr). */
  readonly output: string;
}

/**
 * Runs the CLI's reconcile (or plan --detailed-exitcode) pipeline in process: the same
 * preparePlan and apply flow, the same exit codes, but a client whose retry backoff is
 * milliseconds instead of seconds, so fault runs stay short without changing what happens.
 */
export async function runPipeline(e: ProfileEstate, verb: 'reconcile' | 'plan'): Promise<RunOutcome> {
  let out = '';
  let err = '';
  const io: CliIO = { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) }, env: {}, cwd: process.cwd() };
  const pool = createClientPool((region) =>
    createDbssClient({
      region,
      endpoint: e.emulator.url,
      credentials: new AkSkCredentials({ accessKey: AK, secretKey: SK }),
      rateLimit: { requests: 2000, perMs: 1000 },
      backoff: { baseMs: 2, maxMs: 20 },
      // On the shared fake clock the default window (5 s) costs no real time; on the real one
      // a short window keeps fault runs short (nothing lags there).
      ...(e.clock ? { clock: e.clock } : { settleMs: 40 }),
      onEvent: (ev) => void (err += `${ev.message}\n`),
    }),
  );
  const inputs: RunInputs = {
    policiesDir: e.policies,
    cwd: process.cwd(),
    // The run lock (apply-flow) is keyed by endpoint too: without it every run of this matrix,
    // and of any other checkout on the machine, would share the lock of the demo project.
    endpoint: e.emulator.url,
    pool,
    planOptions: { toolVersion: 'test', reassertWriteOnly: false, safety: { maxChangeRatio: 0.3, minRules: 10 } },
  };
  try {
    const prepared = await preparePlan(inputs);
    const code =
      verb === 'plan'
        ? planExitCode(prepared.plan, { detailed: true, failOnWeakening: false, force: true })
        : await runApplyFlow(prepared, inputs, io, { force: true, failOnWeakening: false });
    return { code, output: `${renderText(prepared.plan)}\n${out}${err}` };
  } catch (caught) {
    return { code: 1, output: `${out}${err}\nthrown: ${caught instanceof Error ? caught.stack : String(caught)}` };
  } finally {
    await pool.close();
  }
}
