import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AkSkCredentials, createDbssClient } from '../../src/api/index.js';
import { DEMO_INSTANCES, DEMO_PROJECTS, demoState, startEmulator } from '../../src/emulator/index.js';
import type { Emulator } from '../../src/emulator/index.js';
import { Prng } from '../../src/emulator/prng.js';
import { systemRules } from '../../src/emulator/seed-rules.js';
import type { ClientPool } from '../../src/live/client-pool.js';
import { createClientPool } from '../../src/live/client-pool.js';
import { plannedInstances, readLiveState } from '../../src/live/read-live.js';
import { selectShard, shardOf } from '../../src/plan/shard.js';
import type { DesiredState } from '../../src/policy/types.js';
import { instanceKey } from '../../src/domain.js';
import { header, validateTexts } from '../policy/policy-fixtures.js';

/** readLiveState with selectors, against the emulator over a real socket with signed requests. */

const AK = 'LIVETESTACCESSKEY000';
const SK = 'live-test-secret-key';
const P1 = DEMO_PROJECTS.payments;
const PROJECT = `cn-north-4/${P1}`;

let emulator: Emulator;
let pool: ClientPool;
beforeEach(async () => {
  emulator = await startEmulator({ state: demoState(), auth: { credentials: [{ ak: AK, sk: SK }], tokens: [] } });
  const credentials = new AkSkCredentials({ accessKey: AK, secretKey: SK });
  pool = createClientPool((region) => createDbssClient({ region, credentials, endpoint: emulator.url, rateLimit: { requests: 1000, perMs: 1000 } }));
});
afterEach(async () => {
  await pool.close();
  await emulator.close();
});

/** A payments document with the given instance entries. */
const policies = (entries: string): DesiredState => {
  const r = validateTexts({ 'p.yaml': `${header(P1)}instances:\n${entries}` });
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return r.desired;
};

/** Adds an ACTIVE instance with the four system rules to the payments project. */
function createInstance(name: string, id: string): void {
  const project = emulator.state.projects[P1]!;
  const rules = systemRules(new Prng(id.length * 7919 + name.length));
  project.instances.push({ id, name, status: 'ACTIVE', created: '2024-07-01T00:00:00Z', specification: 'audit.basic', rules });
}

describe('readLiveState with instance selectors', () => {
  it('resolves a selector with the one instance list of its project, and reads what it matched', async () => {
    const declared = policies('  - name: prod-audit\n  - match: "*-audit"\n    risk_rules: [{ name: drop-table-staging, risk_level: MEDIUM }]\n');
    const live = await readLiveState(declared, { pool });
    expect(live.selectors).toEqual([
      {
        key: `${PROJECT}/match:*-audit`,
        region: 'cn-north-4',
        projectId: P1,
        matched: [{ name: 'staging-audit', id: DEMO_INSTANCES.stagingAudit }],
        skipped: [
          { name: 'legacy-audit', id: DEMO_INSTANCES.legacyAudit, reason: 'SHUTOFF, not ACTIVE' },
          { name: 'prod-audit', id: DEMO_INSTANCES.prodAudit, reason: 'declared at p.yaml:5:5' },
        ],
      },
    ]);
    expect(live.instances.map((i) => i.key)).toEqual([`${PROJECT}/prod-audit`, `${PROJECT}/staging-audit`]);
    expect(live.errors).toEqual([]);
    // The staging rule the selector declares is shown in detail; the list is read once.
    expect(Object.values(live.instances[1]!.details).map((d) => d.name)).toEqual(['drop-table-staging']);
    expect(emulator.counters().byOperation).toEqual({ ListAuditInstancesNew: 1, ListAuditRuleRisksNew: 2, ShowAuditRuleRiskNew: 1 });
    expect(plannedInstances(declared, live).instances.map((d) => [instanceKey(d), d.selector])).toEqual([
      [`${PROJECT}/prod-audit`, undefined],
      [`${PROJECT}/staging-audit`, '*-audit'],
    ]);
  });

  it('picks up an instance created after the previous read', async () => {
    const declared = policies('  - match: "team-*"\n');
    const before = await readLiveState(declared, { pool });
    expect(before.selectors?.[0]?.matched).toEqual([]);
    expect(before.instances).toEqual([]);
    createInstance('team-new', 'a'.repeat(32));
    const after = await readLiveState(declared, { pool });
    expect(after.selectors?.[0]?.matched).toEqual([{ name: 'team-new', id: 'a'.repeat(32) }]);
    expect(after.instances.map((i) => [i.key, i.id, i.rules.length])).toEqual([[`${PROJECT}/team-new`, 'a'.repeat(32), 4]]);
  });

  it('reads only the matched instances that the scope keeps (a shard follows the resolved key)', async () => {
    const names = Array.from({ length: 8 }, (_, i) => `team-${i}`);
    names.forEach((n, i) => createInstance(n, `${i}`.repeat(32)));
    const declared = policies('  - match: "team-*"\n');
    const shard = { index: 2, count: 3 };
    const scope = (d: DesiredState): DesiredState => selectShard(d, shard);
    const live = await readLiveState(declared, { pool, scope });
    const mine = names.filter((n) => shardOf(`${PROJECT}/${n}`, 3) === 2);
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.length).toBeLessThan(names.length);
    expect(live.instances.map((i) => i.name)).toEqual(mine);
    expect(live.selectors?.[0]?.matched.map((m) => m.name)).toEqual(names);
    expect(emulator.counters().byOperation['ListAuditRuleRisksNew']).toBe(mine.length);
    expect(plannedInstances(declared, live, scope).instances.map((d) => d.ref.kind === 'name' && d.ref.name)).toEqual(mine);
  });

  it('refuses an instance that two selectors match, and reads it not', async () => {
    const declared = policies('  - match: "staging-*"\n  - match: "*-audit"\n');
    const live = await readLiveState(declared, { pool });
    expect(live.errors).toEqual([
      {
        key: `${PROJECT}/staging-audit`,
        message: 'matched by two selectors, "staging-*" (p.yaml:5:5) and "*-audit" (p.yaml:6:5); make them disjoint, or declare the instance by name (that entry wins)',
      },
    ]);
    expect(live.instances.map((i) => i.name)).toEqual(['prod-audit']);
  });

  it('records a listing failure on the selector and on the declared instances of the project', async () => {
    emulator.failNext('ListAuditInstancesNew', 'failed', 1);
    const live = await readLiveState(policies('  - name: prod-audit\n  - match: "*"\n'), { pool });
    expect(live.selectors?.[0]?.error).toMatch(/^GET \/v1\/\w+\/audit\/instances: 400 DBSS\.10020102 /);
    expect(live.selectors?.[0]?.matched).toEqual([]);
    expect(live.errors.map((e) => e.key)).toEqual([`${PROJECT}/prod-audit`]);
    expect(emulator.counters().byOperation['ListAuditInstancesNew']).toBe(1);
  });
});

describe('readLiveState progress events', () => {
  /** Sums the events: what the read expected and what it reported done. */
  async function progressOf(declared: DesiredState) {
    const sum = { requests: 0, requestsDone: 0, targets: 0, targetsDone: 0 };
    const before = emulator.counters().requests;
    const live = await readLiveState(declared, {
      pool,
      onProgress: (e) => {
        if (e.type === 'expect') {
          sum.requests += e.requests;
          sum.targets += e.targets;
        } else {
          sum.requestsDone += e.requests;
          sum.targetsDone += e.targets;
        }
        // never more done than known
        expect(sum.requestsDone).toBeLessThanOrEqual(sum.requests);
        expect(sum.targetsDone).toBeLessThanOrEqual(sum.targets);
      },
    });
    return { sum, live, sent: emulator.counters().requests - before };
  }

  it('ends with every expected request and target done, and counts the requests sent', async () => {
    const declared = policies(
      '  - name: prod-audit\n    risk_rules: [{ name: drop-table-in-prod, risk_level: HIGH }, { name: bulk-delete-prod, risk_level: HIGH }]\n' +
        '  - match: "*-audit"\n',
    );
    const withTasks = { ...declared, summaryTasks: [{ region: 'cn-north-4', projectId: P1, busiType: 'risk' as const, enabled: true, source: { file: 'p.yaml', line: 1, col: 1 } }] };
    const { sum, live, sent } = await progressOf(withTasks);
    expect(live.errors).toEqual([]);
    expect(sum.requestsDone).toBe(sum.requests);
    expect(sum.targetsDone).toBe(sum.targets);
    expect(sum.requests).toBe(sent);
    // prod-audit and the matched staging-audit, plus the project of the summary task
    expect(sum.targets).toBe(3);
  });

  it('balances when instances are missing and when a project cannot be listed', async () => {
    const missing = await progressOf(policies('  - name: nowhere-audit\n  - name: prod-audit\n'));
    expect(missing.live.errors.map((e) => e.message)).toEqual([expect.stringContaining('no instance named "nowhere-audit"')]);
    expect(missing.sum.requestsDone).toBe(missing.sum.requests);
    expect(missing.sum.targetsDone).toBe(missing.sum.targets);
    expect(missing.sum.targets).toBe(2);

    emulator.failNext('ListAuditInstancesNew', 'failed', 1);
    const unlisted = await progressOf(policies('  - name: prod-audit\n  - name: staging-audit\n'));
    expect(unlisted.live.errors).toHaveLength(2);
    expect(unlisted.sum.requestsDone).toBe(unlisted.sum.requests);
    expect(unlisted.sum.targetsDone).toBe(unlisted.sum.targets);
  });
});
