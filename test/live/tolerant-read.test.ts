import { afterEach, describe, expect, it } from 'vitest';
import { changedSincePlanned } from '../../src/apply/concurrent-writer.js';
import { createClientPool } from '../../src/live/client-pool.js';
import { readLiveState } from '../../src/live/read-live.js';
import { computePlan } from '../../src/plan/compute-plan.js';
import { parsePlan, serializePlan } from '../../src/plan/plan-json.js';
import { renderText } from '../../src/render/text.js';
import type { DesiredState } from '../../src/policy/types.js';
import { PROJECT, testClient } from '../api/helpers/client.js';
import { reply, startTestServer, type RecordedRequest, type Reply, type TestServer } from '../api/helpers/test-server.js';
import { header, validateTexts } from '../policy/policy-fixtures.js';

/**
 * Tolerant reads end to end: hand-made answers in the shapes the API reference leaves open
 * (§2, §9) go through the real client over a socket, readLiveState and computePlan.
 */

const INSTANCE_ID = 'f9e8d7c6b5a4938271605f4e3d2c1b0a';

interface Answers {
  /** The instance list answer. */
  readonly instances: unknown;
  /** The rule list items. */
  readonly rules: readonly Record<string, unknown>[];
  /** Show answers by rule id (default: a complete custom rule). */
  readonly shows?: Readonly<Record<string, unknown>>;
  /** The summary task answer. */
  readonly task?: unknown;
  /** customize_total of the rule list; absent when not given. */
  readonly customizeTotal?: number;
}

const FULL_SHOW = { rule_name: 'drop-guard', status: 'ON', risk_level: 'HIGH', action: 'DROP_TABLE', affect_symbol: 'GREATER_EQUAL', affect_rows: 0, execution_symbol: 'GREATER_EQUAL', execution_time: 0, ignore_case: false };

function handler(a: Answers): (req: RecordedRequest) => Reply {
  return (req) => {
    if (req.path.endsWith('/audit/instances')) return reply.json(200, a.instances);
    if (req.path.endsWith('/rule/risk')) return reply.json(200, { rules: a.rules, total: a.rules.length, ...(a.customizeTotal === undefined ? {} : { customize_total: a.customizeTotal }) });
    const show = /\/rule\/risk\/([^/]+)$/.exec(req.path);
    if (show) return reply.json(200, a.shows?.[show[1]!] ?? { rule_id: show[1], ...FULL_SHOW });
    if (req.path.endsWith('/task-status')) return reply.json(200, a.task ?? { task_switch: 'on', task_status: '2' });
    return reply.error(404, 'APIG.0101', 'no route');
  };
}

const policy = (body: string): DesiredState => {
  const r = validateTexts({ 'p.yaml': `${header(PROJECT)}${body}` });
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return r.desired;
};

const PROD = `instances:\n  - name: prod\n    prune: true\n    system_rules:\n      Database_drag_detection: OFF\n    risk_rules:\n      - name: drop-guard\n        risk_level: HIGH\n        actions: [DROP_TABLE]\n`;
const SERVERS = { servers: [{ id: INSTANCE_ID, name: 'prod', status: 'ACTIVE' }], total: 1 };
const CUSTOM = { id: 'custom0000000000001', name: 'drop-guard', type: 'OPERATE', status: 'ON', rank: 1, risk_level: 'HIGH', rule_type: 'CUSTOMIZE' };
const SYSTEM = { id: 'system0000000000001', name: 'Database_drag_detection', type: 'OPERATE', status: 'ON', rule_type: 'SYSTEM' };

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function planOf(a: Answers, desired: DesiredState = policy(PROD)) {
  server = await startTestServer(handler(a));
  const url = server.url;
  const pool = createClientPool(() => testClient(url).client);
  try {
    const live = await readLiveState(desired, { pool });
    return { live, plan: computePlan(desired, live, { toolVersion: 'test' }) };
  } finally {
    await pool.close();
  }
}

const summary = (p: Awaited<ReturnType<typeof planOf>>['plan']): string[] =>
  p.changes.map((c) => `${c.kind}${'rule' in c ? ` ${c.rule}` : ''}${c.kind === 'switch' ? ` ${c.status} ${c.rules.map((r) => r.name).join(',')}` : ''}`);

describe('tolerant reads', () => {
  it('plans normally when system rules carry no rank, risk_level or feature', async () => {
    const { plan } = await planOf({ instances: SERVERS, rules: [SYSTEM, CUSTOM] });
    expect(plan.errors).toEqual([]);
    expect(summary(plan)).toEqual(['switch OFF Database_drag_detection']);
  });

  it.each([
    ['servers with id', SERVERS],
    ['instances with instance_id (Node.js SDK 3.1.204)', { instances: [{ instance_id: INSTANCE_ID, name: 'prod', status: 'ACTIVE', enterprise_project_id: '0' }], total: 1 }],
    ['instances with instanceId (camelCase)', { instances: [{ instanceId: INSTANCE_ID, name: 'prod', status: 'ACTIVE' }], total: 1 }],
  ])('reads the instance list as %s', async (_shape, instances) => {
    const { live, plan } = await planOf({ instances, rules: [SYSTEM, CUSTOM] });
    expect(live.instances.map((i) => i.id)).toEqual([INSTANCE_ID]);
    expect(plan.errors).toEqual([]);
  });

  it('tries an instance listed without a status (the rule calls answer for it), and still refuses a SHUTOFF one', async () => {
    const { plan } = await planOf({ instances: { servers: [{ id: INSTANCE_ID, name: 'prod' }], total: 1 }, rules: [SYSTEM, CUSTOM] });
    expect(plan.errors).toEqual([]);
    expect(summary(plan)).toEqual(['switch OFF Database_drag_detection']);
    const off = await planOf({ instances: { servers: [{ id: INSTANCE_ID, name: 'prod', status: 'SHUTOFF' }], total: 1 }, rules: [SYSTEM, CUSTOM] });
    expect(off.plan.errors.map((e) => e.message)).toEqual([`instance "prod" (${INSTANCE_ID}) is SHUTOFF; rules can only be managed on an ACTIVE instance`]);
  });

  it('an instance list with neither servers nor instances is an error, never "no instances"', async () => {
    const { plan } = await planOf({ instances: { items: [{ id: INSTANCE_ID, name: 'prod' }], total: 1 }, rules: [] });
    expect(plan.errors.map((e) => e.message)).toEqual([expect.stringMatching(/listing instances: .*BAD_RESPONSE servers: expected a list under "servers" or "instances", got nothing/)]);
    expect(plan.changes).toEqual([]);
  });

  it('reads a show answer with every optional field absent, completing name and status from the list', async () => {
    const { live, plan } = await planOf({ instances: SERVERS, rules: [SYSTEM, CUSTOM], shows: { [CUSTOM.id]: { action: 'DROP_TABLE' } } });
    expect(live.instances[0]!.details[CUSTOM.id]).toMatchObject({ name: 'drop-guard', status: 'ON', riskLevel: 'HIGH', actions: ['DROP_TABLE'] });
    expect(summary(plan)).toEqual(['switch OFF Database_drag_detection']);
  });

  it('notes a risk level that neither the show nor the list gives, instead of planning an update forever', async () => {
    const { rank: _r, risk_level: _l, ...bare } = CUSTOM;
    const { plan } = await planOf({ instances: SERVERS, rules: [SYSTEM, bare], shows: { [CUSTOM.id]: { action: 'DROP_TABLE' } } });
    expect(summary(plan)).toEqual(['switch OFF Database_drag_detection']);
    expect(plan.notes.map((n) => n.message)).toContain('risk_level is not returned by the API for this rule; it is not verified (an update sends it)');
  });

  it('plans a task read without task_switch (or with an unknown value) as a switch to the declared value', async () => {
    const tasks = `summary_tasks:\n  risk: off\n${PROD}`;
    for (const task of [{ task_status: '0' }, { task_switch: 'paused' }, {}]) {
      const { plan } = await planOf({ instances: SERVERS, rules: [SYSTEM, CUSTOM], task }, policy(tasks));
      expect(plan.errors).toEqual([]);
      expect(plan.changes.find((c) => c.kind === 'set-task')).toMatchObject({ before: 'unknown', after: false, review: { weakening: true } });
      // a saved plan keeps it (schemas/plan.schema.json), and the text shows it
      expect(parsePlan(serializePlan(plan)).changes).toEqual(plan.changes);
      expect(renderText(plan)).toContain('summary task risk: unknown (task_switch not readable) → off');
    }
    for (const [task_switch, on] of [['ON', true], ['Off', false], ['true', true], ['0', false], [1, true], [false, false]] as const) {
      const { plan } = await planOf({ instances: SERVERS, rules: [SYSTEM, CUSTOM], task: { task_switch } }, policy(tasks));
      expect(plan.changes.filter((c) => c.kind === 'set-task')).toHaveLength(on ? 1 : 0);
    }
  });

  it('never deletes, updates or ranks a rule it cannot tell is custom, and switches it only as a declared system rule', async () => {
    const untyped = { ...SYSTEM, rule_type: null }; // no rule_type, under a system rule's name
    const lookalike = { id: 'untyped0000000000001', name: 'Slow_SQL_detection', type: 'OPERATE', status: 'ON', rank: 2 };
    const customNoType = { ...CUSTOM, rule_type: undefined, id: 'custom0000000000002', name: 'old-export', rank: 3 };
    const { live, plan } = await planOf({ instances: SERVERS, rules: [untyped, lookalike, CUSTOM, customNoType], customizeTotal: 2 });
    expect(live.instances[0]!.rules.map((r) => [r.name, r.ruleType])).toEqual([
      ['drop-guard', 'CUSTOMIZE'],
      ['Slow_SQL_detection', 'UNKNOWN'],
      ['old-export', 'CUSTOMIZE'],
      ['Database_drag_detection', 'UNKNOWN'],
    ]);
    // prune deletes the custom rule without rule_type, never the look-alike; the declared
    // system rule is switched through the untyped rule of that name
    expect(summary(plan)).toEqual(['switch OFF Database_drag_detection', 'delete old-export']);
    expect(plan.notes.map((n) => n.message)).toContain(`listed without rule_type (id ${lookalike.id}) and cannot be told from a system rule; not managed`);
  });

  it('the other-writer check reads the listing as the planner did: untyped rules and unranked system rules are no change', async () => {
    const customNoType = { ...CUSTOM, rule_type: undefined, id: 'custom0000000000002', name: 'old-export', rank: 3 };
    const rules = [SYSTEM, { ...CUSTOM, rule_type: undefined }, customNoType];
    const { live } = await planOf({ instances: SERVERS, rules, customizeTotal: 2 });
    const planned = live.instances[0]!.rules;
    expect(planned.map((r) => r.ruleType)).toEqual(['CUSTOMIZE', 'CUSTOMIZE', 'SYSTEM']);
    server = await startTestServer(handler({ instances: SERVERS, rules, customizeTotal: 2 }));
    const { client } = testClient(server.url);
    try {
      expect(await changedSincePlanned(client, PROJECT, INSTANCE_ID, planned)).toBeUndefined();
    } finally {
      await client.close();
    }
    // a real change still counts
    await server.close();
    server = await startTestServer(handler({ instances: SERVERS, rules: [SYSTEM, { ...CUSTOM, rule_type: undefined, status: 'OFF' }, customNoType], customizeTotal: 2 }));
    const again = testClient(server.url).client;
    try {
      expect(await changedSincePlanned(again, PROJECT, INSTANCE_ID, planned)).toMatch(/changed by someone else during apply \(rule "drop-guard" \(custom0000000000001\) changed/);
    } finally {
      await again.close();
    }
  });

  it('resolves no untyped rule when customize_total counts fewer custom rules than look custom (a built-in rule under an unknown name)', async () => {
    const untyped = (id: string, name: string, rank: number) => ({ id, name, type: 'OPERATE', status: 'ON', rank });
    const rules = [untyped('system0000000000009', 'Database_dump_detection', 1), untyped(CUSTOM.id, 'drop-guard', 2), untyped('custom0000000000003', 'old-export', 3)];
    server = await startTestServer((req) => (req.path.endsWith('/rule/risk') ? reply.json(200, { rules, total: 3, customize_total: 2 }) : handler({ instances: SERVERS, rules })(req)));
    const url = server.url;
    const pool = createClientPool(() => testClient(url).client);
    const desired = policy(PROD);
    try {
      const live = await readLiveState(desired, { pool });
      expect(live.instances[0]!.rules.map((r) => r.ruleType)).toEqual(['UNKNOWN', 'UNKNOWN', 'UNKNOWN']);
      const plan = computePlan(desired, live, { toolVersion: 'test' });
      // nothing is deleted, updated or ranked; the declared rule is reported, not guessed
      expect(plan.changes).toEqual([]);
      expect(plan.errors.map((e) => e.message)).toEqual([
        'no system rule Database_drag_detection on instance prod; it has: Database_dump_detection, drop-guard, old-export (did you mean "Database_dump_detection"?)',
        `rule drop-guard (id ${CUSTOM.id}) is listed without rule_type, and the list's customize_total does not confirm it is custom (absent, or counting otherwise): cannot tell whether it is custom, so it is not managed`,
      ]);
    } finally {
      await pool.close();
    }
    // with a customize_total that agrees, the untyped rules are custom
    await server.close();
    server = await startTestServer((req) => (req.path.endsWith('/rule/risk') ? reply.json(200, { rules: rules.slice(1), total: 2, customize_total: 2 }) : handler({ instances: SERVERS, rules })(req)));
    const url2 = server.url;
    const pool2 = createClientPool(() => testClient(url2).client);
    try {
      const live = await readLiveState(policy(`instances:\n  - name: prod\n    risk_rules:\n      - name: drop-guard\n        risk_level: HIGH\n        actions: [DROP_TABLE]\n`), { pool: pool2 });
      expect(live.instances[0]!.rules.map((r) => r.ruleType)).toEqual(['CUSTOMIZE', 'CUSTOMIZE']);
    } finally {
      await pool2.close();
    }
  });

  it('checks system rule names against the live instance, with a did-you-mean', async () => {
    const typo = policy(`instances:\n  - name: prod\n    system_rules:\n      Database_drag_detect: OFF\n`);
    const { plan } = await planOf({ instances: SERVERS, rules: [SYSTEM, { ...SYSTEM, id: 'system0000000000002', name: 'Regional_audit' }] }, typo);
    expect(plan.errors.map((e) => e.message)).toEqual([
      'no system rule Database_drag_detect on instance prod; it has: Database_drag_detection, Regional_audit (did you mean "Database_drag_detection"?)',
    ]);
    const regional = policy(`instances:\n  - name: prod\n    system_rules:\n      Regional_audit: OFF\n`);
    const ok = await planOf({ instances: SERVERS, rules: [SYSTEM, { ...SYSTEM, id: 'system0000000000002', name: 'Regional_audit' }] }, regional);
    expect(summary(ok.plan)).toEqual(['switch OFF Regional_audit']);
  });

  it('reads any-operation in every spelling as the declared empty action list: no diff', async () => {
    const any = policy(`instances:\n  - name: prod\n    risk_rules:\n      - name: drop-guard\n        risk_level: HIGH\n`);
    for (const action of ['', 'OPERATE ALL', 'OPERATE_ALL', 'ALL', 'operate all', undefined, null]) {
      const { action: _a, ...rest } = FULL_SHOW;
      const show = { rule_id: CUSTOM.id, ...rest, ...(action === undefined ? {} : { action }) };
      const { plan } = await planOf({ instances: SERVERS, rules: [SYSTEM, CUSTOM], shows: { [CUSTOM.id]: show } }, any);
      expect(plan.changes).toEqual([]);
    }
    const declaredAll = policy(`instances:\n  - name: prod\n    risk_rules:\n      - name: drop-guard\n        risk_level: HIGH\n        actions: [OPERATE ALL]\n`);
    const { plan } = await planOf({ instances: SERVERS, rules: [SYSTEM, CUSTOM], shows: { [CUSTOM.id]: { rule_id: CUSTOM.id, ...FULL_SHOW, action: '' } } }, declaredAll);
    expect(plan.changes).toEqual([]);
  });

  it('plans the rank calls from the shown values when custom rules are numbered on their own', async () => {
    const order = policy(`instances:\n  - name: prod\n    risk_rules:\n      - { name: b, risk_level: HIGH, actions: [DROP_TABLE] }\n      - { name: a, risk_level: HIGH, actions: [DROP_TABLE] }\n`);
    const a = { ...CUSTOM, id: 'custom000000000000a', name: 'a', rank: 1 };
    const b = { ...CUSTOM, id: 'custom000000000000b', name: 'b', rank: 2 };
    const shows = { [a.id]: { ...FULL_SHOW, rule_name: 'a' }, [b.id]: { ...FULL_SHOW, rule_name: 'b' } };
    const { plan } = await planOf({ instances: SERVERS, rules: [{ ...SYSTEM, rank: 1 }, a, b], shows }, order);
    // system rules numbered apart (rank 1 too): a goes to custom rank 2 (below b), not to
    // position 3 of a list that counts the system rule
    expect(plan.changes).toEqual([expect.objectContaining({ kind: 'reorder', order: ['b', 'a'], rankCalls: [{ id: a.id, newRank: 2 }] })]);
    const gapped = await planOf({ instances: SERVERS, rules: [SYSTEM, { ...a, rank: 10 }, { ...b, rank: 20 }], shows }, order);
    // gaps: no exact calls in the plan; apply learns them from listings
    expect(gapped.plan.changes[0]).toMatchObject({ kind: 'reorder', moves: ['a'] });
    expect(gapped.plan.changes[0]).not.toHaveProperty('rankCalls');
  });
});
