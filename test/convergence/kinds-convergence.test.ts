import { afterEach, describe, expect, it } from 'vitest';
import { AkSkCredentials, createDbssClient } from '../../src/api/index.js';
import type { ApiProfile, FaultKind } from '../../src/emulator/index.js';
import { DEFAULT_PROFILE, DEMO_INSTANCES, DEMO_PROJECTS, PROFILE_NAMES } from '../../src/emulator/index.js';
import { profileByName } from '../../src/emulator/profiles.js';
import type { Json, KindChangeDraft, KindTarget, LiveKind } from '../../src/kinds/kind.js';
import { EMULATED_KINDS, KINDS } from '../../src/kinds/registry.js';
import type { KindsYaml, ProfileEstate, RunOutcome } from './profile-estate.js';
import { AK, runPipeline, SK, startProfileEstate } from './profile-estate.js';

/**
 * Issue 19/20 "done when": the convergence matrix for every other kind (src/kinds), under every
 * reading of its open points (each value of each of its emulator options) and every named
 * profile, with faults and lost answers: one reconcile of a tree that declares every kind
 * (creates, updates, switches, built-in switches, prune deletes, orders) converges, the next
 * plan is empty, nothing is duplicated and the undeclared object on staging-audit is untouched.
 */

/** What each kind declares on prod-audit (prune: true) and staging-audit (prune: false), and what is there before the run. */
interface Sample {
  /** Entry keys for prod-audit (4-space indent). */
  readonly prod: string;
  /** Entry keys for staging-audit. */
  readonly staging: string;
  /** Objects created on prod-audit before the run: one the policy updates, one it deletes (prune). */
  readonly seedProd: readonly KindChangeDraft[];
  /** An object created on staging-audit before the run that no policy declares (left alone); none for a singleton setting. */
  readonly handMade?: KindChangeDraft;
  /** The keys of the custom objects prod-audit ends with, in order for an ordered kind. */
  readonly declared: readonly string[];
}

const create = (subject: string, payload: Record<string, Json>): KindChangeDraft => ({ op: 'create', subject, payload });

const scope = (over: Record<string, Json> = {}): Record<string, Json> => ({ databases: 'ALL', actions: [], db_users: [], source_ips: [], source_ports: [], exception_ips: [], status: 'ON', ...over });

const SAMPLES: Record<string, Sample> = {
  'audit-scope': {
    prod: `    full_audit: OFF
    audit_scopes:
      - name: payments "core" ✓
        databases: { ids: [lQZpwJgB0g4pz3UTv74a], names: [orders] }
        actions: [SELECT, DELETE]
        db_users: [app]
        source_ips: [10.0.0.0/24]
        source_ports: [3306]
        exception_ips: [10.0.0.9]
      - name: reporting
        status: OFF`,
    staging: `    audit_scopes:
      - name: staging-all`,
    seedProd: [create('reporting', scope({ actions: ['SELECT'] })), create('stale-scope', scope())],
    handMade: create('hand-made-scope', scope({ db_users: ['dba'], status: 'OFF' })),
    declared: ['payments "core" ✓', 'reporting'],
  },
  'sql-injection-rule': {
    prod: `    sql_injection_rules:
      - name: postal-code "quoted" ✓
        regex: '^\\d{6}$'
        risk_level: LOW
      - name: union-select
        regex: '(?i)union\\s+select'
        risk_level: HIGH
        status: OFF
    system_sql_injection_rules:
      "SQL injection: time blind": OFF`,
    staging: `    sql_injection_rules:
      - name: staging-rule
        regex: 'sleep\\('
        risk_level: MEDIUM`,
    seedProd: [create('union-select', { regex: 'union', risk_level: 'LOW', status: 'ON' }), create('stale-rule', { regex: 'x', risk_level: 'LOW', status: 'ON' })],
    handMade: create('hand-made-sql', { regex: 'drop', risk_level: 'LOW', status: 'OFF' }),
    declared: ['postal-code "quoted" ✓', 'union-select'],
  },
  alarm: {
    prod: `    alarms:
      enabled: ON
      topic_urn: urn:smn:cn-north-4:${DEMO_PROJECTS.payments}:dbss-alarms
      risk_levels: [HIGH, MEDIUM]
      cpu: 80
      disk: 85
      memory: 90
      daily_limit: 100`,
    staging: `    alarms:
      risk_levels: [HIGH]
      cpu: 70
      disk: 70
      memory: 70
      daily_limit: 10
      enabled: OFF`,
    seedProd: [],
    declared: [],
  },
  whitelist: {
    prod: `    sql_whitelist:
      - sql: "SELECT * FROM t WHERE note = 'O''Brien \\"q\\" ✓'"
        databases: [db-1]
        description: quoted
      - sql: |
          SELECT 1
            FROM dual
        enabled: false`,
    staging: `    sql_whitelist:
      - sql: SELECT staging FROM t`,
    seedProd: [create('SELECT 1 FROM dual', { databases: [], description: '', enabled: true }), create('SELECT stale FROM t', { databases: [], description: '', enabled: true })],
    handMade: create('SELECT hand_made FROM t', { databases: ['db-9'], description: 'hand made', enabled: false }),
    declared: [`SELECT * FROM t WHERE note = 'O''Brien "q" ✓'`, 'SELECT 1 FROM dual'],
  },
  masking: {
    prod: `    masking: ON
    result_set_storage: OFF
    mask_rules:
      - name: card "quoted" ✓ 卡号
        regex: '\\d{16}'
        mask_value: '****'
      - name: email
        regex: '\\S+@\\S+'
        mask_value: '***'
        status: OFF
    system_mask_rules:
      Bank card number: OFF`,
    staging: `    mask_rules:
      - name: staging-mask
        regex: 'secret-\\d+'
        mask_value: 'secret-*'`,
    seedProd: [create('email', { regex: '[a-z]+@[a-z.]+', mask_value: '***', status: 'ON' }), create('stale-mask', { regex: 'x', mask_value: 'y', status: 'ON' })],
    handMade: create('hand-made-mask', { regex: 'h', mask_value: 'm', status: 'OFF' }),
    declared: ['card "quoted" ✓ 卡号', 'email'],
  },
};

const CHAOS: FaultKind[] = ['429', '500', '502', '504', 'reset', 'lost-response'];
const MAX_RUNS = 4;

let open: ProfileEstate | undefined;
afterEach(async () => {
  await open?.close();
  open = undefined;
});

const client = (e: ProfileEstate) => createDbssClient({ region: 'cn-north-4', endpoint: e.emulator.url, credentials: new AkSkCredentials({ accessKey: AK, secretKey: SK }), rateLimit: { requests: 2000, perMs: 1000 }, settleMs: 40 });
const prod: KindTarget = { projectId: DEMO_PROJECTS.payments, instanceId: DEMO_INSTANCES.prodAudit };
const staging: KindTarget = { projectId: DEMO_PROJECTS.payments, instanceId: DEMO_INSTANCES.stagingAudit };

/** An estate whose policy declares every kind, with each kind's seeds in place. */
async function kindsEstate(options: Parameters<typeof startProfileEstate>[0]): Promise<ProfileEstate> {
  const yaml: KindsYaml = { prod: KINDS.map((k) => SAMPLES[k.name]!.prod).join('\n'), staging: KINDS.map((k) => SAMPLES[k.name]!.staging).join('\n') };
  const e = await startProfileEstate(options, undefined, yaml);
  const c = client(e);
  try {
    for (const k of KINDS) {
      const s = SAMPLES[k.name]!;
      for (const seed of s.seedProd) await k.write(c.kinds, prod, seed);
      if (s.handMade) await k.write(c.kinds, staging, s.handMade);
    }
  } finally {
    await c.close();
  }
  return e;
}

async function readKinds(e: ProfileEstate, target: KindTarget): Promise<Record<string, LiveKind>> {
  const c = client(e);
  try {
    return Object.fromEntries(await Promise.all(KINDS.map(async (k) => [k.name, await k.read(c.kinds, target)] as const)));
  } finally {
    await c.close();
  }
}

const transcriptOf = (runs: readonly RunOutcome[]) => runs.map((r, i) => `--- run ${i + 1}: exit ${r.code}\n${r.output}`).join('\n');

/** Every kind as declared on prod-audit (no duplicate, nothing undeclared left), the hand-made objects on staging-audit as they were. */
async function expectConverged(e: ProfileEstate, handMade: Record<string, LiveKind>, transcript: string): Promise<void> {
  const [p, s] = await Promise.all([readKinds(e, prod), readKinds(e, staging)]);
  for (const k of KINDS) {
    const sample = SAMPLES[k.name]!;
    const customs = [...p[k.name]!.objects].filter((o) => !o.builtIn).sort((a, b) => (a.rank ?? 0) - (b.rank ?? 0));
    // Without ranks the order cannot be seen (the plan says so): then only which objects are there counts.
    const ranked = customs.some((o) => o.rank !== undefined);
    const keys = customs.map((o) => o.key);
    expect(ranked ? keys : keys.sort(), `${k.name} on prod-audit\n${transcript}`).toEqual(ranked ? sample.declared : [...sample.declared].sort());
    // Untouched: the same object (id, key, fields); its rank may shift when others are created above it.
    const hand = sample.handMade?.subject;
    const unranked = (l: LiveKind) => l.objects.filter((o) => o.key === hand).map(({ rank: _rank, ...o }) => o);
    expect(unranked(s[k.name]!), `${k.name}: the undeclared object on staging-audit is untouched`).toEqual(unranked(handMade[k.name]!));
  }
}

async function expectOneReconcileConverges(e: ProfileEstate): Promise<void> {
  const handMade = await readKinds(e, staging);
  const first = await runPipeline(e, 'reconcile');
  const again = await runPipeline(e, 'plan');
  const transcript = transcriptOf([first, again]);
  expect(first.code, transcript).toBe(0);
  expect(again.code, transcript).toBe(0);
  await expectConverged(e, handMade, transcript);
}

describe('every kind has a convergence sample', () => {
  it('names each registered kind', () => {
    expect(KINDS.map((k) => k.name).filter((n) => SAMPLES[n] === undefined)).toEqual([]);
  });
});

describe('other kinds converge under every reading of their open points', () => {
  const readings: [string, ApiProfile][] = EMULATED_KINDS.flatMap((k) =>
    Object.entries(k.options).flatMap(([option, values]) => values.map((v): [string, ApiProfile] => [`${option}=${v}`, { ...DEFAULT_PROFILE, kinds: { [option]: v } }])),
  );
  // An instance whose SMN subscription is not available cannot send alarms: declaring them ON cannot converge there.
  const IMPOSSIBLE = 'alarmSmnEffective=false';
  for (const [label, profile] of readings.filter(([l]) => l !== IMPOSSIBLE)) {
    it(`${label}: one reconcile converges and the next plan is empty`, async () => {
      open = await kindsEstate({ profile });
      await expectOneReconcileConverges(open);
    });
  }

  it(`${IMPOSSIBLE}: alarms declared ON fail the run with the reason, and the plan says SMN is not available`, async () => {
    open = await kindsEstate({ profile: readings.find(([l]) => l === IMPOSSIBLE)![1] });
    const r = await runPipeline(open, 'reconcile');
    expect(r.code, r.output).toBe(1);
    expect(r.output).toMatch(/smn/i);
    expect(r.output).toMatch(/FAILED .*alarm:set/);
  });
});

describe('other kinds converge under every named profile, with faults and lost answers', () => {
  const writes = EMULATED_KINDS.flatMap((k) => k.routes.filter((r) => r.write).map((r) => r.operation));
  for (const name of PROFILE_NAMES) {
    it(`${name}: one reconcile converges and the next plan is empty`, async () => {
      open = await kindsEstate({ profile: profileByName(name) });
      await expectOneReconcileConverges(open);
    });

    it(`${name}: with 25% faults and the first answer of every kind's writes lost, at most ${MAX_RUNS} runs, no duplicate, nothing undeclared touched`, async () => {
      open = await kindsEstate({ profile: profileByName(name), seed: 7, rateLimit: { limit: 5000, per: 'second' } });
      const handMade = await readKinds(open, staging);
      open.emulator.configure({ faults: { rate: 0.25, kinds: CHAOS } });
      for (const op of writes) open.emulator.failNext(op, 'lost-response');
      const runs: RunOutcome[] = [];
      while (runs.length < MAX_RUNS) {
        const run = await runPipeline(open, 'reconcile');
        runs.push(run);
        if (run.code === 0) break;
      }
      const transcript = transcriptOf(runs);
      expect(runs.at(-1)!.code, transcript).toBe(0);
      open.emulator.configure({ faults: null });
      await expectConverged(open, handMade, transcript);
      const after = await runPipeline(open, 'plan');
      expect(after.code, transcriptOf([...runs, after])).toBe(0);
    });
  }
});
